/**
 * When a ticket counts as overdue, in SQL on `t` (the tickets table), for every list that shows
 * it (GET /overdue, the team's board, team load): its current deadline has passed, or it is
 * escalated and still has a deadline (the next promised time; a paused ticket has none and is
 * not overdue while it waits on the customer). `now` is the placeholder of the current time.
 */
export function overdueCondition(now: string): string {
  return `(t.deadline_due_at < ${now} OR (t.escalation_level > 0 AND t.deadline_due_at IS NOT NULL))`;
}

/**
 * The deadline missed first since the customer last heard from the owner (its breach row in
 * `deadline_actions`), as a LATERAL subquery on `t` giving `kind`, `due_at` and `acted_at`. Every
 * list counts "overdue since" and "minutes overdue" from it, so the board and GET /overdue agree.
 */
export const FIRST_MISSED_DEADLINE = `
  SELECT d.kind, d.due_at, d.acted_at FROM deadline_actions d
   WHERE d.ticket_id = t.id AND d.step = 'breached'
     AND d.due_at >= t.response_clock_started_at
     AND d.due_at > coalesce(t.last_public_update_at, '-infinity'::timestamptz)
   ORDER BY d.due_at ASC LIMIT 1`;
