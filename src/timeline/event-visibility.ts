import type { Actor } from '../actor';
import type { TimelineEventType } from './timeline-event.entity';

/**
 * Timeline events of internal visibility: staff talk (notes, handoff offers, consults), staff
 * nudges (deadline and promise warnings) and the mail log (which names staff addresses). Staff
 * read them; an integration never does, in a timeline answer or a live event. What it keeps is
 * the conversation with the customer and the ticket's state changes.
 */
export const INTERNAL_EVENT_TYPES: readonly TimelineEventType[] = [
  'internal_note',
  'handoff_offered',
  'handoff_accepted',
  'handoff_declined',
  'handoff_expired',
  'handoff_cancelled',
  'consult_asked',
  'consult_answered',
  'consult_reminded',
  'consult_overdue',
  'deadline_warned',
  'promise_reminded',
  'email_queued',
  'email_sent',
  'email_failed',
  'email_resent',
  'email_dismissed',
];

/** Free text staff wrote to each other that a visible event may carry (a handoff's note). */
const INTERNAL_DATA_FIELDS = ['note'];

export const readsInternalEvents = (actor: Actor): boolean => actor.role !== 'integration';

export function isInternalEvent(type: string): boolean {
  return (INTERNAL_EVENT_TYPES as readonly string[]).includes(type);
}

/** An event's data as this reader may see it (staff: all of it). */
export function visibleEventData(
  actor: Actor,
  data: Record<string, unknown>,
): Record<string, unknown> {
  if (readsInternalEvents(actor)) return data;
  return Object.fromEntries(
    Object.entries(data).filter(([key]) => !INTERNAL_DATA_FIELDS.includes(key)),
  );
}
