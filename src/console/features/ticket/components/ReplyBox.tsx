import {
  Alert,
  Button,
  Group,
  List,
  Paper,
  Radio,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../../lib/api-error';
import type { Ticket, TimelineEvent } from '../../../lib/api-types';
import { useCurrentAgent } from '../../../lib/current-agent';
import { errorMessage, fieldError } from '../../../lib/error-message';
import { usePostUpdate } from '../api/ticket-actions';
import { fetchTicket } from '../api/ticket-queries';
import { describeEvent } from '../describe-event';
import { useDraft, type Visibility } from '../drafts';

interface Props {
  ticket: Ticket;
  events: TimelineEvent[];
  names: Map<string, string>;
}

/**
 * Reply to the customer or leave an internal note. The draft lives on this device until sent;
 * it is sent against the version the rep started from, so a change by someone else in between
 * is shown to the rep instead of being written over.
 */
export function ReplyBox({ ticket, events, names }: Props) {
  const { t, i18n } = useTranslation();
  const agent = useCurrentAgent();
  const { draft, update, clear } = useDraft(agent.id, ticket.id);
  const post = usePostUpdate(ticket.id);
  const [staleSince, setStaleSince] = useState<string | null>(null);
  const [sent, setSent] = useState(false);

  const baseVersion = draft.baseVersion ?? ticket.version;
  const send = (event: FormEvent) => {
    event.preventDefault();
    setSent(false);
    post.mutate(
      { input: { body: draft.body, visibility: draft.visibility }, version: baseVersion },
      {
        onSuccess: () => {
          clear();
          setStaleSince(null);
          setSent(true);
        },
        onError: async (error) => {
          if (!isApiError(error) || error.status !== 412) return;
          // Show what changed since the draft began; the next Send goes against what is shown.
          const fresh = await fetchTicket(ticket.id).catch(() => null);
          setStaleSince(draft.baseUpdatedAt ?? ticket.updatedAt);
          update({
            baseVersion: fresh?.version ?? error.currentVersion,
            baseUpdatedAt: fresh?.updatedAt ?? null,
          });
        },
      },
    );
  };
  const stale = isApiError(post.error) && post.error.status === 412;
  const changes = staleSince ? events.filter((e) => e.at > staleSince) : [];
  const bodyError = fieldError(post.error, 'body');
  const otherError = post.error && !stale && !bodyError ? errorMessage(post.error, t) : null;

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="reply-title">
      <form onSubmit={send} noValidate>
        <Stack gap="sm">
          <Title order={2} size="h4" id="reply-title">
            {t('reply.title')}
          </Title>
          {stale && staleSince && (
            <Alert color="orange" role="alert" title={t('reply.staleTitle')}>
              <Stack gap="xs">
                <Text size="sm">{t('reply.staleBody')}</Text>
                {changes.length > 0 ? (
                  <List size="sm">
                    {changes.map((change) => {
                      const described = describeEvent(change, names, t, i18n.language);
                      return (
                        <List.Item key={change.id}>
                          {described.text}
                          {described.body ? `: “${described.body}”` : ''}
                        </List.Item>
                      );
                    })}
                  </List>
                ) : (
                  <Text size="sm">{t('reply.staleNothingVisible')}</Text>
                )}
              </Stack>
            </Alert>
          )}
          <Radio.Group
            label={t('reply.kind')}
            value={draft.visibility}
            onChange={(value) => update({ visibility: value as Visibility })}
          >
            <Group gap="lg" mt={4}>
              <Radio value="public" label={t('reply.public')} />
              <Radio value="internal" label={t('reply.internal')} />
            </Group>
          </Radio.Group>
          <Textarea
            label={t('reply.message')}
            description={
              draft.visibility === 'public' ? t('reply.publicHint') : t('reply.internalHint')
            }
            autosize
            minRows={4}
            maxRows={16}
            value={draft.body}
            error={bodyError}
            onChange={(e) => {
              setSent(false);
              const body = e.currentTarget.value;
              update(
                draft.baseVersion === null
                  ? { body, baseVersion: ticket.version, baseUpdatedAt: ticket.updatedAt }
                  : { body },
              );
            }}
          />
          {otherError && (
            <Alert color="red" role="alert">
              {otherError}
            </Alert>
          )}
          <Group justify="space-between">
            <Text size="xs" c="dimmed" role="status">
              {sent ? t('reply.sent') : draft.body ? t('reply.draftSaved') : ''}
            </Text>
            <Group gap="xs">
              {draft.body && (
                <Button
                  variant="subtle"
                  color="gray"
                  onClick={() => {
                    clear();
                    setStaleSince(null);
                    post.reset();
                  }}
                >
                  {t('reply.discardDraft')}
                </Button>
              )}
              <Button type="submit" loading={post.isPending}>
                {t('reply.send')}
              </Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
