import { Badge, Progress, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useChosenTeam } from '../../../lib/team-choice';
import { useTeamLoad } from '../api/supervision';
import { PageHeader } from './PageHeader';
import { Pending } from './Pending';

/** Who carries how much: open owned tickets against capacity, overdue ones, away or present. */
export function TeamLoadPage() {
  const { t } = useTranslation();
  const chosen = useChosenTeam();
  const load = useTeamLoad(chosen.teamId);
  return (
    <Stack gap="lg">
      <PageHeader title={t('load.title')} chosen={chosen} />
      {!load.data ? (
        <Pending error={load.error} label={t('load.loading')} />
      ) : (
        <Table aria-label={t('load.title')} striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('load.agent')}</Table.Th>
              <Table.Th scope="col">{t('load.presence')}</Table.Th>
              <Table.Th scope="col">{t('load.open')}</Table.Th>
              <Table.Th scope="col">{t('load.overdue')}</Table.Th>
              <Table.Th scope="col">{t('load.capacity')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {load.data.items.map((row) => {
              const share =
                row.capacity > 0 ? Math.min(100, (row.openOwned / row.capacity) * 100) : 100;
              return (
                <Table.Tr key={row.agentId}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {row.name}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {t(`roles.${row.role}`)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Badge
                      variant="dot"
                      autoContrast
                      color={!row.active ? 'gray' : row.away ? 'yellow' : 'green'}
                    >
                      {!row.active
                        ? t('load.inactive')
                        : row.away
                          ? t('load.away')
                          : t('load.present')}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{row.openOwned}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text
                      size="sm"
                      c={row.overdue > 0 ? 'red.9' : undefined}
                      fw={row.overdue > 0 ? 700 : 400}
                    >
                      {row.overdue}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      {t('load.ofCapacity', { open: row.openOwned, capacity: row.capacity })}
                    </Text>
                    <Progress
                      value={share}
                      color={share >= 90 ? 'red' : share >= 70 ? 'yellow' : 'indigo'}
                      size="sm"
                      aria-label={t('load.capacityOf', { name: row.name })}
                    />
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
