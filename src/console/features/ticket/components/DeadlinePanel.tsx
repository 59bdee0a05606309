import { Alert, Badge, Group, Loader, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Ticket } from '../../../lib/api-types';
import { errorMessage } from '../../../lib/error-message';
import { countdown, formatDateTime, useNow } from '../../../lib/time';
import { useDeadlines } from '../api/ticket-queries';
import { Section } from './Section';

const STATE_COLOR: Record<string, string> = {
  pending: 'blue',
  met: 'green',
  breached: 'red',
  paused: 'yellow',
  cleared: 'gray',
  not_started: 'gray',
};

export function DeadlinePanel({ ticket }: { ticket: Ticket }) {
  const { t, i18n } = useTranslation();
  const deadlines = useDeadlines(ticket.id);
  const now = useNow(15_000);
  const current = deadlines.data?.current ?? null;
  const due = current ? countdown(current.dueAt, now, t) : null;
  return (
    <Section title={t('ticket.currentDeadline')}>
      {deadlines.isPending ? (
        <Loader size="sm" aria-label={t('app.loading')} />
      ) : deadlines.isError ? (
        <Alert color="red" role="alert">
          {errorMessage(deadlines.error, t)}
        </Alert>
      ) : (
        <Stack gap="sm">
          {current && due ? (
            <div>
              <Text fw={700} size="lg" c={due.overdue ? 'red.9' : undefined}>
                {t(`deadline.${current.kind}`)}: {due.label}
              </Text>
              <Text size="sm" c="dimmed">
                {t('deadline.at', { time: formatDateTime(current.dueAt, i18n.language) })}
                {current.escalationLevel > 0 &&
                  ` · ${t('ticket.escalation', { level: current.escalationLevel })}`}
              </Text>
            </div>
          ) : (
            <Text c="dimmed">{t('ticket.noDeadline')}</Text>
          )}
          {ticket.breachCount > 0 && (
            <Text c="red.9" fw={600} size="sm">
              {t('ticket.breaches', { count: ticket.breachCount })}
            </Text>
          )}
          <Text size="sm" fw={600}>
            {t('ticket.deadlineDetails')}
          </Text>
          {deadlines.data.items.map((item) => (
            <Stack key={item.kind} gap={2}>
              <Group gap="xs">
                <Text size="sm" fw={500}>
                  {t(`deadline.${item.kind}`)}
                </Text>
                <Badge
                  size="sm"
                  variant="light"
                  color={STATE_COLOR[item.state] ?? 'gray'}
                  autoContrast
                >
                  {t(`deadline.states.${item.state}`)}
                </Badge>
                {item.dueAt && (
                  <Text size="xs" c="dimmed">
                    {formatDateTime(item.dueAt, i18n.language)}
                  </Text>
                )}
              </Group>
              <Text size="sm" c="dimmed">
                {item.explanation}
              </Text>
            </Stack>
          ))}
        </Stack>
      )}
    </Section>
  );
}
