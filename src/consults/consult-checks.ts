import { Agent } from '../agents/agent.entity';
import type { ServiceContext } from '../context';
import { inTransaction } from '../db/transaction';
import { updateReturning } from '../db/update-returning';
import { queueEmail } from '../notifications/queue-email';
import { Ticket } from '../tickets/ticket.entity';
import { recordEvent } from '../timeline/record-event';

/** How long before its due time the consulted party is reminded. */
export const CONSULT_REMINDER_MS = 60 * 60_000;

/**
 * Worker task: remind the consulted party before an open consult falls due, and tell the owner
 * when it is overdue. Each row is flagged in the same transaction as its timeline event and email,
 * so a step happens once however many workers run this.
 */
export async function runConsultChecks(
  ctx: ServiceContext,
): Promise<{ reminded: number; overdue: number }> {
  const now = ctx.clock.now();
  const reminded = await inTransaction(ctx.dataSource, async (manager) => {
    const rows = await updateReturning<{
      id: string;
      ticket_id: string;
      agent_id: string | null;
      team_id: string;
      due_at: Date;
      question: string;
    }>(
      manager,
      `UPDATE consults SET reminded_at = $1
        WHERE id IN (SELECT id FROM consults
                      WHERE status = 'open' AND reminded_at IS NULL AND due_at > $1 AND due_at <= $2
                      FOR UPDATE SKIP LOCKED)
        RETURNING id, ticket_id, agent_id, team_id, due_at, question`,
      [now, new Date(now.getTime() + CONSULT_REMINDER_MS)],
    );
    for (const row of rows) {
      const ticket = await manager.getRepository(Ticket).findOneByOrFail({ id: row.ticket_id });
      await recordEvent(manager, {
        ticketId: row.ticket_id,
        type: 'consult_reminded',
        at: now,
        actorId: null,
        data: { consultId: row.id, dueAt: row.due_at.toISOString() },
      });
      const recipients = row.agent_id
        ? await manager.getRepository(Agent).findBy({ id: row.agent_id })
        : await manager
            .getRepository(Agent)
            .createQueryBuilder('a')
            .where(`a.team_id = :teamId AND a.active AND a.role IN ('rep', 'supervisor')`, {
              teamId: row.team_id,
            })
            .getMany();
      for (const agent of recipients) {
        await queueEmail(manager, {
          key: `consult:${row.id}:reminder:${agent.id}`,
          template: 'consult_reminder',
          toAddress: agent.email,
          ticketId: row.ticket_id,
          agentId: agent.id,
          payload: {
            ticketRef: ticket.ref,
            subject: ticket.subject,
            agentName: agent.name,
            question: row.question,
            dueAt: row.due_at.toISOString(),
          },
          at: now,
        });
      }
    }
    return rows.length;
  });
  const overdue = await inTransaction(ctx.dataSource, async (manager) => {
    const rows = await updateReturning<{ id: string; ticket_id: string; due_at: Date }>(
      manager,
      `UPDATE consults SET overdue_at = $1
        WHERE id IN (SELECT id FROM consults
                      WHERE status = 'open' AND overdue_at IS NULL AND due_at <= $1
                      FOR UPDATE SKIP LOCKED)
        RETURNING id, ticket_id, due_at`,
      [now],
    );
    for (const row of rows) {
      const ticket = await manager.getRepository(Ticket).findOneByOrFail({ id: row.ticket_id });
      const owner = await manager.getRepository(Agent).findOneByOrFail({ id: ticket.ownerId });
      await recordEvent(manager, {
        ticketId: row.ticket_id,
        type: 'consult_overdue',
        at: now,
        actorId: null,
        data: { consultId: row.id, dueAt: row.due_at.toISOString() },
      });
      await queueEmail(manager, {
        key: `consult:${row.id}:overdue`,
        template: 'consult_overdue',
        toAddress: owner.email,
        ticketId: row.ticket_id,
        agentId: owner.id,
        payload: {
          ticketRef: ticket.ref,
          subject: ticket.subject,
          agentName: owner.name,
          dueAt: row.due_at.toISOString(),
        },
        at: now,
      });
    }
    return rows.length;
  });
  return { reminded, overdue };
}
