import type { EntityManager } from 'typeorm';
import { Ticket } from './ticket.entity';

type TicketChanges = Partial<
  Pick<
    Ticket,
    | 'ownerId'
    | 'status'
    | 'priority'
    | 'category'
    | 'firstResponseDueAt'
    | 'firstRespondedAt'
    | 'nextUpdateDueAt'
    | 'lastPublicUpdateAt'
    | 'escalationLevel'
    | 'resolvedAt'
    | 'resolution'
    | 'rootCauseSilo'
    | 'rootCauseCategory'
    | 'rootCauseDetail'
    | 'closedAt'
    | 'reopenCount'
  >
>;

/**
 * Applies changes to a ticket the caller has locked, bumping its optimistic-lock version.
 * Every write to a ticket row goes through here.
 */
export async function writeTicket(
  manager: EntityManager,
  ticket: Ticket,
  changes: TicketChanges,
  at: Date,
): Promise<void> {
  Object.assign(ticket, changes);
  ticket.version += 1;
  ticket.updatedAt = at;
  await manager
    .getRepository(Ticket)
    .update({ id: ticket.id }, { ...changes, version: ticket.version, updatedAt: at });
}
