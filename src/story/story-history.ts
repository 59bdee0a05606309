import type { TimelineEventType } from '../timeline/timeline-event.entity';
import { str } from './event-data';
import type { EventRow, TicketRow } from './story.queries';
import type { StoryConcern, StoryHandoff, StoryResponse } from './story.types';

/**
 * What the story reads back from the timeline: the current rows forget earlier cycles of a
 * reopened concern and the handoffs table has no ticket index, so these come from the events.
 */

export const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);

export const minutesBetween = (from: Date, to: Date): number =>
  Math.round((to.getTime() - from.getTime()) / 60_000);

export interface ResponseHistory {
  byTicket: Map<string, StoryResponse[]>;
  byEvent: Map<EventRow, StoryResponse>;
  /** When each concern's first response was due (its first cycle). */
  firstDueAt: Map<string, Date | null>;
}

/**
 * Public updates with the lateness of each first response. Reopening a ticket resets its
 * first-response columns, so earlier cycles come from the timeline: "created", "reopened" and
 * "recovery_follow_up" carry the first-response due time they set. A never-reopened ticket uses
 * its own column, which also reflects any recomputation since it was created.
 */
export function responsesFromEvents(tickets: TicketRow[], events: EventRow[]): ResponseHistory {
  const history: ResponseHistory = {
    byTicket: new Map(),
    byEvent: new Map(),
    firstDueAt: new Map(),
  };
  const reopened = new Map(tickets.map((t) => [t.id, t.reopen_count > 0]));
  const dueNow = new Map<string, Date | null>();
  for (const t of tickets) {
    if (t.reopen_count === 0) {
      history.firstDueAt.set(t.id, t.first_response_due_at);
      dueNow.set(t.id, t.first_response_due_at);
    }
  }
  const dateIn = (data: Record<string, unknown>, key: string) => {
    const value = str(data, key);
    return value ? new Date(value) : null;
  };
  for (const e of events) {
    if (e.type === 'created' && reopened.get(e.ticket_id)) {
      const due = dateIn(e.data, 'firstResponseDueAt');
      history.firstDueAt.set(e.ticket_id, due);
      dueNow.set(e.ticket_id, due);
    } else if (e.type === 'reopened' || e.type === 'recovery_follow_up') {
      dueNow.set(e.ticket_id, dateIn(e.data, 'firstResponseDueAt'));
    } else if (e.type === 'public_update') {
      const firstResponse = e.data.firstResponse === true;
      const due = firstResponse ? (dueNow.get(e.ticket_id) ?? null) : null;
      const response: StoryResponse = {
        at: e.at.toISOString(),
        agentId: e.actor_id,
        name: e.actor_name,
        firstResponse,
        dueAt: iso(due),
        lateMinutes: due && e.at > due ? minutesBetween(due, e.at) : null,
      };
      history.byEvent.set(e, response);
      const list = history.byTicket.get(e.ticket_id);
      if (list) list.push(response);
      else history.byTicket.set(e.ticket_id, [response]);
    }
  }
  return history;
}

/** Handoff offers and their outcomes, from the timeline (the handoffs table has no ticket index). */
export function handoffsFromEvents(
  events: EventRow[],
  names: Map<string, string>,
): Map<string, StoryHandoff[]> {
  const byId = new Map<string, StoryHandoff>();
  const byTicket = new Map<string, StoryHandoff[]>();
  const nameOf = (id: string | null) => (id ? (names.get(id) ?? null) : null);
  for (const e of events) {
    const id = str(e.data, 'handoffId');
    if (!id) continue;
    if (e.type === 'handoff_offered') {
      const toAgentId = str(e.data, 'toAgentId');
      const handoff: StoryHandoff = {
        id,
        fromAgentId: e.actor_id,
        fromName: nameOf(e.actor_id),
        toAgentId,
        toName: nameOf(toAgentId),
        offeredAt: e.at.toISOString(),
        status: 'pending',
        respondedAt: null,
      };
      byId.set(id, handoff);
      const list = byTicket.get(e.ticket_id);
      if (list) list.push(handoff);
      else byTicket.set(e.ticket_id, [handoff]);
      continue;
    }
    const handoff = byId.get(id);
    const outcome = HANDOFF_OUTCOMES[e.type];
    if (handoff && outcome && handoff.status === 'pending') {
      handoff.status = outcome;
      handoff.respondedAt = e.at.toISOString();
    }
  }
  return byTicket;
}

/**
 * Reopening a ticket clears its root cause; the story keeps the last one it was resolved with,
 * so a concern resolved, rated badly and reopened still says where it went wrong.
 */
export function rootCausesFromEvents(
  events: EventRow[],
): Map<string, NonNullable<StoryConcern['rootCause']>> {
  const causes = new Map<string, NonNullable<StoryConcern['rootCause']>>();
  for (const e of events) {
    if (e.type !== 'resolved') continue;
    const cause = e.data.rootCause;
    if (typeof cause !== 'object' || cause === null) continue;
    const data = cause as Record<string, unknown>;
    const silo = str(data, 'silo');
    if (silo)
      causes.set(e.ticket_id, {
        silo,
        category: str(data, 'category'),
        detail: str(data, 'detail'),
      });
  }
  return causes;
}

export const HANDOFF_OUTCOMES: Partial<Record<TimelineEventType, StoryHandoff['status']>> = {
  handoff_accepted: 'accepted',
  handoff_declined: 'declined',
  handoff_expired: 'expired',
  handoff_cancelled: 'cancelled',
};
