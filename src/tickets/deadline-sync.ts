import type { ServiceContext } from '../context';
import type { Ticket } from './ticket.entity';
import { currentDeadlineOf } from '../deadline-rules/current-deadline';
import { planDeadlineJobs } from '../deadline-rules/deadline-jobs';

/**
 * After a change commits, schedule the enforcement steps of the ticket's current deadline.
 * Best effort by design: if Redis is unreachable the change still stands (Postgres is the truth)
 * and the reconciler schedules the steps on its next pass.
 */
export async function scheduleDeadlineJobs(ctx: ServiceContext, tickets: Ticket[]): Promise<void> {
  const now = ctx.clock.now();
  const jobs = tickets.flatMap((ticket) => {
    const current = currentDeadlineOf(ticket);
    if (!current) return [];
    return planDeadlineJobs(
      {
        ticketId: ticket.id,
        kind: current.kind,
        version: ticket.deadlineVersion,
        dueAt: current.dueAt,
        warnAt: ticket.deadlineWarnAt,
        done: new Set(),
      },
      now,
    );
  });
  try {
    await ctx.deadlineJobs.schedule(jobs);
  } catch (error) {
    ctx.logger.warn(
      { err: error, tickets: tickets.map((t) => t.id) },
      'could not schedule deadline jobs; the reconciler will',
    );
  }
}
