import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { Actor } from '../actor';
import type { ServiceContext } from '../context';
import { hydrate, selectColumns } from '../db/insert-returning';
import { inTransaction } from '../db/transaction';
import { Team } from '../teams/team.entity';
import { scheduleDeadlineJobs } from './deadline-sync';
import { assertVersion, findReadableTicket } from './ticket-access';
import { Ticket } from './ticket.entity';

/**
 * The one way to lock tickets. Every path that changes a ticket, or a row that belongs to one
 * (handoff, promise, consult, satisfaction score, deadline step), runs in `inTicketTransaction`
 * and takes its ticket locks from it, so the lock order lives here and nowhere else:
 *
 *   1. the team's deactivation lock and agent rows, taken by `before` (or by the work before it
 *      locks any ticket): deactivation and assignment lock agents before their tickets (the
 *      chosen rep's `agent_loads` row is locked with its agent row, SKIP LOCKED);
 *   2. ticket rows, FOR NO KEY UPDATE; several at once always in id order;
 *   3. rows that belong to a ticket, always after their ticket (`lockRowOfTicket`).
 *
 * Agents chosen as a new owner while tickets are held are only read FOR SHARE, which never waits
 * on a ticket. Worker sweeps that claim promises, consults or handoffs with SKIP LOCKED never
 * wait either, so they need no ticket lock.
 *
 * After the commit, the enforcement steps of every ticket whose deadline moved (its deadline
 * version changed) or that was created are scheduled (best effort; see deadline-sync.ts).
 */
export interface TicketTransaction {
  manager: EntityManager;
  /** Locks one ticket; null if there is none. */
  lockTicket(ticketId: string): Promise<Ticket | null>;
  /** Locks the tickets with these ids (those that exist), in id order. */
  lockTicketsById(ticketIds: readonly string[]): Promise<Ticket[]>;
  /** Locks the tickets matching a condition on `t` (the tickets table), in id order. */
  lockTickets(where: string, parameters: Record<string, unknown>): Promise<Ticket[]>;
  /** Locks a ticket the actor may read, by id or reference (404 otherwise). */
  lockReadableTicket(actor: Actor, idOrRef: string): Promise<Ticket>;
  /** Finds a row that belongs to a ticket and locks its ticket, then the row; null if none. */
  lockRowOfTicket<Row extends ObjectLiteral & { ticketId: string }>(
    entity: EntityTarget<Row>,
    rowId: string,
  ): Promise<{ ticket: Ticket; row: Row } | null>;
  /** A ticket inserted in this transaction: its deadline is scheduled after the commit. */
  created(ticket: Ticket): void;
  /** A ticket whose steps changed without a new deadline version: rescheduled after the commit. */
  scheduleAfterCommit(ticket: Ticket): void;
}

const LOCK = 'for_no_key_update' as const;

export async function inTicketTransaction<T>(
  ctx: ServiceContext,
  work: (tx: TicketTransaction) => Promise<T>,
  /** Locks to take before any ticket row (team assignment, agents), to keep the lock order. */
  before?: (manager: EntityManager) => Promise<unknown>,
): Promise<T> {
  const seen: Array<{ ticket: Ticket; deadlineVersion: number | null }> = [];
  const track = (ticket: Ticket): Ticket => {
    seen.push({ ticket, deadlineVersion: ticket.deadlineVersion });
    return ticket;
  };
  const result = await inTransaction(ctx.dataSource, async (manager) => {
    seen.length = 0; // a retried attempt (deadlock, serialization failure) starts afresh
    if (before) await before(manager);
    const tickets = manager.getRepository(Ticket);
    const tx: TicketTransaction = {
      manager,
      async lockTicket(ticketId) {
        const [ticket] = await tx.lockTicketsById([ticketId]);
        return ticket ?? null;
      },
      async lockTicketsById(ticketIds) {
        // Hand-written (with the select list built once): this is every deadline step's first
        // read. ORDER BY under the lock clause takes the locks in id order.
        const rows: Array<Record<string, unknown>> = await manager.query(
          `SELECT ${selectColumns(manager, Ticket, 't', '')} FROM tickets t
            WHERE t.id = ANY($1::uuid[]) ORDER BY t.id FOR NO KEY UPDATE`,
          [ticketIds],
        );
        return rows.map((row) => track(hydrate(manager, Ticket, row)));
      },
      async lockTickets(where, parameters) {
        const locked = await tickets
          .createQueryBuilder('t')
          .setLock(LOCK)
          .where(where, parameters)
          .orderBy('t.id')
          .getMany();
        return locked.map(track);
      },
      async lockReadableTicket(actor, idOrRef) {
        return track(await findReadableTicket(manager, actor, idOrRef, { forUpdate: true }));
      },
      async lockRowOfTicket<Row extends ObjectLiteral & { ticketId: string }>(
        entity: EntityTarget<Row>,
        rowId: string,
      ) {
        const rows = manager.getRepository(entity);
        const found = await rows.findOneBy({ id: rowId } as never);
        if (!found) return null;
        const ticket = track(
          await tickets.findOneOrFail({ where: { id: found.ticketId }, lock: { mode: LOCK } }),
        );
        const row = await rows.findOneOrFail({
          where: { id: rowId } as never,
          lock: { mode: LOCK },
        });
        return { ticket, row };
      },
      created(ticket) {
        seen.push({ ticket, deadlineVersion: null });
      },
      scheduleAfterCommit(ticket) {
        seen.push({ ticket, deadlineVersion: null });
      },
    };
    return work(tx);
  });
  // Committed: schedule the enforcement of every deadline that moved (once per ticket).
  const moved = new Map<string, Ticket>();
  for (const { ticket, deadlineVersion } of seen) {
    if (ticket.deadlineVersion !== deadlineVersion) moved.set(ticket.id, ticket);
  }
  if (moved.size > 0) await scheduleDeadlineJobs(ctx, [...moved.values()]);
  return result;
}

export interface LockedTicketScope {
  manager: EntityManager;
  ticket: Ticket;
  now: Date;
  team: () => Promise<Team>;
}

/**
 * The shape of every write to one ticket a caller names: one ticket transaction, the ticket row
 * locked (serialising writers), visibility checked (404), If-Match checked (412), then the work.
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
  return inTicketTransaction(
    ctx,
    async ({ manager, lockReadableTicket }) => {
      const ticket = await lockReadableTicket(actor, idOrRef);
      assertVersion(ticket, ifMatch);
      const now = ctx.clock.now();
      let team: Team | undefined;
      return work({
        manager,
        ticket,
        now,
        team: async () =>
          (team ??= await manager.getRepository(Team).findOneByOrFail({ id: ticket.teamId })),
      });
    },
    lockFirst,
  );
}
