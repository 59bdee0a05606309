import { Badge, Button, NativeSelect, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Agent, Consult, Ticket } from '../../../lib/api-types';
import { useCurrentAgent } from '../../../lib/current-agent';
import { fieldError } from '../../../lib/error-message';
import { formatDateTime } from '../../../lib/time';
import { useAskConsult, useCancelConsult } from '../api/ticket-actions';
import { FormError } from '../../../lib/form-error';
import { isoFromLocalInput } from './local-time';
import { Section } from './Section';

interface Props {
  ticket: Ticket;
  consults: Consult[];
  teammates: Agent[];
  teamName: string | undefined;
  names: Map<string, string>;
  canAsk: boolean;
  /** The owner, a supervisor of the ticket's team or an admin may cancel an open consult. */
  canCancel: boolean;
}

export function ConsultsPanel({
  ticket,
  consults,
  teammates,
  teamName,
  names,
  canAsk,
  canCancel,
}: Props) {
  const { t, i18n } = useTranslation();
  const me = useCurrentAgent();
  const ask = useAskConsult(ticket.id);
  const cancel = useCancelConsult(ticket.id);
  const [whom, setWhom] = useState(`team:${ticket.teamId}`);
  const [question, setQuestion] = useState('');
  const [dueAt, setDueAt] = useState('');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const [kind, id] = whom.split(':');
    const due = isoFromLocalInput(dueAt);
    ask.mutate(
      {
        input: {
          ...(kind === 'agent' ? { agentId: id } : { teamId: id }),
          question,
          ...(due ? { dueAt: due } : {}),
        },
        version: ticket.version,
      },
      {
        onSuccess: () => {
          setQuestion('');
          setDueAt('');
        },
      },
    );
  };
  const whomOf = (c: Consult) =>
    c.agentId
      ? (names.get(c.agentId) ?? t('timeline.someone'))
      : c.teamId === ticket.teamId && teamName
        ? teamName
        : t('timeline.someone');

  return (
    <Section title={t('actions.consultsTitle')}>
      {consults.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('actions.noConsults')}
        </Text>
      ) : (
        <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
          {consults.map((c) => (
            <li key={c.id}>
              <Text size="sm" fw={500}>
                {c.question}{' '}
                <Badge
                  size="xs"
                  variant="light"
                  color={c.status === 'answered' ? 'green' : c.status === 'open' ? 'blue' : 'gray'}
                  autoContrast
                >
                  {c.status}
                </Badge>
              </Text>
              <Text size="xs" c="dimmed">
                {t('actions.consultAskedOf', {
                  whom: whomOf(c),
                  due: formatDateTime(c.dueAt, i18n.language),
                })}
              </Text>
              {c.answer && (
                <Text size="sm">{t('actions.consultAnswered', { answer: c.answer })}</Text>
              )}
              {canCancel && c.status === 'open' && (
                <Button
                  size="compact-xs"
                  variant="outline"
                  color="red.9"
                  loading={cancel.isPending && cancel.variables?.input.consultId === c.id}
                  onClick={() =>
                    cancel.mutate({ input: { consultId: c.id }, version: ticket.version })
                  }
                >
                  {t('actions.cancelConsult')}
                </Button>
              )}
            </li>
          ))}
        </Stack>
      )}
      {cancel.error && <FormError error={cancel.error} fields={[]} />}
      {canAsk && (
        <form onSubmit={submit} noValidate aria-label={t('actions.consultTitle')}>
          <Stack gap="xs">
            <NativeSelect
              label={t('actions.consultWhom')}
              value={whom}
              onChange={(e) => setWhom(e.currentTarget.value)}
              error={fieldError(ask.error, 'agentId') ?? fieldError(ask.error, 'teamId')}
              data={[
                {
                  value: `team:${ticket.teamId}`,
                  label: t('actions.consultTeam', { name: teamName ?? '…' }),
                },
                ...teammates
                  .filter((a) => a.id !== me.id && a.active && a.role !== 'integration')
                  .map((a) => ({ value: `agent:${a.id}`, label: a.name })),
              ]}
            />
            <Textarea
              label={t('actions.consultQuestion')}
              autosize
              minRows={2}
              value={question}
              error={fieldError(ask.error, 'question')}
              onChange={(e) => setQuestion(e.currentTarget.value)}
            />
            <TextInput
              type="datetime-local"
              label={t('actions.consultDue')}
              value={dueAt}
              error={fieldError(ask.error, 'dueAt')}
              onChange={(e) => setDueAt(e.currentTarget.value)}
            />
            <FormError error={ask.error} fields={['agentId', 'teamId', 'question', 'dueAt']} />
            <Button type="submit" variant="light" loading={ask.isPending}>
              {t('actions.askConsult')}
            </Button>
          </Stack>
        </form>
      )}
    </Section>
  );
}
