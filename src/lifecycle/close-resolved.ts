import type { ServiceContext } from '../context';
import { inTransaction } from '../db/transaction';
import { DEFAULT_CLOSE_AFTER_DAYS } from '../deadline-rules/business-calendar';
import { recordEvent } from '../timeline/record-event';
import { Ticket } from '../tickets/ticket.entity';
import { writeTicket } from '../tickets/ticket-writes';

const BATCH = 500;

/**
 * Worker task: a resolved ticket closes `closeAfterDays` (team policy, default 7) calendar days
 * after its resolution. A closed ticket is settled: a customer who writes to it later gets a
 * follow-up ticket instead of a reopened one (see follow-up.ts).
 */
export async function closeResolvedTickets(ctx: ServiceContext): Promise<number> {
  const now = ctx.clock.now();
  return inTransaction(ctx.dataSource, async (manager) => {
    const due: Array<{ id: string; days: number }> = await manager.query(
      `SELECT t.id, coalesce((m.policy->>'closeAfterDays')::int, $2) AS days
         FROM tickets t JOIN teams m ON m.id = t.team_id
        WHERE t.status = 'resolved'
          AND t.resolved_at <= $1::timestamptz - make_interval(days => coalesce((m.policy->>'closeAfterDays')::int, $2))
        ORDER BY t.resolved_at
        LIMIT ${BATCH}
        FOR NO KEY UPDATE OF t SKIP LOCKED`,
      [now, DEFAULT_CLOSE_AFTER_DAYS],
    );
    for (const { id, days } of due) {
      const ticket = await manager.getRepository(Ticket).findOneByOrFail({ id });
      await writeTicket(manager, ticket, { status: 'closed', closedAt: now }, now);
      await recordEvent(manager, {
        ticketId: id,
        type: 'closed',
        at: now,
        actorId: null,
        data: {
          resolvedAt: ticket.resolvedAt?.toISOString() ?? null,
          closeAfterDays: days,
          reason: `resolved ${days} days ago; a new message from the customer opens a follow-up ticket`,
        },
      });
    }
    return due.length;
  });
}
