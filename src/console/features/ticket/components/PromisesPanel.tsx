import { Badge, Button, Group, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { SILOS, type CustomerPromise, type Silo, type Ticket } from '../../../lib/api-types';
import { fieldError } from '../../../lib/error-message';
import { formatDateTime } from '../../../lib/time';
import { useKeepPromise, useMakePromise } from '../api/ticket-actions';
import { FormError } from '../../../lib/form-error';
import { isoFromLocalInput } from './local-time';
import { Section } from './Section';

const STATUS_COLOR = { open: 'blue', kept: 'green', broken: 'red', cancelled: 'gray' } as const;

export function PromisesPanel({
  ticket,
  promises,
  canAct,
}: {
  ticket: Ticket;
  promises: CustomerPromise[];
  canAct: boolean;
}) {
  const { t, i18n } = useTranslation();
  const make = useMakePromise(ticket.id);
  const keep = useKeepPromise(ticket.id);
  const [description, setDescription] = useState('');
  const [dueAt, setDueAt] = useState('');
  const [silo, setSilo] = useState<Silo | ''>('');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    make.mutate(
      { input: { description, dueAt: isoFromLocalInput(dueAt), silo }, version: ticket.version },
      {
        onSuccess: () => {
          setDescription('');
          setDueAt('');
          setSilo('');
        },
      },
    );
  };

  return (
    <Section title={t('actions.promisesTitle')}>
      {promises.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('actions.noPromises')}
        </Text>
      ) : (
        <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
          {promises.map((p) => (
            <li key={p.id}>
              <Group justify="space-between" wrap="nowrap" align="flex-start">
                <div>
                  <Text size="sm" fw={500}>
                    {p.description}{' '}
                    <Badge size="xs" variant="light" color={STATUS_COLOR[p.status]} autoContrast>
                      {t(
                        p.status === 'open'
                          ? 'deadline.states.pending'
                          : `actions.outcome.${p.status}`,
                      )}
                    </Badge>
                  </Text>
                  <Text size="xs" c="dimmed">
                    {t('actions.promiseDueAt', { due: formatDateTime(p.dueAt, i18n.language) })} ·{' '}
                    {t(`silo.${p.silo}`)}
                  </Text>
                </div>
                {canAct && p.status === 'open' && (
                  <Button
                    size="xs"
                    variant="light"
                    color="green"
                    aria-label={t('actions.markKeptLabel', { description: p.description })}
                    loading={keep.isPending && keep.variables?.input === p.id}
                    onClick={() => keep.mutate({ input: p.id, version: ticket.version })}
                  >
                    {t('actions.markKept')}
                  </Button>
                )}
              </Group>
            </li>
          ))}
        </Stack>
      )}
      <FormError error={keep.error} fields={[]} />
      {canAct && (
        <form onSubmit={submit} noValidate aria-label={t('actions.recordPromise')}>
          <Stack gap="xs">
            <TextInput
              label={t('actions.promiseWhat')}
              value={description}
              error={fieldError(make.error, 'description')}
              onChange={(e) => setDescription(e.currentTarget.value)}
            />
            <TextInput
              type="datetime-local"
              label={t('actions.promiseDue')}
              value={dueAt}
              error={fieldError(make.error, 'dueAt')}
              onChange={(e) => setDueAt(e.currentTarget.value)}
            />
            <NativeSelect
              label={t('actions.promiseSilo')}
              value={silo}
              error={fieldError(make.error, 'silo')}
              onChange={(e) => setSilo(e.currentTarget.value as Silo | '')}
              data={[
                { value: '', label: t('actions.chooseSilo') },
                ...SILOS.map((s) => ({ value: s, label: t(`silo.${s}`) })),
              ]}
            />
            <FormError error={make.error} fields={['description', 'dueAt', 'silo']} />
            <Button type="submit" variant="light" loading={make.isPending}>
              {t('actions.recordPromise')}
            </Button>
          </Stack>
        </form>
      )}
    </Section>
  );
}
