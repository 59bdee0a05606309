import { Alert, Anchor, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { errorMessage } from '../../../lib/error-message';
import { StatusBadge, TierBadge } from '../../../lib/labels';
import { MIN_QUERY_LENGTH, useSearch } from '../api/search';

export function SearchPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const q = params.get('q') ?? '';
  const search = useSearch(q);
  return (
    <Stack gap="lg">
      <Title order={1} size="h2">
        {t('search.title', { q })}
      </Title>
      {q.trim().length < MIN_QUERY_LENGTH ? (
        <Text c="dimmed">{t('search.tooShort')}</Text>
      ) : search.isPending ? (
        <Group gap="sm">
          <Loader size="sm" />
          <Text>{t('search.searching')}</Text>
        </Group>
      ) : search.isError ? (
        <Alert color="red" role="alert">
          {errorMessage(search.error, t)}
        </Alert>
      ) : (
        <>
          <Stack gap="xs" component="section" aria-labelledby="search-tickets">
            <Title order={2} size="h3" id="search-tickets">
              {t('search.tickets')}
            </Title>
            {search.data.tickets.length === 0 ? (
              <Text c="dimmed">{t('search.noTickets')}</Text>
            ) : (
              <Table aria-labelledby="search-tickets">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('queue.columns.ref')}</Table.Th>
                    <Table.Th scope="col">{t('queue.columns.subject')}</Table.Th>
                    <Table.Th scope="col">{t('queue.columns.customer')}</Table.Th>
                    <Table.Th scope="col">{t('queue.columns.status')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {search.data.tickets.map((ticket) => (
                    <Table.Tr key={ticket.id}>
                      <Table.Td>
                        <Text ff="monospace" size="sm">
                          {ticket.ref}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Anchor component={Link} to={`/tickets/${ticket.id}`} size="sm">
                          {ticket.subject}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{ticket.customer?.name ?? '—'}</Text>
                      </Table.Td>
                      <Table.Td>
                        <StatusBadge status={ticket.status} />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Stack>
          <Stack gap="xs" component="section" aria-labelledby="search-customers">
            <Title order={2} size="h3" id="search-customers">
              {t('search.customers')}
            </Title>
            {search.data.customers.length === 0 ? (
              <Text c="dimmed">{t('search.noCustomers')}</Text>
            ) : (
              <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
                {search.data.customers.map((c) => (
                  <li key={c.id}>
                    <Group gap="xs">
                      <Anchor component={Link} to={`/customers/${c.id}`}>
                        {c.name}
                      </Anchor>
                      <Text size="sm" c="dimmed">
                        {c.email}
                      </Text>
                      <TierBadge tier={c.tier} />
                    </Group>
                  </li>
                ))}
              </Stack>
            )}
          </Stack>
        </>
      )}
    </Stack>
  );
}
