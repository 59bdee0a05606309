import { Alert, Anchor, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { errorMessage } from '../../../lib/error-message';
import { useTeams } from '../../../lib/team-choice';

/** Every team with its timezone and hours; each opens the calendar and policy editor. */
export function TeamsPage() {
  const { t } = useTranslation();
  const teams = useTeams();
  return (
    <Stack gap="lg">
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('teams.title')}
        </Title>
        <Button component={Link} to="/admin/teams/new">
          {t('teams.create')}
        </Button>
      </Group>
      {teams.isError ? (
        <Alert color="red" role="alert">
          {errorMessage(teams.error, t)}
        </Alert>
      ) : (
        <Table aria-label={t('teams.title')} striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('teams.name')}</Table.Th>
              <Table.Th scope="col">{t('teams.timezone')}</Table.Th>
              <Table.Th scope="col">{t('teams.openDays')}</Table.Th>
              <Table.Th scope="col">{t('teams.cutoff')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(teams.data?.items ?? []).map((team) => (
              <Table.Tr key={team.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/admin/teams/${team.id}`} size="sm">
                    {team.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{team.timezone}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">
                    {Object.keys(team.businessHours)
                      .map((day) => t(`weekdays.${day}`))
                      .join(', ')}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{team.sameDayCutoff ?? t('teams.cutoffIsClose')}</Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
