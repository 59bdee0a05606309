import type { ServiceContext } from '../context';
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
 */
const CLAIMABLE = `
  ((c.status = 'pending' AND c.next_attempt_at <= $1)
   OR (c.status = 'sending' AND c.lease_expires_at < $1)
   OR (c.status = 'ambiguous' AND c.ambiguous_sends < ${AMBIGUOUS_SENDS_BEFORE_A_PERSON}
       AND c.next_attempt_at <= $1))
  AND NOT (c.customer_id IS NOT NULL AND c.ticket_id IS NOT NULL AND EXISTS (
    SELECT 1 FROM outbox_emails e
     WHERE e.ticket_id = c.ticket_id AND e.customer_id IS NOT NULL
       AND e.queue_position < c.queue_position
       AND e.status IN ('pending', 'sending', 'ambiguous')
       AND (e.status <> 'pending' OR e.attempts > 0 OR e.next_attempt_at <= $1)))`;

/**
 * Claims up to `limit` emails for this worker under a lease of `leaseMs` (renewed while sending),
 * one short statement (FOR UPDATE SKIP LOCKED: workers never take the same row). A worker that
 * dies holding a claim delays that one email by at most the lease, then it is sent again.
 */
export async function claimDueEmails(
  ctx: ServiceContext,
  limit: number,
  leaseMs: number,
): Promise<OutboxEmail[]> {
  const now = ctx.clock.now();
  const ids = await updateReturning<{ id: string }>(
    ctx.dataSource.manager,
    `UPDATE outbox_emails SET status = 'sending', claimed_at = $1,
            lease_expires_at = $1::timestamptz + make_interval(secs => $3::double precision / 1000),
            attempts = attempts + 1
      WHERE id IN (
        SELECT c.id FROM outbox_emails c
         WHERE ${CLAIMABLE}
         ORDER BY c.next_attempt_at, c.queue_position
         LIMIT $2
         FOR UPDATE OF c SKIP LOCKED)
      RETURNING id`,
    [now, limit, leaseMs],
  );
  if (ids.length === 0) return [];
  return ctx.dataSource
    .getRepository(OutboxEmail)
    .createQueryBuilder('o')
    .where('o.id IN (:...ids)', { ids: ids.map((r) => r.id) })
    .orderBy('o.next_attempt_at')
    .addOrderBy('o.queue_position')
    .getMany();
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
