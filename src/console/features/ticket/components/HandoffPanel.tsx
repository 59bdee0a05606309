import { Alert, Button, Group, Stack, Text, Textarea } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Agent, Handoff, Ticket } from '../../../lib/api-types';
import { useCurrentAgent } from '../../../lib/current-agent';
import { fieldError } from '../../../lib/error-message';
import { useAnswerHandoff, useOfferHandoff } from '../api/ticket-actions';
import { FormError } from '../../../lib/form-error';
import { TeammateSelect } from '../../../lib/teammate-select';
import { Section } from './Section';

interface Props {
  ticket: Ticket;
  teammates: Agent[];
  pendingFromMe: Handoff | null;
  names: Map<string, string>;
}

/** The owner offers the ticket to a teammate; the owner stays the owner until it is accepted. */
export function HandoffPanel({ ticket, teammates, pendingFromMe, names }: Props) {
  const { t } = useTranslation();
  const me = useCurrentAgent();
  const offer = useOfferHandoff(ticket.id);
  const withdraw = useAnswerHandoff(ticket.id);
  const [toAgentId, setToAgentId] = useState('');
  const [note, setNote] = useState('');
  const candidates = teammates.filter(
    (a) => a.id !== me.id && a.active && a.role !== 'integration',
  );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    offer.mutate(
      { input: { toAgentId, note }, version: ticket.version },
      {
        onSuccess: () => {
          setNote('');
          setToAgentId('');
        },
      },
    );
  };

  return (
    <Section title={t('actions.handoffTitle')}>
      {pendingFromMe ? (
        <Stack gap="xs">
          <Text size="sm">
            {t('actions.handoffPending', {
              name: names.get(pendingFromMe.toAgentId) ?? t('timeline.someone'),
            })}
          </Text>
          <FormError error={withdraw.error} fields={[]} />
          <Group>
            <Button
              variant="default"
              loading={withdraw.isPending}
              onClick={() =>
                withdraw.mutate({
                  input: { handoffId: pendingFromMe.id, answer: 'cancel' },
                  version: ticket.version,
                })
              }
            >
              {t('actions.cancelHandoff')}
            </Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="xs">
            <TeammateSelect
              label={t('actions.teammate')}
              value={toAgentId}
              onChange={setToAgentId}
              error={fieldError(offer.error, 'toAgentId')}
              candidates={candidates}
            />
            <Textarea
              label={t('actions.handoffNote')}
              autosize
              minRows={2}
              value={note}
              error={fieldError(offer.error, 'note')}
              onChange={(e) => setNote(e.currentTarget.value)}
            />
            <FormError error={offer.error} fields={['toAgentId', 'note']} />
            <Button type="submit" variant="light" loading={offer.isPending}>
              {t('actions.offerHandoff')}
            </Button>
          </Stack>
        </form>
      )}
    </Section>
  );
}

/** An offer of this ticket addressed to me: accept (I become the owner) or decline. */
export function IncomingOffer({
  ticket,
  handoff,
  names,
}: {
  ticket: Ticket;
  handoff: Handoff;
  names: Map<string, string>;
}) {
  const { t } = useTranslation();
  const answer = useAnswerHandoff(ticket.id);
  const respond = (kind: 'accept' | 'decline') =>
    answer.mutate({ input: { handoffId: handoff.id, answer: kind }, version: ticket.version });
  return (
    <Alert
      color="indigo"
      title={t('actions.offerToMe', {
        name: names.get(handoff.fromAgentId) ?? t('timeline.someone'),
        note: handoff.note,
      })}
    >
      <Stack gap="xs">
        <FormError error={answer.error} fields={[]} />
        <Group>
          <Button
            loading={answer.isPending && answer.variables?.input.answer === 'accept'}
            onClick={() => respond('accept')}
          >
            {t('actions.acceptHandoff')}
          </Button>
          <Button
            variant="default"
            loading={answer.isPending && answer.variables?.input.answer === 'decline'}
            onClick={() => respond('decline')}
          >
            {t('actions.declineHandoff')}
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
