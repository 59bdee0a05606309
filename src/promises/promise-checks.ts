import { Agent } from '../agents/agent.entity';
import type { ServiceContext } from '../context';
import { inTransaction } from '../db/transaction';
import { updateReturning } from '../db/update-returning';
import { emailStaffAboutTicket } from '../notifications/email-staff';
import { Ticket } from '../tickets/ticket.entity';
import { recordEvent } from '../timeline/record-event';
import { CustomerPromise } from './promise.entity';
import { closePromise } from './promises.service';

export const PROMISE_REMINDER_MS = 60 * 60_000;

/**
 * Worker task: remind the owner an hour before a promise is due, and mark it broken at its due
 * time if nobody kept or cancelled it (timeline event and staff email to the owner and the
 * team's supervisors). SKIP LOCKED and the row's own state make each step happen once.
 */
export async function runPromiseChecks(
  ctx: ServiceContext,
): Promise<{ reminded: number; broken: number }> {
  const now = ctx.clock.now();
  const reminded = await inTransaction(ctx.dataSource, async (manager) => {
    const rows = await updateReturning<{
      id: string;
      ticket_id: string;
      description: string;
      due_at: Date;
    }>(
      manager,
      `UPDATE promises SET reminded_at = $1
        WHERE id IN (SELECT id FROM promises
                      WHERE status = 'open' AND reminded_at IS NULL AND due_at > $1 AND due_at <= $2
                      FOR UPDATE SKIP LOCKED)
        RETURNING id, ticket_id, description, due_at`,
      [now, new Date(now.getTime() + PROMISE_REMINDER_MS)],
    );
    for (const row of rows) {
      const ticket = await manager.getRepository(Ticket).findOneByOrFail({ id: row.ticket_id });
      const owner = await manager.getRepository(Agent).findOneByOrFail({ id: ticket.ownerId });
      await recordEvent(manager, {
        ticketId: row.ticket_id,
        type: 'promise_reminded',
        at: now,
        actorId: null,
        data: { promiseId: row.id, dueAt: row.due_at.toISOString() },
      });
      await emailStaffAboutTicket(manager, ticket, [owner], {
        template: 'promise_reminder',
        key: () => `promise:${row.id}:reminder`,
        payload: { description: row.description, dueAt: row.due_at.toISOString() },
        at: now,
      });
    }
    return rows.length;
  });

  const broken = await inTransaction(ctx.dataSource, async (manager) => {
    const due = await manager
      .getRepository(CustomerPromise)
      .createQueryBuilder('p')
      .setLock('for_no_key_update')
      .setOnLocked('skip_locked')
      .where(`p.status = 'open' AND p.due_at <= :now`, { now })
      .orderBy('p.due_at')
      .limit(500)
      .getMany();
    for (const promise of due) {
      await closePromise(manager, promise, 'broken', null, null, now);
      const ticket = await manager.getRepository(Ticket).findOneByOrFail({ id: promise.ticketId });
      const owner = await manager.getRepository(Agent).findOneByOrFail({ id: ticket.ownerId });
      const supervisors = await manager
        .getRepository(Agent)
        .findBy({ teamId: ticket.teamId, role: 'supervisor', active: true });
      await emailStaffAboutTicket(manager, ticket, [owner, ...supervisors], {
        template: 'promise_broken',
        key: (agent) => `promise:${promise.id}:broken:${agent.id}`,
        payload: {
          ownerName: owner.name,
          description: promise.description,
          silo: promise.silo,
          dueAt: promise.dueAt.toISOString(),
        },
        at: now,
      });
    }
    return due.length;
  });
  return { reminded, broken };
}
