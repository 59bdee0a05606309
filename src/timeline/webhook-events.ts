/**
 * The events an endpoint can subscribe to, each derived from a ticket timeline event: the
 * timeline is where every change is already recorded, so webhooks cannot miss one.
 */
export const WEBHOOK_EVENTS = [
  'ticket.created',
  'ticket.owner_changed',
  'ticket.public_update',
  'ticket.customer_message',
  'ticket.status_changed',
  'ticket.deadline_breached',
  'ticket.escalated',
  'ticket.resolved',
  'ticket.reopened',
  'satisfaction.scored',
  'satisfaction.low',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** A score at or below this is "low" (the recovery follow-up threshold). */
export const LOW_SATISFACTION_MAX_SCORE = 2;

/** The webhook events a timeline event of this type (and data) stands for. */
export function webhookEventsFor(type: string, data: Record<string, unknown>): WebhookEvent[] {
  switch (type) {
    case 'created':
      return ['ticket.created'];
    case 'owner_changed':
      return ['ticket.owner_changed'];
    case 'public_update':
      return ['ticket.public_update'];
    case 'customer_message':
      return ['ticket.customer_message'];
    case 'status_changed':
      return ['ticket.status_changed'];
    case 'deadline_breached':
      return ['ticket.deadline_breached'];
    case 'escalated':
      return ['ticket.escalated'];
    case 'resolved':
      return ['ticket.resolved'];
    case 'reopened':
      return ['ticket.reopened'];
    case 'satisfaction_scored': {
      const score = typeof data.score === 'number' ? data.score : null;
      return score !== null && score <= LOW_SATISFACTION_MAX_SCORE
        ? ['satisfaction.scored', 'satisfaction.low']
        : ['satisfaction.scored'];
    }
    default:
      return [];
  }
}
