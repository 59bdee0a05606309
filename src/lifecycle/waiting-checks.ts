import { Agent } from '../agents/agent.entity';
import type { ServiceContext } from '../context';
import { Customer } from '../customers/customer.entity';
import { inTransaction } from '../db/transaction';
import { scheduleDeadlineJobs } from '../tickets/deadline-sync';
import { whenStaffMayBeTold } from '../teams/staff-hours';
import { queueEmail } from '../notifications/queue-email';
import { Team } from '../teams/team.entity';
import { recordEvent } from '../timeline/record-event';
import { resumeUpdateClock } from './ticket-lifecycle';
import { Ticket } from '../tickets/ticket.entity';
import { writeTicket } from '../tickets/ticket-writes';

const BATCH = 200;

/**
 * Worker task: tickets waiting on the customer get one reminder to the customer when
 * waitingReminderAfterMinutes have passed, and when waitingResumeAfterMinutes have passed the
 * update clock resumes (the owner owes an update again) and the owner is told. Each ticket is
 * handled under its row lock, rechecked there, so two workers never act twice.
 */
export async function runWaitingChecks(
  ctx: ServiceContext,
): Promise<{ reminded: number; resumed: number }> {
  const now = ctx.clock.now();
  const due: Array<{ id: string }> = await ctx.dataSource.query(
    `SELECT id FROM tickets
      WHERE status = 'waiting_on_customer'
        AND ((waiting_reminded_at IS NULL AND waiting_reminder_at <= $1) OR waiting_resume_at <= $1)
      ORDER BY least(waiting_reminder_at, waiting_resume_at)
      LIMIT ${BATCH}`,
    [now],
  );
  const counts = { reminded: 0, resumed: 0 };
  for (const { id } of due) {
    const outcome = await checkOne(ctx, id, now);
    if (outcome === 'resumed') {
      counts.resumed += 1;
    } else if (outcome === 'reminded') counts.reminded += 1;
  }
  return counts;
}

async function checkOne(
  ctx: ServiceContext,
  ticketId: string,
  now: Date,
): Promise<'reminded' | 'resumed' | null> {
  let resumed: Ticket | undefined;
  const outcome = await inTransaction(ctx.dataSource, async (manager) => {
    const ticket = await manager
      .getRepository(Ticket)
      .createQueryBuilder('t')
      .setLock('for_no_key_update')
      .setOnLocked('skip_locked')
      .where('t.id = :ticketId', { ticketId })
      .getOne();
    if (!ticket || ticket.status !== 'waiting_on_customer') return null;
    const team = await manager.getRepository(Team).findOneByOrFail({ id: ticket.teamId });
    const owner = await manager.getRepository(Agent).findOneByOrFail({ id: ticket.ownerId });

    if (ticket.waitingResumeAt && ticket.waitingResumeAt <= now) {
      const waitedSince = ticket.pausedAt;
      await writeTicket(
        manager,
        ticket,
        { status: 'open', ...resumeUpdateClock(ticket, now, team) },
        now,
        { team },
      );
      await recordEvent(manager, {
        ticketId: ticket.id,
        type: 'status_changed',
        at: now,
        actorId: null,
        data: { from: 'waiting_on_customer', to: 'open', reason: 'no answer from the customer' },
      });
      await recordEvent(manager, {
        ticketId: ticket.id,
        type: 'waiting_resumed',
        at: now,
        actorId: null,
        data: {
          waitingSince: waitedSince?.toISOString() ?? null,
          nextUpdateDueAt: ticket.nextUpdateDueAt?.toISOString() ?? null,
          ownerId: owner.id,
        },
      });
      const sendAt = await whenStaffMayBeTold(manager, [owner], team, now);
      await queueEmail(manager, {
        key: `ticket:${ticket.id}:waiting_resumed:${now.getTime()}`,
        template: 'waiting_resumed',
        toAddress: owner.email,
        ticketId: ticket.id,
        agentId: owner.id,
        payload: {
          ticketRef: ticket.ref,
          subject: ticket.subject,
          agentName: owner.name,
          waitingSince: waitedSince?.toISOString() ?? null,
          nextUpdateDueAt: ticket.nextUpdateDueAt?.toISOString() ?? null,
          timezone: team.timezone,
        },
        at: now,
        sendAt: sendAt.get(owner.id),
      });
      resumed = ticket;
      return 'resumed' as const;
    }

    if (ticket.waitingRemindedAt || !ticket.waitingReminderAt || ticket.waitingReminderAt > now) {
      return null;
    }
    const customer = await manager
      .getRepository(Customer)
      .findOneByOrFail({ id: ticket.customerId });
    await writeTicket(manager, ticket, { waitingRemindedAt: now }, now, { team });
    const sent = customer.autoUpdates
      ? await queueEmail(manager, {
          key: `ticket:${ticket.id}:waiting_reminder:${ticket.pausedAt?.getTime() ?? 0}`,
          template: 'waiting_reminder',
          toAddress: customer.email,
          ticketId: ticket.id,
          customerId: customer.id,
          payload: {
            ticketRef: ticket.ref,
            subject: ticket.subject,
            customerName: customer.name,
            locale: customer.locale,
            ownerName: owner.name,
            resumeAt: ticket.waitingResumeAt?.toISOString() ?? null,
            timezone: team.timezone,
          },
          at: now,
        })
      : false;
    await recordEvent(manager, {
      ticketId: ticket.id,
      type: 'waiting_reminder_sent',
      at: now,
      actorId: null,
      data: {
        emailed: sent,
        ...(customer.autoUpdates ? {} : { reason: 'the customer opted out of automatic updates' }),
      },
    });
    return 'reminded' as const;
  });
  if (resumed) await scheduleDeadlineJobs(ctx, [resumed]);
  return outcome;
}
