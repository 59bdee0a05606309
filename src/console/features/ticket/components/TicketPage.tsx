import { Alert, Anchor, Center, Grid, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useCurrentAgent } from '../../../lib/current-agent';
import { errorMessage } from '../../../lib/error-message';
import { StatusBadge, TierBadge } from '../../../lib/labels';
import { formatDateTime } from '../../../lib/time';
import {
  useAgentNames,
  useCustomer,
  useTeam,
  useTeammates,
  useTicket,
  useTicketConsults,
  useTicketHandoffs,
  useTicketPromises,
  useTimeline,
} from '../api/ticket-queries';
import { agentIdsOf } from '../describe-event';
import { ConsultsPanel } from './ConsultsPanel';
import { DeadlinePanel } from './DeadlinePanel';
import { HandoffPanel, IncomingOffer } from './HandoffPanel';
import { PresenceBar } from './PresenceBar';
import { PromisesPanel } from './PromisesPanel';
import { ReplyBox } from './ReplyBox';
import { ReopenPanel, ResolvePanel } from './ResolvePanel';
import { Section } from './Section';
import { StatusPanel } from './StatusPanel';
import { TimelineList } from './TimelineList';

export function TicketPage() {
  const { ticketId = '' } = useParams();
  const { t } = useTranslation();
  const ticket = useTicket(ticketId);
  if (ticket.isPending) {
    return (
      <Center p="xl">
        <Group gap="sm">
          <Loader size="sm" />
          <Text>{t('ticket.loading')}</Text>
        </Group>
      </Center>
    );
  }
  if (ticket.isError) {
    return (
      <Stack>
        <Alert color="red" role="alert">
          {errorMessage(ticket.error, t)}
        </Alert>
        <Anchor component={Link} to="/">
          {t('ticket.backToQueue')}
        </Anchor>
      </Stack>
    );
  }
  return <TicketView ticketId={ticket.data.id} />;
}

function TicketView({ ticketId }: { ticketId: string }) {
  const { t, i18n } = useTranslation();
  const me = useCurrentAgent();
  const ticket = useTicket(ticketId).data!;
  const timeline = useTimeline(ticketId);
  const consults = useTicketConsults(ticketId);
  const promises = useTicketPromises(ticketId);
  const handoffs = useTicketHandoffs(ticketId);
  const customer = useCustomer(ticket.customerId);
  const teammates = useTeammates(ticket.teamId);
  const team = useTeam(ticket.teamId);
  const events = useMemo(() => timeline.data ?? [], [timeline.data]);
  const mentioned = useMemo(
    () => [
      ticket.ownerId,
      ...events.flatMap(agentIdsOf),
      ...(consults.data ?? []).flatMap((c) => (c.agentId ? [c.agentId] : [])),
    ],
    [ticket.ownerId, events, consults.data],
  );
  const names = useAgentNames(ticket.teamId, mentioned);
  const isOwner = ticket.ownerId === me.id;
  const active = ticket.status === 'open' || ticket.status === 'waiting_on_customer';
  const openPromises = (promises.data ?? []).filter((p) => p.status === 'open');
  const ownerName = isOwner
    ? t('ticket.you')
    : (names.get(ticket.ownerId) ?? t('timeline.someone'));

  return (
    <Stack gap="md">
      <Anchor component={Link} to="/" size="sm">
        ← {t('ticket.backToQueue')}
      </Anchor>
      <Stack gap={4}>
        <Group gap="sm">
          <Text ff="monospace" c="dimmed">
            {ticket.ref}
          </Text>
          <StatusBadge status={ticket.status} />
          <Text size="sm">
            {t('ticket.owner')}: <strong>{ownerName}</strong>
          </Text>
        </Group>
        <Title order={1} size="h2">
          {ticket.subject}
        </Title>
        <Text size="sm" c="dimmed">
          {t('ticket.receivedVia', {
            time: formatDateTime(ticket.receivedAt, i18n.language),
            channel: ticket.channel,
          })}
        </Text>
        <PresenceBar ticketId={ticket.id} />
      </Stack>

      {handoffs.data?.toMe && (
        <IncomingOffer ticket={ticket} handoff={handoffs.data.toMe} names={names} />
      )}
      {!isOwner && active && !handoffs.data?.toMe && (
        <Alert color="gray" variant="light">
          {t('ticket.notOwner')}
        </Alert>
      )}

      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="md">
            <Section title={t('ticket.description')}>
              <Text style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                {ticket.description}
              </Text>
              {ticket.resolution && (
                <Text size="sm">
                  <strong>{t('ticket.resolution')}:</strong> {ticket.resolution}
                  {ticket.rootCause &&
                    ` · ${t('ticket.rootCause')}: ${t(`silo.${ticket.rootCause.silo}`)}, ${ticket.rootCause.category}`}
                </Text>
              )}
            </Section>
            <Section title={t('ticket.timeline')}>
              {timeline.isPending ? (
                <Loader size="sm" aria-label={t('app.loading')} />
              ) : timeline.isError ? (
                <Alert color="red" role="alert">
                  {errorMessage(timeline.error, t)}
                </Alert>
              ) : (
                <TimelineList events={events} names={names} />
              )}
            </Section>
            {isOwner && active && <ReplyBox ticket={ticket} events={events} names={names} />}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="md">
            <DeadlinePanel ticket={ticket} />
            <Section title={t('ticket.customer')}>
              {customer.data ? (
                <Stack gap={4}>
                  <Group gap="xs">
                    <Text fw={600}>{customer.data.name}</Text>
                    <TierBadge tier={customer.data.tier} />
                  </Group>
                  <Text size="sm">{customer.data.email}</Text>
                  <Anchor component={Link} to={`/customers/${customer.data.id}`} size="sm">
                    {t('ticket.customerStory')}
                  </Anchor>
                </Stack>
              ) : customer.isError ? (
                <Text size="sm" c="dimmed">
                  {errorMessage(customer.error, t)}
                </Text>
              ) : (
                <Loader size="xs" aria-label={t('app.loading')} />
              )}
            </Section>
            {isOwner && active && <StatusPanel ticket={ticket} />}
            {isOwner && active && (
              <HandoffPanel
                ticket={ticket}
                teammates={teammates.data ?? []}
                pendingFromMe={handoffs.data?.fromMe ?? null}
                names={names}
              />
            )}
            <ConsultsPanel
              ticket={ticket}
              consults={consults.data ?? []}
              teammates={teammates.data ?? []}
              teamName={team.data?.name}
              names={names}
              canAsk={isOwner && active}
              canCancel={
                active &&
                (isOwner ||
                  me.role === 'admin' ||
                  (me.role === 'supervisor' && me.teamId === ticket.teamId))
              }
            />
            <PromisesPanel
              ticket={ticket}
              promises={promises.data ?? []}
              canAct={isOwner && active}
            />
            {isOwner && active && <ResolvePanel ticket={ticket} openPromises={openPromises} />}
            {!active && <ReopenPanel ticket={ticket} />}
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
