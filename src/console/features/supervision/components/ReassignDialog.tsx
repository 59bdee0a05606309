import { Button, Group, Modal, Stack, Textarea } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldError } from '../../../lib/error-message';
import { useReassign, useTeamAgents, type BoardItem } from '../api/supervision';
import { FormError } from '../../../lib/form-error';
import { TeammateSelect } from '../../../lib/teammate-select';

/** Reassign a ticket to an active teammate, with the reason the timeline will show. */
export function ReassignDialog({
  item,
  teamId,
  onClose,
}: {
  item: BoardItem | null;
  teamId: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const agents = useTeamAgents(teamId);
  const reassign = useReassign();
  const [toAgentId, setToAgentId] = useState('');
  const [reason, setReason] = useState('');
  const candidates = (agents.data?.items ?? []).filter(
    (a) => a.active && (a.role === 'rep' || a.role === 'supervisor') && a.id !== item?.owner.id,
  );
  const close = () => {
    setToAgentId('');
    setReason('');
    reassign.reset();
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!item) return;
    reassign.mutate({ ticketId: item.ticketId, toAgentId, reason }, { onSuccess: close });
  };
  return (
    <Modal
      closeButtonProps={{ 'aria-label': t('common.close') }}
      opened={item !== null}
      onClose={close}
      title={item ? t('board.reassignTitle', { ref: item.ref, subject: item.subject }) : ''}
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <TeammateSelect
            label={t('board.newOwner')}
            value={toAgentId}
            onChange={setToAgentId}
            error={fieldError(reassign.error, 'toAgentId')}
            candidates={candidates}
          />
          <Textarea
            label={t('board.reason')}
            autosize
            minRows={2}
            value={reason}
            error={fieldError(reassign.error, 'reason')}
            onChange={(e) => setReason(e.currentTarget.value)}
          />
          <FormError error={reassign.error} fields={['toAgentId', 'reason']} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={reassign.isPending}>
              {t('board.reassign')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
