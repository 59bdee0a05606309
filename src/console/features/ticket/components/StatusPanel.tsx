import { Button, Group, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Ticket } from '../../../lib/api-types';
import { StatusBadge } from '../../../lib/labels';
import { useSetStatus } from '../api/ticket-actions';
import { FormError } from '../../../lib/form-error';
import { Section } from './Section';

export function StatusPanel({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const setStatus = useSetStatus(ticket.id);
  const next = ticket.status === 'open' ? 'waiting_on_customer' : 'open';
  return (
    <Section title={t('actions.status')}>
      <Stack gap="xs">
        <Group>
          <StatusBadge status={ticket.status} />
        </Group>
        <FormError error={setStatus.error} fields={[]} />
        <Button
          variant="light"
          loading={setStatus.isPending}
          onClick={() => setStatus.mutate({ input: next, version: ticket.version })}
        >
          {next === 'open' ? t('actions.markOpen') : t('actions.markWaiting')}
        </Button>
      </Stack>
    </Section>
  );
}
