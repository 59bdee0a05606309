import { Alert, Anchor, Group, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { errorMessage } from '../../../lib/error-message';
import { StatusBadge, TierBadge } from '../../../lib/labels';
import { formatDateTime } from '../../../lib/time';
import { useCustomerStory, type StoryOtherTeam } from '../api/story';

/** The customer's whole history across silos, exactly as the API tells it to this reader. */
export function CustomerStoryPage() {
  const { customerId = '' } = useParams();
  const { t, i18n } = useTranslation();
  const story = useCustomerStory(customerId);
  if (story.isPending) {
    return (
      <Group gap="sm">
        <Loader size="sm" />
        <Text>{t('story.loading')}</Text>
      </Group>
    );
  }
  if (story.isError)
    return (
      <Alert color="red" role="alert">
        {errorMessage(story.error, t)}
      </Alert>
    );
  const { customer, concerns, events, otherTeams } = story.data;
  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <Group gap="sm">
          <Title order={1} size="h2">
            {t('story.title', { name: customer.name })}
          </Title>
          <TierBadge tier={customer.tier} />
        </Group>
        <Text c="dimmed">{customer.email}</Text>
      </Stack>
      <Stack gap="xs" component="section" aria-labelledby="story-concerns">
        <Title order={2} size="h3" id="story-concerns">
          {t('story.concerns')}
        </Title>
        <Table aria-labelledby="story-concerns">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('queue.columns.ref')}</Table.Th>
              <Table.Th scope="col">{t('queue.columns.subject')}</Table.Th>
              <Table.Th scope="col">{t('queue.columns.status')}</Table.Th>
              <Table.Th scope="col">{t('ticket.owner')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {concerns.map((c) => (
              <Table.Tr key={c.ticketId}>
                <Table.Td>
                  <Text ff="monospace" size="sm">
                    {c.ref}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Anchor component={Link} to={`/tickets/${c.ticketId}`} size="sm">
                    {c.subject}
                  </Anchor>{' '}
                  <Text span size="xs" c="dimmed">
                    ({c.teamName})
                  </Text>
                </Table.Td>
                <Table.Td>
                  <StatusBadge status={c.status} />
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{c.owners.map((o) => o.name).join(' → ')}</Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
      {otherTeams.length > 0 && <OtherTeams teams={otherTeams} />}
      <Stack gap="xs" component="section" aria-labelledby="story-events">
        <Title order={2} size="h3" id="story-events">
          {t('ticket.timeline')}
        </Title>
        <Paper withBorder p="md">
          <Stack component="ol" gap={6} p={0} m={0} style={{ listStyle: 'none' }}>
            {events.map((e, i) => (
              <li key={`${e.at}-${i}`}>
                <Text size="sm">
                  <Text span c="dimmed" size="xs">
                    {formatDateTime(e.at, i18n.language)}{' '}
                  </Text>
                  {e.ref && (
                    <Text span ff="monospace" size="xs">
                      {e.ref}{' '}
                    </Text>
                  )}
                  {e.summary}
                </Text>
              </li>
            ))}
          </Stack>
        </Paper>
      </Stack>
    </Stack>
  );
}

/** Other teams' work with the customer as the API tells it to a non-admin: counts, no text. */
function OtherTeams({ teams }: { teams: StoryOtherTeam[] }) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs" component="section" aria-labelledby="story-other-teams">
      <Title order={2} size="h3" id="story-other-teams">
        {t('story.otherTeams')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('story.otherTeamsHint')}
      </Text>
      <Table aria-labelledby="story-other-teams">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('story.team')}</Table.Th>
            <Table.Th scope="col">{t('story.concerns')}</Table.Th>
            <Table.Th scope="col">{t('story.open')}</Table.Th>
            <Table.Th scope="col">{t('story.breaches')}</Table.Th>
            <Table.Th scope="col">{t('story.brokenPromises')}</Table.Th>
            <Table.Th scope="col">{t('story.rootCauses')}</Table.Th>
            <Table.Th scope="col">{t('story.averageScore')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {teams.map((team) => (
            <Table.Tr key={team.teamId}>
              <Table.Th scope="row">{team.teamName}</Table.Th>
              <Table.Td>{team.concerns}</Table.Td>
              <Table.Td>{team.byStatus.open + team.byStatus.waiting_on_customer}</Table.Td>
              <Table.Td>{team.breaches}</Table.Td>
              <Table.Td>{team.promises.broken}</Table.Td>
              <Table.Td>
                {team.bySilo.length === 0
                  ? t('story.none')
                  : team.bySilo.map((s) => `${t(`silo.${s.silo}`)} ${s.count}`).join(', ')}
              </Table.Td>
              <Table.Td>{team.scores.average ?? t('story.none')}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
