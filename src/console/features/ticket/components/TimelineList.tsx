import { Paper, Stack, Text, ThemeIcon, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TimelineEvent } from '../../../lib/api-types';
import { formatDateTime } from '../../../lib/time';
import { describeEvent, type DescribedEvent } from '../describe-event';

const TONE: Record<DescribedEvent['tone'], { color: string; bg?: string }> = {
  public: { color: 'indigo', bg: 'var(--mantine-color-indigo-0)' },
  internal: { color: 'yellow', bg: 'var(--mantine-color-yellow-0)' },
  customer: { color: 'teal', bg: 'var(--mantine-color-teal-0)' },
  alert: { color: 'red' },
  system: { color: 'gray' },
  plain: { color: 'blue' },
};

export function TimelineList({
  events,
  names,
}: {
  events: TimelineEvent[];
  names: Map<string, string>;
}) {
  const { t, i18n } = useTranslation();
  if (events.length === 0) return <Text c="dimmed">{t('ticket.timelineEmpty')}</Text>;
  return (
    <Stack
      component="ol"
      gap="xs"
      p={0}
      m={0}
      style={{ listStyle: 'none' }}
      aria-label={t('ticket.timeline')}
    >
      {events.map((event) => {
        const described = describeEvent(event, names, t, i18n.language);
        const tone = TONE[described.tone];
        return (
          <li key={event.id} data-event-type={event.type}>
            <Group gap="sm" align="flex-start" wrap="nowrap">
              <ThemeIcon color={tone.color} size={10} radius="xl" mt={6} aria-hidden />
              <Stack gap={4} style={{ flex: 1, minWidth: 0 }}>
                <Group gap="xs" justify="space-between" wrap="nowrap">
                  <Text
                    size="sm"
                    fw={described.body ? 600 : 400}
                    c={described.tone === 'alert' ? 'red.9' : undefined}
                  >
                    {described.text}
                  </Text>
                  <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                    <time dateTime={event.at}>{formatDateTime(event.at, i18n.language)}</time>
                  </Text>
                </Group>
                {described.body && (
                  <Paper withBorder p="sm" bg={tone.bg} radius="sm">
                    <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                      {described.body}
                    </Text>
                  </Paper>
                )}
              </Stack>
            </Group>
          </li>
        );
      })}
    </Stack>
  );
}
