import { Alert, Anchor, Badge, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCurrentAgent } from '../../../lib/current-agent';
import { errorMessage } from '../../../lib/error-message';
import { useLiveState } from '../../../lib/live-status';
import { useChosenTeam } from '../../../lib/team-choice';
import { formatDateTime } from '../../../lib/time';
import { useFailedEmails, useResendEmail, type OutboxEmail } from '../api/outbox';
import { emailProblemOf } from '../email-problem';
import { DismissEmailDialog } from './DismissEmailDialog';
import { PageHeader } from './PageHeader';
import { Pending } from './Pending';

const KINDS = [
  'ticket_acknowledgement',
  'public_update',
  'holding_update',
  'waiting_reminder',
  'ticket_resolved',
  'satisfaction_survey',
];

/**
 * The team's customer emails that did not go out (failed) or may not have (ambiguous), newest
 * first, each to be resent to the customer's current address or dismissed with a note. For
 * supervisors and admins; a rep who opens the address is told it is not for them.
 */
export function FailedEmailsPage() {
  const { t } = useTranslation();
  const agent = useCurrentAgent();
  if (agent.role !== 'supervisor' && agent.role !== 'admin') {
    return (
      <Stack gap="lg">
        <Title order={1} size="h2">
          {t('emails.title')}
        </Title>
        <Alert color="red" role="alert">
          {t('emails.notAllowed')}
        </Alert>
      </Stack>
    );
  }
  return <FailedEmails />;
}

function FailedEmails() {
  const { t, i18n } = useTranslation();
  const chosen = useChosenTeam();
  const emails = useFailedEmails(chosen.teamId);
  const live = useLiveState();
  const resend = useResendEmail();
  const [dismissing, setDismissing] = useState<OutboxEmail | null>(null);
  const [notice, setNotice] = useState('');

  const resendEmail = (email: OutboxEmail) => {
    setNotice('');
    resend.mutate(email.id, {
      onSuccess: (queued) => setNotice(t('emails.resent', { ref: email.ticketRef, to: queued.to })),
    });
  };

  return (
    <Stack gap="lg">
      <PageHeader title={t('emails.title')} chosen={chosen}>
        <Badge color={live === 'live' ? 'green' : 'gray'} variant="dot" autoContrast>
          {live === 'live' ? t('queue.live') : t('queue.reconnecting')}
        </Badge>
      </PageHeader>
      <Text c="dimmed" size="sm">
        {t('emails.intro')}
      </Text>
      <div role="status">
        {notice && (
          <Alert color="green" variant="light">
            {notice}
          </Alert>
        )}
      </div>
      {resend.error !== null && (
        <Alert color="red" role="alert">
          {errorMessage(resend.error, t)}
        </Alert>
      )}
      {!emails.data ? (
        <Pending error={emails.error} label={t('emails.loading')} />
      ) : emails.data.items.length === 0 ? (
        <Alert color="green" variant="light">
          {t('emails.none')}
        </Alert>
      ) : (
        <Table.ScrollContainer minWidth={960}>
          <Table aria-label={t('emails.title')} striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('emails.recipient')}</Table.Th>
                <Table.Th scope="col">{t('emails.ticket')}</Table.Th>
                <Table.Th scope="col">{t('emails.kind')}</Table.Th>
                <Table.Th scope="col">{t('emails.when')}</Table.Th>
                <Table.Th scope="col">{t('emails.problem')}</Table.Th>
                <Table.Th scope="col">{t('actions.title')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {emails.data.items.map((email) => (
                <Table.Tr key={email.id}>
                  <Table.Td>
                    <Text size="sm">{email.to}</Text>
                    {email.customerEmail !== email.to && (
                      <Text size="xs" c="dimmed">
                        {t('emails.addressChanged', { email: email.customerEmail })}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/tickets/${email.ticketId}`} size="sm">
                      {email.ticketRef}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      {email.ticketSubject}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      {KINDS.includes(email.kind) ? t(`emails.kinds.${email.kind}`) : email.kind}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      {formatDateTime(email.failedAt ?? email.createdAt, i18n.language)}
                    </Text>
                  </Table.Td>
                  <Table.Td maw={380}>
                    <Badge
                      color={email.status === 'ambiguous' ? 'yellow' : 'red'}
                      variant="light"
                      autoContrast
                      mb={4}
                    >
                      {t(email.status === 'ambiguous' ? 'emails.ambiguous' : 'emails.failed')}
                    </Badge>
                    <Text size="sm">
                      {t(`emails.problems.${emailProblemOf(email.status, email.lastError)}`)}
                    </Text>
                    {email.lastError && (
                      <Text size="xs" c="dimmed">
                        {t('emails.serverSaid', { error: email.lastError })}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <Button
                        size="xs"
                        variant="light"
                        loading={resend.isPending && resend.variables === email.id}
                        onClick={() => resendEmail(email)}
                      >
                        {t('emails.resend')}
                      </Button>
                      <Button
                        size="xs"
                        variant="default"
                        onClick={() => {
                          setNotice('');
                          setDismissing(email);
                        }}
                      >
                        {t('emails.dismiss')}
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <DismissEmailDialog
        email={dismissing}
        onClose={() => setDismissing(null)}
        onDismissed={(email) => setNotice(t('emails.dismissed', { ref: email.ticketRef }))}
      />
    </Stack>
  );
}
