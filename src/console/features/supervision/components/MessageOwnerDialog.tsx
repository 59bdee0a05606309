import { Anchor, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldError } from '../../../lib/error-message';
import { useMessageOwner, type BoardItem, type DueSoonItem } from '../api/supervision';
import { FormError } from '../../../lib/form-error';

/**
 * A word to the ticket's owner: an internal note on the ticket (the owner's console shows it at
 * once), or an email from the supervisor's own mail program.
 */
export function MessageOwnerDialog({
  item,
  onClose,
}: {
  item: BoardItem | DueSoonItem | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const message = useMessageOwner();
  const [body, setBody] = useState('');
  const close = () => {
    setBody('');
    message.reset();
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!item) return;
    message.mutate({ ticketId: item.ticketId, body }, { onSuccess: close });
  };
  const mailto = item
    ? `mailto:${item.owner.email}?subject=${encodeURIComponent(`${item.ref}: ${item.subject}`)}`
    : '';
  return (
    <Modal
      closeButtonProps={{ 'aria-label': t('common.close') }}
      opened={item !== null}
      onClose={close}
      title={item ? t('board.messageTitle', { name: item.owner.name, ref: item.ref }) : ''}
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Text size="sm">{t('board.messageHint')}</Text>
          <Textarea
            label={t('reply.message')}
            autosize
            minRows={3}
            value={body}
            error={fieldError(message.error, 'body')}
            onChange={(e) => setBody(e.currentTarget.value)}
          />
          <FormError error={message.error} fields={['body']} />
          <Group justify="space-between">
            <Anchor href={mailto} size="sm">
              {t('board.emailOwner', { email: item?.owner.email ?? '' })}
            </Anchor>
            <Button type="submit" loading={message.isPending}>
              {t('board.sendMessage')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
