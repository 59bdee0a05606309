import { Agent } from '../agents/agent.entity';
import type { ServiceContext } from '../context';
import { inTransaction } from '../db/transaction';
import { updateReturning } from '../db/update-returning';
import { emailStaffAboutTicket } from '../notifications/email-staff';
import { Ticket } from '../tickets/ticket.entity';
import { recordEvent } from '../timeline/record-event';
import { consultedRecipients } from './consults.service';

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
      const recipients = await consultedRecipients(manager, {
        agentId: row.agent_id,
        teamId: row.team_id,
      });
      await emailStaffAboutTicket(manager, ticket, recipients, {
        template: 'consult_reminder',
        key: (agent) => `consult:${row.id}:reminder:${agent.id}`,
        payload: { question: row.question, dueAt: row.due_at.toISOString() },
        at: now,
      });
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
      await emailStaffAboutTicket(manager, ticket, [owner], {
        template: 'consult_overdue',
        key: () => `consult:${row.id}:overdue`,
        payload: { dueAt: row.due_at.toISOString() },
        at: now,
      });
    }
    return rows.length;
  });
  return { reminded, overdue };
}
