import { Button, NativeSelect, Stack, TextInput, Textarea } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { SILOS, type CustomerPromise, type Silo, type Ticket } from '../../../lib/api-types';
import { fieldError } from '../../../lib/error-message';
import { useReopen, useResolve, type ResolveInput } from '../api/ticket-actions';
import { FormError } from '../../../lib/form-error';
import { Section } from './Section';

type Outcome = ResolveInput['promises'][number]['outcome'];

/** Resolve with a root cause, saying what became of each open promise. */
export function ResolvePanel({
  ticket,
  openPromises,
}: {
  ticket: Ticket;
  openPromises: CustomerPromise[];
}) {
  const { t } = useTranslation();
  const resolve = useResolve(ticket.id);
  const [resolution, setResolution] = useState('');
  const [silo, setSilo] = useState<Silo | ''>('');
  const [category, setCategory] = useState('');
  const [detail, setDetail] = useState('');
  const [outcomes, setOutcomes] = useState<Record<string, Outcome>>({});

  const submit = (event: FormEvent) => {
    event.preventDefault();
    resolve.mutate({
      input: {
        resolution,
        rootCause: { silo, category, ...(detail.trim() ? { detail } : {}) },
        promises: openPromises.map((p) => ({ id: p.id, outcome: outcomes[p.id] ?? '' })),
      },
      version: ticket.version,
    });
  };
  const promiseFields = openPromises.map((_, i) => `promises.${i}.outcome`);

  return (
    <Section title={t('actions.resolveTitle')}>
      <form onSubmit={submit} noValidate>
        <Stack gap="xs">
          <Textarea
            label={t('actions.resolution')}
            autosize
            minRows={2}
            value={resolution}
            error={fieldError(resolve.error, 'resolution')}
            onChange={(e) => setResolution(e.currentTarget.value)}
          />
          <NativeSelect
            label={t('actions.rootCauseSilo')}
            value={silo}
            error={
              fieldError(resolve.error, 'rootCause.silo') ?? fieldError(resolve.error, 'rootCause')
            }
            onChange={(e) => setSilo(e.currentTarget.value as Silo | '')}
            data={[
              { value: '', label: t('actions.chooseSilo') },
              ...SILOS.map((s) => ({ value: s, label: t(`silo.${s}`) })),
            ]}
          />
          <TextInput
            label={t('actions.rootCauseCategory')}
            value={category}
            error={fieldError(resolve.error, 'rootCause.category')}
            onChange={(e) => setCategory(e.currentTarget.value)}
          />
          <Textarea
            label={t('actions.rootCauseDetail')}
            autosize
            minRows={1}
            value={detail}
            error={fieldError(resolve.error, 'rootCause.detail')}
            onChange={(e) => setDetail(e.currentTarget.value)}
          />
          {openPromises.map((p, i) => (
            <NativeSelect
              key={p.id}
              label={t('actions.promiseOutcome', { description: p.description })}
              value={outcomes[p.id] ?? ''}
              error={fieldError(resolve.error, `promises.${i}.outcome`)}
              onChange={(e) =>
                setOutcomes({ ...outcomes, [p.id]: e.currentTarget.value as Outcome })
              }
              data={[
                { value: '', label: t('actions.chooseOutcome') },
                ...(['kept', 'broken', 'cancelled'] as const).map((o) => ({
                  value: o,
                  label: t(`actions.outcome.${o}`),
                })),
              ]}
            />
          ))}
          <FormError
            error={resolve.error}
            fields={[
              'resolution',
              'rootCause',
              'rootCause.silo',
              'rootCause.category',
              'rootCause.detail',
              ...promiseFields,
            ]}
          />
          <Button type="submit" loading={resolve.isPending}>
            {t('actions.resolve')}
          </Button>
        </Stack>
      </form>
    </Section>
  );
}

export function ReopenPanel({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const reopen = useReopen(ticket.id);
  const [reason, setReason] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    reopen.mutate({ input: reason, version: ticket.version }, { onSuccess: () => setReason('') });
  };
  return (
    <Section title={t('actions.reopenTitle')}>
      <form onSubmit={submit} noValidate>
        <Stack gap="xs">
          <Textarea
            label={t('actions.reopenReason')}
            autosize
            minRows={2}
            value={reason}
            error={fieldError(reopen.error, 'reason')}
            onChange={(e) => setReason(e.currentTarget.value)}
          />
          <FormError error={reopen.error} fields={['reason']} />
          <Button type="submit" variant="light" loading={reopen.isPending}>
            {t('actions.reopen')}
          </Button>
        </Stack>
      </form>
    </Section>
  );
}
