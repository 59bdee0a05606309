import type { EntityManager } from 'typeorm';
import { TimelineEvent, type TimelineEventType } from './timeline-event.entity';

export interface NewTimelineEvent {
  ticketId: string;
  type: TimelineEventType;
  at: Date;
  actorId: string | null;
  data?: Record<string, unknown>;
}

/** Appends to a ticket's timeline inside the caller's transaction. */
export async function recordEvent(
  manager: EntityManager,
  event: NewTimelineEvent,
): Promise<TimelineEvent> {
  const repo = manager.getRepository(TimelineEvent);
  return repo.save(repo.create({ ...event, data: event.data ?? {} }));
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
