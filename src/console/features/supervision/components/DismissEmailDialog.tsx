import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldError } from '../../../lib/error-message';
import { FormError } from '../../../lib/form-error';
import { useDismissEmail, type OutboxEmail } from '../api/outbox';

/** Settles a failed email as not to be sent, with the note the ticket's timeline keeps. */
export function DismissEmailDialog({
  email,
  onClose,
  onDismissed,
}: {
  email: OutboxEmail | null;
  onClose: () => void;
  onDismissed: (email: OutboxEmail) => void;
}) {
  const { t } = useTranslation();
  const dismiss = useDismissEmail();
  const [note, setNote] = useState('');
  const close = () => {
    setNote('');
    dismiss.reset();
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!email) return;
    dismiss.mutate(
      { emailId: email.id, note },
      {
        onSuccess: () => {
          onDismissed(email);
          close();
        },
      },
    );
  };
  return (
    <Modal
      closeButtonProps={{ 'aria-label': t('common.close') }}
      opened={email !== null}
      onClose={close}
      title={email ? t('emails.dismissTitle', { ref: email.ticketRef, to: email.to }) : ''}
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Text size="sm">{t('emails.dismissHint')}</Text>
          <Textarea
            label={t('emails.note')}
            autosize
            minRows={2}
            required
            value={note}
            error={fieldError(dismiss.error, 'note')}
            onChange={(e) => setNote(e.currentTarget.value)}
          />
          <FormError error={dismiss.error} fields={['note']} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color="red.9" loading={dismiss.isPending}>
              {t('emails.confirmDismiss')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
