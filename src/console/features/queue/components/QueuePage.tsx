import {
  ActionIcon,
  Alert,
  Badge,
  Center,
  Group,
  Loader,
  SegmentedControl,
  Stack,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { useCurrentAgent } from '../../../lib/current-agent';
import { errorMessage } from '../../../lib/error-message';
import { useLiveState } from '../../../lib/live-status';
import { QUEUE_FILTERS, useQueue, type QueueFilter } from '../api/queue';
import { bySoonestDeadline } from '../deadline-of';
import { QueueTable } from './QueueTable';
import { ShortcutsDialog } from './ShortcutsDialog';
import { useQueueKeys } from './use-queue-keys';

function filterOf(value: string | null): QueueFilter {
  return (QUEUE_FILTERS as readonly string[]).includes(value ?? '')
    ? (value as QueueFilter)
    : 'all';
}

export function QueuePage() {
  const { t } = useTranslation();
  const agent = useCurrentAgent();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const filter = filterOf(params.get('filter'));
  const queue = useQueue(filter, agent.id);
  const live = useLiveState();
  const [selected, setSelected] = useState(0);
  const [helpOpen, setHelpOpen] = useState(false);
  const tableRef = useRef<HTMLTableElement>(null);

  const items = useMemo(() => {
    const list = queue.data?.items ?? [];
    // The API's own queue is already in deadline order; the filtered lists come newest first.
    return filter === 'all' ? list : [...list].sort(bySoonestDeadline);
  }, [queue.data, filter]);

  const focusRow = (index: number) => {
    setSelected(index);
    tableRef.current?.querySelectorAll<HTMLAnchorElement>('a[data-ticket-link]')[index]?.focus();
  };
  useQueueKeys({
    next: () => items.length > 0 && focusRow(Math.min(selected + 1, items.length - 1)),
    previous: () => items.length > 0 && focusRow(Math.max(selected - 1, 0)),
    open: () => {
      const item = items[selected];
      if (item) void navigate(`/tickets/${item.id}`);
    },
    help: () => setHelpOpen(true),
  });

  return (
    <Stack gap="md">
      <Group justify="space-between" align="center">
        <Group gap="sm" align="center">
          <Title order={1} size="h2">
            {t('queue.title')}
          </Title>
          <Badge
            color={live === 'live' ? 'green' : 'gray'}
            variant="dot"
            aria-live="polite"
            autoContrast
          >
            {live === 'live' ? t('queue.live') : t('queue.reconnecting')}
          </Badge>
          {queue.data && (
            <Text c="dimmed" size="sm">
              {t('queue.count', { count: items.length })}
            </Text>
          )}
        </Group>
        <Group gap="sm">
          <SegmentedControl
            aria-label={t('queue.filter')}
            value={filter}
            onChange={(value) => {
              setSelected(0);
              setParams(value === 'all' ? {} : { filter: value }, { replace: true });
            }}
            data={QUEUE_FILTERS.map((value) => ({ value, label: t(`queue.filters.${value}`) }))}
          />
          <Tooltip label={t('queue.shortcutsButton')}>
            <ActionIcon
              variant="default"
              size="lg"
              aria-label={t('queue.shortcutsButton')}
              onClick={() => setHelpOpen(true)}
            >
              ?
            </ActionIcon>
          </Tooltip>
        </Group>
      </Group>

      {queue.isPending ? (
        <Center p="xl">
          <Group gap="sm">
            <Loader size="sm" />
            <Text>{t('queue.loading')}</Text>
          </Group>
        </Center>
      ) : queue.isError ? (
        <Alert color="red" role="alert">
          {errorMessage(queue.error, t)}
        </Alert>
      ) : items.length === 0 ? (
        <Alert color="gray" variant="light">
          {filter === 'all' ? t('queue.empty') : t('queue.emptyFiltered')}
        </Alert>
      ) : (
        <>
          <QueueTable ref={tableRef} items={items} selected={selected} onSelect={setSelected} />
          {queue.data.nextCursor && <Text c="dimmed">{t('queue.more')}</Text>}
        </>
      )}
      <ShortcutsDialog opened={helpOpen} onClose={() => setHelpOpen(false)} />
    </Stack>
  );
}
