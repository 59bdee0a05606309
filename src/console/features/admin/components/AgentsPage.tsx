import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  Modal,
  NativeSelect,
  NumberInput,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Agent } from '../../../lib/api-types';
import { errorMessage, fieldError } from '../../../lib/error-message';
import { FormError } from '../../../lib/form-error';
import { useTeams } from '../../../lib/team-choice';
import {
  useAllAgents,
  useDeactivationPreview,
  useInviteAgent,
  useResendInvitation,
  useRotateToken,
  useUpdateAgent,
  type Invitation,
} from '../api/admin';

/** Everyone who works in OwnIt: invite, away, capacity, deactivate, rotate a token. */
export function AgentsPage() {
  const { t } = useTranslation();
  const agents = useAllAgents();
  const teams = useTeams();
  const update = useUpdateAgent();
  const resend = useResendInvitation();
  const [inviting, setInviting] = useState(false);
  const [deactivating, setDeactivating] = useState<Agent | null>(null);
  const [rotating, setRotating] = useState<Agent | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const teamName = new Map((teams.data?.items ?? []).map((team) => [team.id, team.name]));

  return (
    <Stack gap="lg">
      <Group justify="space-between">
        <Title order={1} size="h2">
          {t('agents.title')}
        </Title>
        <Button onClick={() => setInviting(true)}>{t('agents.invite')}</Button>
      </Group>
      {notice && (
        <Alert color="green" role="status" withCloseButton onClose={() => setNotice(null)}>
          {notice}
        </Alert>
      )}
      <FormError error={update.error ?? resend.error} fields={[]} />
      {agents.isError ? (
        <Alert color="red" role="alert">
          {errorMessage(agents.error, t)}
        </Alert>
      ) : (
        <Table.ScrollContainer minWidth={900}>
          <Table aria-label={t('agents.title')} striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('agents.name')}</Table.Th>
                <Table.Th scope="col">{t('agents.role')}</Table.Th>
                <Table.Th scope="col">{t('agents.team')}</Table.Th>
                <Table.Th scope="col">{t('agents.state')}</Table.Th>
                <Table.Th scope="col">{t('agents.capacity')}</Table.Th>
                <Table.Th scope="col">{t('actions.title')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(agents.data?.items ?? []).map((agent) => (
                <Table.Tr key={agent.id}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {agent.name}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {agent.email}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{t(`roles.${agent.role}`)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{agent.teamId ? (teamName.get(agent.teamId) ?? '') : '—'}</Text>
                  </Table.Td>
                  <Table.Td>
                    {agent.active ? (
                      <Switch
                        label={t('agents.away')}
                        aria-label={t('agents.awayOf', { name: agent.name })}
                        checked={agent.away}
                        disabled={agent.role === 'integration'}
                        onChange={(e) =>
                          update.mutate({ id: agent.id, away: e.currentTarget.checked })
                        }
                      />
                    ) : (
                      <Badge color="gray" variant="light" autoContrast>
                        {t('agents.deactivated')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {agent.role === 'rep' && agent.active ? (
                      <CapacityInput
                        agent={agent}
                        onSave={(capacity) => update.mutate({ id: agent.id, capacity })}
                      />
                    ) : (
                      <Text size="sm">{agent.capacity ?? '—'}</Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      {agent.active && agent.role !== 'integration' && (
                        <Button
                          size="xs"
                          variant="default"
                          aria-label={t('agents.resendOf', { name: agent.name })}
                          loading={resend.isPending && resend.variables === agent.id}
                          onClick={() =>
                            resend.mutate(agent.id, {
                              onSuccess: () =>
                                setNotice(t('agents.invited', { email: agent.email })),
                            })
                          }
                        >
                          {t('agents.resend')}
                        </Button>
                      )}
                      <Button
                        size="xs"
                        variant="default"
                        aria-label={t('agents.rotateOf', { name: agent.name })}
                        onClick={() => setRotating(agent)}
                      >
                        {t('agents.rotate')}
                      </Button>
                      {agent.active ? (
                        <Button
                          size="xs"
                          variant="light"
                          color="red"
                          aria-label={t('agents.deactivateOf', { name: agent.name })}
                          onClick={() => setDeactivating(agent)}
                        >
                          {t('agents.deactivate')}
                        </Button>
                      ) : (
                        <Button
                          size="xs"
                          variant="light"
                          aria-label={t('agents.reactivateOf', { name: agent.name })}
                          onClick={() => update.mutate({ id: agent.id, active: true })}
                        >
                          {t('agents.reactivate')}
                        </Button>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <InviteDialog
        opened={inviting}
        onClose={() => setInviting(false)}
        onInvited={(email) => setNotice(t('agents.invited', { email }))}
      />
      <DeactivateDialog agent={deactivating} onClose={() => setDeactivating(null)} />
      <RotateDialog agent={rotating} onClose={() => setRotating(null)} />
    </Stack>
  );
}

function CapacityInput({ agent, onSave }: { agent: Agent; onSave: (capacity: number) => void }) {
  const { t } = useTranslation();
  const [value, setValue] = useState<number | string>(agent.capacity ?? 0);
  const commit = () => {
    const next = Number(value);
    if (Number.isInteger(next) && next >= 0 && next !== agent.capacity) onSave(next);
  };
  return (
    <NumberInput
      w={90}
      size="xs"
      min={0}
      aria-label={t('agents.capacityOf', { name: agent.name })}
      value={value}
      onChange={setValue}
      onBlur={commit}
      onKeyDown={(e) => e.key === 'Enter' && commit()}
    />
  );
}

const ROLES = ['rep', 'supervisor', 'admin'] as const;

function InviteDialog({
  opened,
  onClose,
  onInvited,
}: {
  opened: boolean;
  onClose: () => void;
  onInvited: (email: string) => void;
}) {
  const { t } = useTranslation();
  const teams = useTeams();
  const invite = useInviteAgent();
  const empty: Invitation = { name: '', email: '', role: 'rep', teamId: null };
  const [form, setForm] = useState<Invitation>(empty);
  const close = () => {
    setForm(empty);
    invite.reset();
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    invite.mutate(
      { ...form, name: form.name.trim(), email: form.email.trim() },
      {
        onSuccess: (agent) => {
          onInvited(agent.email);
          close();
        },
      },
    );
  };
  return (
    <Modal
      closeButtonProps={{ 'aria-label': t('common.close') }}
      opened={opened}
      onClose={close}
      title={t('agents.inviteTitle')}
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Text size="sm">{t('agents.inviteHint')}</Text>
          <TextInput
            label={t('agents.name')}
            required
            value={form.name}
            error={fieldError(invite.error, 'name')}
            onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
          />
          <TextInput
            label={t('auth.email')}
            type="email"
            required
            value={form.email}
            error={fieldError(invite.error, 'email')}
            onChange={(e) => setForm({ ...form, email: e.currentTarget.value })}
          />
          <NativeSelect
            label={t('agents.role')}
            value={form.role}
            error={fieldError(invite.error, 'role')}
            onChange={(e) =>
              setForm({ ...form, role: e.currentTarget.value as Invitation['role'] })
            }
            data={ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }))}
          />
          <NativeSelect
            label={t('agents.team')}
            value={form.teamId ?? ''}
            error={fieldError(invite.error, 'teamId')}
            onChange={(e) => setForm({ ...form, teamId: e.currentTarget.value || null })}
            data={[
              { value: '', label: t('agents.noTeam') },
              ...(teams.data?.items ?? []).map((team) => ({ value: team.id, label: team.name })),
            ]}
          />
          <FormError error={invite.error} fields={['name', 'email', 'role', 'teamId']} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={invite.isPending}>
              {t('agents.sendInvitation')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Cancel, and the destructive step a dialog asks to confirm (dark red: AA contrast). */
function ConfirmActions({
  onCancel,
  label,
  onConfirm,
  loading,
  disabled = false,
}: {
  onCancel: () => void;
  label: string;
  onConfirm: () => void;
  loading: boolean;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={onCancel}>
        {t('common.cancel')}
      </Button>
      <Button color="red.9" disabled={disabled} loading={loading} onClick={onConfirm}>
        {label}
      </Button>
    </Group>
  );
}

/** The agent a dialog was opened for, kept while it closes so its text does not go blank. */
function useLastAgent(agent: Agent | null): Agent | null {
  const [last, setLast] = useState(agent);
  if (agent && agent !== last) setLast(agent);
  return agent ?? last;
}

function DeactivateDialog({
  agent: current,
  onClose,
}: {
  agent: Agent | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const agent = useLastAgent(current);
  const preview = useDeactivationPreview(current?.id ?? null);
  const update = useUpdateAgent();
  const close = () => {
    update.reset();
    onClose();
  };
  return (
    <Modal
      closeButtonProps={{ 'aria-label': t('common.close') }}
      opened={current !== null}
      onClose={close}
      title={agent ? t('agents.deactivateTitle', { name: agent.name }) : ''}
      size="lg"
    >
      <Stack gap="sm">
        {!preview.data ? (
          preview.isError ? (
            <Alert color="red" role="alert">
              {errorMessage(preview.error, t)}
            </Alert>
          ) : (
            <Text size="sm">{t('app.loading')}</Text>
          )
        ) : preview.data.blocked ? (
          <Alert color="red" role="alert">
            {t('agents.blocked', { reason: preview.data.blocked })}
          </Alert>
        ) : preview.data.tickets.length === 0 ? (
          <Text size="sm">{t('agents.noTicketsToMove')}</Text>
        ) : (
          <>
            <Text size="sm">{t('agents.ticketsMove', { count: preview.data.tickets.length })}</Text>
            <Table aria-label={t('agents.whereTicketsGo')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('queue.columns.ref')}</Table.Th>
                  <Table.Th scope="col">{t('queue.columns.subject')}</Table.Th>
                  <Table.Th scope="col">{t('agents.newOwner')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {preview.data.tickets.map((move) => (
                  <Table.Tr key={move.ticketId}>
                    <Table.Td>
                      <Text size="sm" ff="monospace">
                        {move.ref}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{move.subject}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{move.to.name}</Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </>
        )}
        <Text size="sm">{t('agents.deactivateHint')}</Text>
        <FormError error={update.error} fields={[]} />
        <ConfirmActions
          onCancel={close}
          label={agent ? t('agents.confirmDeactivate', { name: agent.name }) : ''}
          disabled={!preview.data || preview.data.blocked !== null}
          loading={update.isPending}
          onConfirm={() =>
            agent && update.mutate({ id: agent.id, active: false }, { onSuccess: close })
          }
        />
      </Stack>
    </Modal>
  );
}

function RotateDialog({ agent: current, onClose }: { agent: Agent | null; onClose: () => void }) {
  const { t } = useTranslation();
  const agent = useLastAgent(current);
  const rotate = useRotateToken();
  const close = () => {
    rotate.reset();
    onClose();
  };
  return (
    <Modal
      closeButtonProps={{ 'aria-label': t('common.close') }}
      opened={current !== null}
      onClose={close}
      title={agent ? t('agents.rotateTitle', { name: agent.name }) : ''}
    >
      <Stack gap="sm">
        {rotate.data ? (
          <>
            <Text size="sm">{t('agents.tokenShownOnce')}</Text>
            <Code block aria-label={t('agents.newToken')}>
              {rotate.data.token}
            </Code>
            <Group justify="flex-end">
              <Button onClick={close}>{t('agents.done')}</Button>
            </Group>
          </>
        ) : (
          <>
            <Text size="sm">{t('agents.rotateHint')}</Text>
            <FormError error={rotate.error} fields={[]} />
            <ConfirmActions
              onCancel={close}
              label={t('agents.confirmRotate')}
              loading={rotate.isPending}
              onConfirm={() => agent && rotate.mutate(agent.id)}
            />
          </>
        )}
      </Stack>
    </Modal>
  );
}
