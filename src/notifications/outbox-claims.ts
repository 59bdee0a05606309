import type { ServiceContext } from '../context';
import { hydrate } from '../db/insert-returning';
import { updateReturning } from '../db/update-returning';
import { OutboxEmail } from './outbox-email.entity';

/** Sends that may end ambiguous before a person has to decide: the first is retried. */
export const AMBIGUOUS_SENDS_BEFORE_A_PERSON = 2;

/*
 * An email is claimable when it is due (pending), its claim lapsed (a worker died while holding
 * it), or it is an ambiguous send due for its one automatic retry; and, for a ticket's customer
 * email, no earlier customer email of that ticket is still unsettled (ORDER_HOLDING_STATUSES).
 * The order check reads committed rows only, and every state an earlier email can be seen in
 * before it settles holds back, so two workers can never send a ticket's emails out of order.
 * One branch per status, each read through its own partial index in claim order, so a claim
 * reads the rows it takes rather than every due row (and never the sent ones).
 */
const CLAIMABLE_BY_STATUS = [
  `c.status = 'pending' AND c.next_attempt_at <= $1`,
  `c.status = 'sending' AND c.lease_expires_at < $1`,
  `c.status = 'ambiguous' AND c.ambiguous_sends < ${AMBIGUOUS_SENDS_BEFORE_A_PERSON}
   AND c.next_attempt_at <= $1`,
];
const HELD_BACK_BY_AN_EARLIER_EMAIL = `
  c.customer_id IS NOT NULL AND c.ticket_id IS NOT NULL AND EXISTS (
    SELECT 1 FROM outbox_emails e
     WHERE e.ticket_id = c.ticket_id AND e.customer_id IS NOT NULL
       AND e.queue_position < c.queue_position
       AND e.status IN ('pending', 'sending', 'ambiguous')
       AND (e.status <> 'pending' OR e.attempts > 0 OR e.next_attempt_at <= $1))`;

/** The first `$2` claimable emails of each status, locked (rows others hold are skipped). */
const CANDIDATES = CLAIMABLE_BY_STATUS.map(
  (claimable, i) => `
  candidates_${i} AS (
    SELECT c.id, c.next_attempt_at, c.queue_position FROM outbox_emails c
     WHERE ${claimable} AND NOT (${HELD_BACK_BY_AN_EARLIER_EMAIL})
     ORDER BY c.next_attempt_at, c.queue_position
     LIMIT $2
     FOR UPDATE OF c SKIP LOCKED)`,
).join(',');

/**
 * Claims up to `limit` emails for this worker under a lease of `leaseMs` (renewed while sending),
 * one short statement (FOR UPDATE SKIP LOCKED: workers never take the same row) that also returns
 * the claimed rows, so a claim costs one round trip. A worker that dies holding a claim delays
 * that one email by at most the lease, then it is sent again.
 */
export async function claimDueEmails(
  ctx: ServiceContext,
  limit: number,
  leaseMs: number,
): Promise<OutboxEmail[]> {
  const now = ctx.clock.now();
  const rows = await updateReturning<Record<string, unknown>>(
    ctx.dataSource.manager,
    `WITH ${CANDIDATES},
     chosen AS (
       SELECT id FROM (${CLAIMABLE_BY_STATUS.map((_, i) => `SELECT * FROM candidates_${i}`).join(' UNION ALL ')}) c
        ORDER BY c.next_attempt_at, c.queue_position
        LIMIT $2)
     UPDATE outbox_emails SET status = 'sending', claimed_at = $1,
            lease_expires_at = $1::timestamptz + make_interval(secs => $3::double precision / 1000),
            attempts = attempts + 1
      WHERE id IN (SELECT id FROM chosen)
      RETURNING *`,
    [now, limit, leaseMs],
  );
  // RETURNING keeps no order: sent in the order the claim chose them.
  return rows.map((row) => hydrate(ctx.dataSource.manager, OutboxEmail, row)).sort(byDueThenQueued);
}

function byDueThenQueued(a: OutboxEmail, b: OutboxEmail): number {
  const due = a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime();
  if (due !== 0) return due;
  const position = BigInt(a.queuePosition) - BigInt(b.queuePosition);
  return position < 0n ? -1 : position > 0n ? 1 : 0;
}

/**
 * Extends this worker's claim. False when the claim is no longer ours (it lapsed and another
 * worker took the email): the outcome must then not be recorded by us.
 */
export async function renewLease(
  ctx: ServiceContext,
  email: OutboxEmail,
  leaseMs: number,
): Promise<boolean> {
  const renewed = await updateReturning<{ id: string }>(
    ctx.dataSource.manager,
    `UPDATE outbox_emails
        SET lease_expires_at = $3::timestamptz + make_interval(secs => $4::double precision / 1000)
      WHERE id = $1 AND status = 'sending' AND attempts = $2
      RETURNING id`,
    [email.id, email.attempts, ctx.clock.now(), leaseMs],
  );
  return renewed.length === 1;
}

/**
 * `renewLease` for several claims in one statement (emails about to be sent together). Returns
 * the ids still ours; the others lapsed and were taken by another worker, and must not be sent.
 */
export async function renewLeases(
  ctx: ServiceContext,
  emails: OutboxEmail[],
  leaseMs: number,
): Promise<Set<string>> {
  const renewed = await updateReturning<{ id: string }>(
    ctx.dataSource.manager,
    `UPDATE outbox_emails o
        SET lease_expires_at = $3::timestamptz + make_interval(secs => $4::double precision / 1000)
       FROM unnest($1::uuid[], $2::int[]) AS mine(id, attempts)
      WHERE o.id = mine.id AND o.status = 'sending' AND o.attempts = mine.attempts
      RETURNING o.id`,
    [emails.map((e) => e.id), emails.map((e) => e.attempts), ctx.clock.now(), leaseMs],
  );
  return new Set(renewed.map((r) => r.id));
}
