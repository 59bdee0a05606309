import type { Actor } from '../actor';
import { instant } from '../common-input';
import type { ServiceContext } from '../context';
import { z } from 'zod';
import { Forbidden } from '../errors';
import { decodeCursor, toPage, type Page } from '../pagination';
import type { OverdueQuery } from './deadlines.input';
import type { DeadlineKind } from '../deadline-rules/deadline-policy';
import { FIRST_MISSED_DEADLINE, overdueCondition } from '../tickets/overdue-condition';

export interface OverdueTicket {
  ticketId: string;
  ref: string;
  subject: string;
  status: string;
  teamId: string;
  customerId: string;
  owner: { id: string; name: string };
  deadline: DeadlineKind;
  /** The current deadline: for an escalated ticket, the next time promised to the customer. */
  dueAt: string;
  /** The promised time still ahead (an escalated ticket's holding update set it); else null. */
  nextPromisedAt: string | null;
  /** Since when the customer has been waiting past a deadline (the first one missed). */
  overdueSince: string;
  /** Minutes past the current deadline (0 while a promised time is still ahead). */
  minutesOverdue: number;
  escalationLevel: number;
  /** Breaches of this ticket's deadlines so far, all versions. */
  breachCount: number;
}

/**
 * Active tickets past their current deadline, and escalated tickets still unanswered (their
 * breach moved the deadline to the time a holding update promised: they stay listed, showing
 * that promised time), most overdue first (by the first deadline missed). Supervisors see their
 * team; admins any team (or all, without teamId).
 */
const overdueCursor = z.object({ due: instant(), id: z.uuid() });

export async function listOverdue(
  ctx: ServiceContext,
  actor: Actor,
  query: OverdueQuery,
): Promise<Page<OverdueTicket>> {
  if (actor.role !== 'supervisor' && actor.role !== 'admin') {
    throw new Forbidden('Only supervisors and admins review overdue tickets.');
  }
  if (actor.role === 'supervisor' && query.teamId && query.teamId !== actor.teamId) {
    throw new Forbidden("You can review only your own team's overdue tickets.");
  }
  const teamId = actor.role === 'supervisor' ? actor.teamId : (query.teamId ?? null);
  const now = ctx.clock.now();
  const after = query.cursor ? decodeCursor(query.cursor, overdueCursor) : null;
  const rows: Array<{
    id: string;
    ref: string;
    subject: string;
    status: string;
    team_id: string;
    customer_id: string;
    owner_id: string;
    owner_name: string;
    deadline_kind: DeadlineKind;
    deadline_due_at: Date;
    since: Date;
    escalation_level: number;
    breach_count: number;
  }> = await ctx.dataSource.query(
    `SELECT * FROM (
       SELECT t.id, t.ref, t.subject, t.status, t.team_id, t.customer_id, t.owner_id,
              a.name AS owner_name, t.deadline_kind, t.deadline_due_at, t.escalation_level,
              (SELECT count(*)::int FROM deadline_actions d WHERE d.ticket_id = t.id AND d.step = 'breached')
                AS breach_count,
              LEAST(t.deadline_due_at, m.due_at) AS since
         FROM tickets t
         JOIN agents a ON a.id = t.owner_id
         LEFT JOIN LATERAL (${FIRST_MISSED_DEADLINE}) m ON true
        WHERE ${overdueCondition('$1')}
          AND ($2::uuid IS NULL OR t.team_id = $2)) o
      WHERE ($4::timestamptz IS NULL OR (o.since, o.id) > ($4::timestamptz, $5::uuid))
      ORDER BY o.since ASC, o.id ASC
      LIMIT $3`,
    [now, teamId, query.limit + 1, after?.due ?? null, after?.id ?? null],
  );
  return toPage(
    rows,
    query.limit,
    (row) => ({
      ticketId: row.id,
      ref: row.ref,
      subject: row.subject,
      status: row.status,
      teamId: row.team_id,
      customerId: row.customer_id,
      owner: { id: row.owner_id, name: row.owner_name },
      deadline: row.deadline_kind,
      dueAt: row.deadline_due_at.toISOString(),
      nextPromisedAt: row.deadline_due_at > now ? row.deadline_due_at.toISOString() : null,
      overdueSince: row.since.toISOString(),
      minutesOverdue: Math.max(
        0,
        Math.floor((now.getTime() - row.deadline_due_at.getTime()) / 60_000),
      ),
      escalationLevel: row.escalation_level,
      breachCount: row.breach_count,
    }),
    (row) => ({ due: row.since.toISOString(), id: row.id }),
  );
}
