import { Avatar, Group, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCurrentAgent } from '../../../lib/current-agent';
import { usePresence } from '../api/presence';

/** Who else has this ticket open right now. */
export function PresenceBar({ ticketId }: { ticketId: string }) {
  const { t } = useTranslation();
  const me = useCurrentAgent();
  const others = usePresence(ticketId).filter((v) => v.agentId !== me.id);
  return (
    <Group gap="xs" role="status" aria-live="polite">
      {others.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('ticket.nobodyElse')}
        </Text>
      ) : (
        <>
          <Avatar.Group>
            {others.map((v) => (
              <Tooltip key={v.agentId} label={v.name}>
                <Avatar name={v.name} color="initials" size="sm" alt="" />
              </Tooltip>
            ))}
          </Avatar.Group>
          <Text size="sm" fw={500}>
            {t('ticket.alsoViewing', { names: others.map((v) => v.name).join(', ') })}
          </Text>
        </>
      )}
    </Group>
  );
}
