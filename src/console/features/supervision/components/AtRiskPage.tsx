import { Alert, Anchor, Badge, Group, List, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { TierBadge } from '../../../lib/labels';
import { useChosenTeam } from '../../../lib/team-choice';
import { useAtRisk } from '../api/supervision';
import { PageHeader } from './PageHeader';
import { Pending } from './Pending';

/** Customers most likely to leave, each with the reasons its score adds up from. */
export function AtRiskPage() {
  const { t } = useTranslation();
  const chosen = useChosenTeam();
  const atRisk = useAtRisk(chosen.teamId);
  return (
    <Stack gap="lg">
      <PageHeader title={t('atRisk.title')} chosen={chosen} />
      <Text c="dimmed" size="sm">
        {t('atRisk.intro')}
      </Text>
      {!atRisk.data ? (
        <Pending error={atRisk.error} label={t('atRisk.loading')} />
      ) : atRisk.data.items.length === 0 ? (
        <Alert color="green" variant="light">
          {t('atRisk.none')}
        </Alert>
      ) : (
        <Table aria-label={t('atRisk.title')} striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('queue.columns.customer')}</Table.Th>
              <Table.Th scope="col">{t('atRisk.score')}</Table.Th>
              <Table.Th scope="col">{t('atRisk.reasons')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {atRisk.data.items.map((c) => (
              <Table.Tr key={c.customerId}>
                <Table.Td>
                  <Group gap={6}>
                    <Anchor component={Link} to={`/customers/${c.customerId}`} size="sm">
                      {c.name}
                    </Anchor>
                    <TierBadge tier={c.tier} />
                  </Group>
                  <Text size="xs" c="dimmed">
                    {c.email}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Badge color="red" variant="light" autoContrast size="lg">
                    {c.score}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <List size="sm" spacing={2}>
                    {c.reasons.map((r) => (
                      <List.Item key={r.factor}>
                        {t('atRisk.reason', {
                          reason:
                            r.factor === 'tier'
                              ? t('atRisk.factors.tier', { tier: t(`tier.${c.tier}`) })
                              : t(`atRisk.factors.${r.factor}`, { count: r.count }),
                          points: r.points,
                        })}
                      </List.Item>
                    ))}
                  </List>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
