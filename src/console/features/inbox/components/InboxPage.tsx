import {
  Alert,
  Anchor,
  Button,
  Group,
  Loader,
  Paper,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { Consult, Handoff } from '../../../lib/api-types';
import { errorMessage, fieldError } from '../../../lib/error-message';
import { formatDateTime } from '../../../lib/time';
import {
  useAgentName,
  useAnswerConsult,
  useAnswerOffer,
  useIncomingConsults,
  useIncomingHandoffs,
} from '../api/inbox';

export function InboxPage() {
  const { t } = useTranslation();
  const handoffs = useIncomingHandoffs();
  const consults = useIncomingConsults();
  return (
    <Stack gap="lg">
      <Title order={1} size="h2">
        {t('inbox.title')}
      </Title>
      <Stack gap="sm" component="section" aria-labelledby="inbox-handoffs">
        <Title order={2} size="h3" id="inbox-handoffs">
          {t('inbox.handoffsTitle')}
        </Title>
        {handoffs.isPending ? (
          <Loader size="sm" aria-label={t('app.loading')} />
        ) : handoffs.isError ? (
          <Alert color="red" role="alert">
            {errorMessage(handoffs.error, t)}
          </Alert>
        ) : handoffs.data.items.length === 0 ? (
          <Text c="dimmed">{t('inbox.noHandoffs')}</Text>
        ) : (
          handoffs.data.items.map((h) => <OfferCard key={h.id} handoff={h} />)
        )}
      </Stack>
      <Stack gap="sm" component="section" aria-labelledby="inbox-consults">
        <Title order={2} size="h3" id="inbox-consults">
          {t('inbox.consultsTitle')}
        </Title>
        {consults.isPending ? (
          <Loader size="sm" aria-label={t('app.loading')} />
        ) : consults.isError ? (
          <Alert color="red" role="alert">
            {errorMessage(consults.error, t)}
          </Alert>
        ) : consults.data.items.length === 0 ? (
          <Text c="dimmed">{t('inbox.noConsults')}</Text>
        ) : (
          consults.data.items.map((c) => <ConsultCard key={c.id} consult={c} />)
        )}
      </Stack>
    </Stack>
  );
}

function OfferCard({ handoff }: { handoff: Handoff }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const from = useAgentName(handoff.fromAgentId);
  const answer = useAnswerOffer();
  const ref = handoff.ticketRef ?? '';
  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap="xs">
        <Anchor
          component={Link}
          to={`/tickets/${handoff.ticketId}`}
          fw={600}
          aria-label={t('inbox.openTicket', { ref })}
        >
          {ref} {handoff.ticketSubject}
        </Anchor>
        <Text size="sm">
          {t('inbox.handoffFrom', {
            name: from.data?.name ?? t('timeline.someone'),
            note: handoff.note,
          })}
        </Text>
        <Text size="xs" c="dimmed">
          {t('inbox.expires', { time: formatDateTime(handoff.expiresAt, i18n.language) })}
        </Text>
        {answer.error && (
          <Alert color="red" role="alert">
            {errorMessage(answer.error, t)}
          </Alert>
        )}
        <Group>
          <Button
            loading={answer.isPending && answer.variables?.answer === 'accept'}
            onClick={() =>
              answer.mutate(
                { handoff, answer: 'accept' },
                { onSuccess: () => void navigate(`/tickets/${handoff.ticketId}`) },
              )
            }
          >
            {t('actions.acceptHandoff')}
          </Button>
          <Button
            variant="default"
            loading={answer.isPending && answer.variables?.answer === 'decline'}
            onClick={() => answer.mutate({ handoff, answer: 'decline' })}
          >
            {t('actions.declineHandoff')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

function ConsultCard({ consult }: { consult: Consult }) {
  const { t, i18n } = useTranslation();
  const asker = useAgentName(consult.askedById);
  const answer = useAnswerConsult();
  const [text, setText] = useState('');
  const ref = consult.ticketRef ?? '';
  return (
    <Paper withBorder p="md" radius="md">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          answer.mutate({ consult, answer: text }, { onSuccess: () => setText('') });
        }}
      >
        <Stack gap="xs">
          <Anchor
            component={Link}
            to={`/tickets/${consult.ticketId}`}
            fw={600}
            aria-label={t('inbox.openTicket', { ref })}
          >
            {ref} {consult.ticketSubject}
          </Anchor>
          <Text size="sm">
            <strong>{asker.data?.name ?? t('timeline.someone')}:</strong> {consult.question}
          </Text>
          <Text size="xs" c="dimmed">
            {t('actions.promiseDueAt', { due: formatDateTime(consult.dueAt, i18n.language) })}
          </Text>
          <Textarea
            label={t('inbox.answerLabel', { ref })}
            autosize
            minRows={2}
            value={text}
            error={fieldError(answer.error, 'answer')}
            onChange={(e) => setText(e.currentTarget.value)}
          />
          {answer.error && !fieldError(answer.error, 'answer') && (
            <Alert color="red" role="alert">
              {errorMessage(answer.error, t)}
            </Alert>
          )}
          <Group>
            <Button type="submit" variant="light" loading={answer.isPending}>
              {t('inbox.sendAnswer')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
