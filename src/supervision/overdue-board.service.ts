import type { Actor } from '../actor';
import type { ServiceContext } from '../context';
import type { DeadlineKind } from '../deadline-rules/deadline-policy';
import { assertSupervisesTeam } from './supervision-access';
import { FIRST_MISSED_DEADLINE, overdueCondition } from '../tickets/overdue-condition';

/** A holding update the customer was sent (or is being sent) during the current escalation. */
export interface HoldingUpdateSent {
  at: string;
  status: string;
}

export interface BoardItem {
  ticketId: string;
  ref: string;
  subject: string;
  status: string;
  customer: { id: string; name: string; tier: string };
  owner: { id: string; name: string; email: string };
  /** The deadline that was missed (for an escalated ticket: the one that started the escalation). */
  deadline: DeadlineKind;
  dueAt: string;
  minutesOverdue: number;
  escalationLevel: number;
  breachCount: number;
  /** The deadline the ticket works towards now (after a breach: the holding update's promise). */
  currentDueAt: string | null;
  holdingUpdates: HoldingUpdateSent[];
}

export interface DueSoonItem {
  ticketId: string;
  ref: string;
  subject: string;
  status: string;
  customer: { id: string; name: string; tier: string };
  owner: { id: string; name: string; email: string };
  deadline: DeadlineKind;
  dueAt: string;
  minutesLeft: number;
}

export interface OverdueBoard {
  teamId: string;
  at: string;
  overdue: BoardItem[];
  dueSoon: DueSoonItem[];
}

/** A board, not an archive: the worst 200 of each list. */
const BOARD_LIMIT = 200;

interface Row {
  id: string;
  ref: string;
  subject: string;
  status: string;
  customer_id: string;
  customer_name: string;
  customer_tier: string;
  owner_id: string;
  owner_name: string;
  owner_email: string;
  deadline_kind: DeadlineKind | null;
  deadline_due_at: Date | null;
  escalation_level: number;
  breach_count: number;
  missed_kind: DeadlineKind | null;
  missed_due_at: Date | null;
  escalated_at: Date | null;
}

/**
 * A team's overdue board. Overdue: active tickets past their current deadline, and tickets still
 * escalated (a deadline was breached and not yet answered; the holding update's promise is the
 * current deadline then), as GET /overdue lists them, most overdue first, counted from the
 * deadline missed first since the customer last heard from the owner. Due soon: tickets inside the warn window (the cached warn time of
 * their current deadline has passed), soonest first.
 */
export async function overdueBoard(
  ctx: ServiceContext,
  actor: Actor,
  teamId: string,
): Promise<OverdueBoard> {
  await assertSupervisesTeam(ctx, actor, teamId);
  const now = ctx.clock.now();
  const rows: Row[] = await ctx.dataSource.query(
    `SELECT t.id, t.ref, t.subject, t.status, t.customer_id, c.name AS customer_name,
            c.tier AS customer_tier, t.owner_id, a.name AS owner_name, a.email AS owner_email,
            t.deadline_kind, t.deadline_due_at, t.escalation_level, t.breach_count,
            b.kind AS missed_kind, b.due_at AS missed_due_at, b.acted_at AS escalated_at
       FROM tickets t
       JOIN agents a ON a.id = t.owner_id
       JOIN customers c ON c.id = t.customer_id
       LEFT JOIN LATERAL (${FIRST_MISSED_DEADLINE}) b ON true
      WHERE t.team_id = $1 AND t.status IN ('open', 'waiting_on_customer')
        AND ${overdueCondition('$2')}
      ORDER BY LEAST(b.due_at, t.deadline_due_at) ASC, t.id ASC
      LIMIT $3`,
    [teamId, now, BOARD_LIMIT],
  );
  const holding: Array<{ ticket_id: string; created_at: Date; status: string }> =
    rows.length === 0
      ? []
      : await ctx.dataSource.query(
          `SELECT o.ticket_id, o.created_at, o.status FROM outbox_emails o
            WHERE o.ticket_id = ANY($1::uuid[]) AND o.template = 'holding_update'
            ORDER BY o.created_at ASC`,
          [rows.map((r) => r.id)],
        );
  const overdue = rows.map((row): BoardItem => {
    // Counted from the deadline missed first, as GET /overdue counts "overdue since"; a current
    // deadline that passed before its breach was recorded counts too.
    const missedFirst =
      row.missed_due_at && (!row.deadline_due_at || row.missed_due_at <= row.deadline_due_at);
    const dueAt = (missedFirst ? row.missed_due_at : row.deadline_due_at) ?? now;
    const since = row.escalated_at;
    return {
      ticketId: row.id,
      ref: row.ref,
      subject: row.subject,
      status: row.status,
      customer: { id: row.customer_id, name: row.customer_name, tier: row.customer_tier },
      owner: { id: row.owner_id, name: row.owner_name, email: row.owner_email },
      deadline: (missedFirst ? row.missed_kind : row.deadline_kind) ?? 'first_response',
      dueAt: dueAt.toISOString(),
      minutesOverdue: Math.max(0, Math.floor((now.getTime() - dueAt.getTime()) / 60_000)),
      escalationLevel: row.escalation_level,
      breachCount: row.breach_count,
      currentDueAt: row.deadline_due_at?.toISOString() ?? null,
      holdingUpdates: holding
        .filter((h) => h.ticket_id === row.id && (!since || h.created_at >= since))
        .map((h) => ({ at: h.created_at.toISOString(), status: h.status })),
    };
  });

  const soon: Row[] = await ctx.dataSource.query(
    `SELECT t.id, t.ref, t.subject, t.status, t.customer_id, c.name AS customer_name,
            c.tier AS customer_tier, t.owner_id, a.name AS owner_name, a.email AS owner_email,
            t.deadline_kind, t.deadline_due_at
       FROM tickets t
       JOIN agents a ON a.id = t.owner_id
       JOIN customers c ON c.id = t.customer_id
      WHERE t.team_id = $1 AND t.status IN ('open', 'waiting_on_customer')
        AND t.escalation_level = 0 AND t.deadline_due_at >= $2 AND t.deadline_warn_at <= $2
      ORDER BY t.deadline_due_at ASC, t.id ASC
      LIMIT $3`,
    [teamId, now, BOARD_LIMIT],
  );
  const dueSoon = soon.map((row): DueSoonItem => ({
    ticketId: row.id,
    ref: row.ref,
    subject: row.subject,
    status: row.status,
    customer: { id: row.customer_id, name: row.customer_name, tier: row.customer_tier },
    owner: { id: row.owner_id, name: row.owner_name, email: row.owner_email },
    deadline: row.deadline_kind ?? 'first_response',
    dueAt: row.deadline_due_at!.toISOString(),
    minutesLeft: Math.floor((row.deadline_due_at!.getTime() - now.getTime()) / 60_000),
  }));
  return { teamId, at: now.toISOString(), overdue, dueSoon };
}
