import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { webhookDeliveriesInsert } from './queue-webhook-deliveries';
import type { TimelineEvent, TimelineEventType } from './timeline-event.entity';
import { webhookEventsFor } from './webhook-events';

export interface NewTimelineEvent {
  ticketId: string;
  type: TimelineEventType;
  at: Date;
  actorId: string | null;
  data?: Record<string, unknown>;
}

/**
 * Appends to a ticket's timeline inside the caller's transaction, and queues the webhook
 * deliveries the event stands for in the same transaction (every change passes through here).
 */
export async function recordEvent(
  manager: EntityManager,
  event: NewTimelineEvent,
): Promise<TimelineEvent> {
  const [recorded] = await recordEvents(manager, [event]);
  return recorded!;
}

/**
 * Appends several events to timelines in one statement, in the order given (their `seq`
 * follows it), with their webhook deliveries.
 */
export async function recordEvents(
  manager: EntityManager,
  events: NewTimelineEvent[],
): Promise<TimelineEvent[]> {
  if (events.length === 0) return [];
  const recorded = events.map(
    (event) =>
      ({
        id: randomUUID(),
        ticketId: event.ticketId,
        type: event.type,
        at: event.at,
        actorId: event.actorId,
        data: event.data ?? {},
      }) as TimelineEvent,
  );
  const ids: string[] = [];
  const hookTypes: string[] = [];
  for (const event of recorded) {
    for (const type of webhookEventsFor(event.type, event.data)) {
      ids.push(event.id);
      hookTypes.push(type);
    }
  }
  const parameters: unknown[] = [
    recorded.map((e) => e.id),
    recorded.map((e) => e.ticketId),
    recorded.map((e) => e.type),
    recorded.map((e) => e.at),
    recorded.map((e) => e.actorId),
    recorded.map((e) => JSON.stringify(e.data)),
  ];
  const insert = `INSERT INTO timeline_events (id, ticket_id, type, at, actor_id, data)
     SELECT id, ticket_id, type, at, actor_id, data::jsonb
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[], $5::uuid[], $6::text[])
            WITH ORDINALITY AS e(id, ticket_id, type, at, actor_id, data, n)
      ORDER BY n`;
  if (hookTypes.length === 0) {
    await manager.query(insert, parameters);
    return recorded;
  }
  // The deliveries read the events back by id: one statement, so the payload joins the ticket.
  await manager.query(
    `WITH inserted AS (${insert} RETURNING id, ticket_id, at, actor_id, data),
          ev AS (SELECT i.*, h.hook_type FROM inserted i
                   JOIN unnest($7::uuid[], $8::text[]) AS h(id, hook_type) ON h.id = i.id)
     ${webhookDeliveriesInsert('ev')}`,
    [...parameters, ids, hookTypes],
  );
  return recorded;
}

export function timelineEventView(event: TimelineEvent) {
  return {
    id: event.id,
    ticketId: event.ticketId,
    type: event.type,
    at: event.at.toISOString(),
    actorId: event.actorId,
    data: event.data,
  };
}
