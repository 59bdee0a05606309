import type { EntityManager } from 'typeorm';
import type { Actor } from '../agents/actor';
import type { ServiceContext } from '../context';
import { inTransaction } from '../db/transaction';
import { scheduleDeadlineJobs } from '../deadlines/deadline-sync';
import { Team } from '../teams/team.entity';
import { assertVersion, findReadableTicket } from './ticket-access';
import type { Ticket } from './ticket.entity';

export interface LockedTicketScope {
  manager: EntityManager;
  ticket: Ticket;
  now: Date;
  team: () => Promise<Team>;
}

/**
 * The shape of every ticket write: one transaction, the ticket row locked (serialising writers),
 * visibility checked (404), If-Match checked (412), then the work.
 */
export async function withLockedTicket<T>(
  ctx: ServiceContext,
  actor: Actor,
  idOrRef: string,
  ifMatch: number | undefined,
  work: (scope: LockedTicketScope) => Promise<T>,
  /** Locks to take before the ticket row, to keep one lock order (agents before tickets). */
  lockFirst?: (manager: EntityManager) => Promise<unknown>,
): Promise<T> {
  let locked: { ticket: Ticket; deadlineVersion: number } | undefined;
  const result = await inTransaction(ctx.dataSource, async (manager) => {
    if (lockFirst) await lockFirst(manager);
    const ticket = await findReadableTicket(manager, actor, idOrRef, { forUpdate: true });
    assertVersion(ticket, ifMatch);
    locked = { ticket, deadlineVersion: ticket.deadlineVersion };
    const now = ctx.clock.now();
    let team: Team | undefined;
    return work({
      manager,
      ticket,
      now,
      team: async () =>
        (team ??= await manager.getRepository(Team).findOneByOrFail({ id: ticket.teamId })),
    });
  });
  // Committed: if the deadline moved, schedule its enforcement (best effort; see deadline-sync).
  if (locked && locked.ticket.deadlineVersion !== locked.deadlineVersion) {
    await scheduleDeadlineJobs(ctx, [locked.ticket]);
  }
  return result;
}
