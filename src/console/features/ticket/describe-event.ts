import type { TFunction } from 'i18next';
import type { TimelineEvent } from '../../lib/api-types';
import { formatDateTime } from '../../lib/time';

export interface DescribedEvent {
  text: string;
  /** The message itself, for replies, notes, customer messages, answers. */
  body: string | null;
  tone: 'public' | 'internal' | 'customer' | 'alert' | 'system' | 'plain';
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** One timeline event in plain words: who did what, with names instead of ids. */
export function describeEvent(
  event: TimelineEvent,
  names: Map<string, string>,
  t: TFunction,
  language: string,
): DescribedEvent {
  const d = event.data;
  const name = (id: unknown) =>
    typeof id === 'string' ? (names.get(id) ?? t('timeline.someone')) : t('timeline.system');
  const actor = event.actorId ? name(event.actorId) : t('timeline.system');
  const time = (iso: unknown) => (typeof iso === 'string' ? formatDateTime(iso, language) : '');
  const kind = (value: unknown) =>
    value === 'first_response' || value === 'next_update' ? t(`deadline.${value}`) : text(value);
  const status = (value: unknown) =>
    typeof value === 'string' &&
    ['open', 'waiting_on_customer', 'resolved', 'closed'].includes(value)
      ? t(`status.${value}`)
      : text(value);

  switch (event.type) {
    case 'created':
      return { text: t('timeline.created', { actor }), body: null, tone: 'plain' };
    case 'owner_changed':
      return d.fromAgentId
        ? {
            text: t('timeline.owner_changed', {
              from: name(d.fromAgentId),
              to: name(d.toAgentId),
              reason: text(d.reason),
            }),
            body: null,
            tone: 'plain',
          }
        : {
            text: t('timeline.owner_assigned', { to: name(d.toAgentId), reason: text(d.reason) }),
            body: null,
            tone: 'plain',
          };
    case 'public_update':
      return { text: t('timeline.public_update', { actor }), body: text(d.body), tone: 'public' };
    case 'internal_note':
      return { text: t('timeline.internal_note', { actor }), body: text(d.body), tone: 'internal' };
    case 'customer_message':
      return { text: t('timeline.customer_message'), body: text(d.body), tone: 'customer' };
    case 'status_changed':
      return {
        text: t('timeline.status_changed', { actor, from: status(d.from), to: status(d.to) }),
        body: null,
        tone: 'plain',
      };
    case 'field_changed':
      return {
        text: t('timeline.field_changed', {
          actor,
          field: text(d.field),
          from: text(d.from) || '—',
          to: text(d.to) || '—',
        }),
        body: null,
        tone: 'plain',
      };
    case 'resolved': {
      const cause = (d.rootCause ?? {}) as Record<string, unknown>;
      const silo =
        typeof cause.silo === 'string' ? t(`silo.${cause.silo}`, { defaultValue: cause.silo }) : '';
      return {
        text: t('timeline.resolved', { actor, silo, category: text(cause.category) }),
        body: text(d.resolution) || null,
        tone: 'plain',
      };
    }
    case 'reopened':
      return {
        text: t('timeline.reopened', { actor, reason: text(d.reason) }),
        body: null,
        tone: 'plain',
      };
    case 'handoff_offered':
      return {
        text: t('timeline.handoff_offered', { actor, to: name(d.toAgentId) }),
        body: text(d.note) || null,
        tone: 'plain',
      };
    case 'handoff_accepted':
    case 'handoff_declined':
      return {
        text: t(`timeline.${event.type}`, { actor }),
        body: text(d.note) || null,
        tone: 'plain',
      };
    case 'handoff_expired':
      return {
        text: t('timeline.handoff_expired', { to: name(d.toAgentId) }),
        body: null,
        tone: 'system',
      };
    case 'handoff_cancelled':
      return {
        text: t('timeline.handoff_cancelled', { to: name(d.toAgentId), reason: text(d.reason) }),
        body: null,
        tone: 'system',
      };
    case 'deadline_warned':
      return {
        text: t('timeline.deadline_warned', {
          kind: kind(d.kind),
          due: time(d.dueAt),
          owner: name(d.ownerId),
        }),
        body: null,
        tone: 'system',
      };
    case 'deadline_breached':
      return {
        text: t('timeline.deadline_breached', {
          kind: kind(d.kind),
          due: time(d.dueAt),
          minutes: Number(d.minutesLate ?? 0),
        }),
        body: null,
        tone: 'alert',
      };
    case 'escalated':
      return {
        text: t('timeline.escalated', { level: Number(d.level ?? 1) }),
        body: null,
        tone: 'alert',
      };
    case 'email_queued':
      return {
        text: t('timeline.email_queued', { to: text(d.to), template: text(d.template) }),
        body: null,
        tone: 'system',
      };
    case 'email_failed':
      return {
        text: t('timeline.email_failed'),
        body: text(d.error) || text(d.reason) || null,
        tone: 'alert',
      };
    case 'email_resent':
      return {
        text: t('timeline.email_resent', { actor, to: text(d.to) }),
        body: null,
        tone: 'system',
      };
    case 'email_dismissed':
      return {
        text: t('timeline.email_dismissed', { actor, to: text(d.to) }),
        body: text(d.note) || null,
        tone: 'internal',
      };
    case 'promise_made':
      return {
        text: t('timeline.promise_made', {
          actor,
          description: text(d.description),
          due: time(d.dueAt),
        }),
        body: null,
        tone: 'plain',
      };
    case 'consult_asked':
      return {
        text: t('timeline.consult_asked', { actor, question: text(d.question) }),
        body: null,
        tone: 'plain',
      };
    case 'consult_cancelled':
      return {
        text: t('timeline.consult_cancelled', { actor }),
        body: text(d.reason) || null,
        tone: 'plain',
      };
    case 'consult_answered':
      return {
        text: t('timeline.consult_answered', { actor }),
        body: text(d.answer) || null,
        tone: 'plain',
      };
    case 'satisfaction_scored':
      return {
        text: t('timeline.satisfaction_scored', { score: Number(d.score ?? 0) }),
        body: null,
        tone: 'plain',
      };
    case 'email_sent':
    case 'promise_kept':
    case 'promise_broken':
    case 'promise_cancelled':
    case 'promise_reminded':
    case 'consult_reminded':
    case 'consult_overdue':
    case 'recovery_follow_up':
      return {
        text: t(`timeline.${event.type}`),
        body: text(d.note) || null,
        tone:
          event.type === 'promise_broken' || event.type === 'consult_overdue' ? 'alert' : 'system',
      };
    default:
      return {
        text: t('timeline.unknown', { type: event.type.replace(/_/g, ' ') }),
        body: null,
        tone: 'system',
      };
  }
}

/** Agent ids an event mentions, so their names can be looked up. */
export function agentIdsOf(event: TimelineEvent): string[] {
  const ids = [event.actorId, event.data.toAgentId, event.data.fromAgentId, event.data.ownerId];
  return ids.filter((id): id is string => typeof id === 'string');
}
