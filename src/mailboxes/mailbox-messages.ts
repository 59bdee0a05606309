import type { Actor } from '../actor';
import { receiveEmailWithAttachments } from '../inbound/receive-email-with-attachments';
import type { ServiceContext } from '../context';
import { InvalidInput } from '../errors';

/**
 * Each message of a mailbox is processed once, keyed by (mailbox, UIDVALIDITY, UID): a claim row
 * is written before the message is handed to the inbound pipeline and marked done after. A claim
 * left by a worker that died is taken over once stale; the pipeline is itself idempotent on the
 * Message-ID, so the message that was in flight then still makes one ticket, never two.
 */
export interface MailboxIdentity {
  id: string;
  teamId: string;
  agentId: string;
  agentName: string;
}

export type ClaimResult = 'claimed' | 'done' | 'busy';

export async function claimMailboxMessage(
  ctx: ServiceContext,
  mailboxId: string,
  uidValidity: string,
  uid: number,
  staleClaimMs: number,
): Promise<ClaimResult> {
  const now = ctx.clock.now();
  const claimed: unknown[] = await ctx.dataSource.query(
    `INSERT INTO mailbox_messages (mailbox_id, uid_validity, uid, status, claimed_at, attempts)
     VALUES ($1, $2, $3, 'processing', $4, 1)
     ON CONFLICT (mailbox_id, uid_validity, uid) DO UPDATE
       SET claimed_at = EXCLUDED.claimed_at, attempts = mailbox_messages.attempts + 1
       WHERE mailbox_messages.status = 'processing' AND mailbox_messages.claimed_at < $5
     RETURNING id`,
    [mailboxId, uidValidity, uid, now, new Date(now.getTime() - staleClaimMs)],
  );
  if (claimed.length > 0) return 'claimed';
  const [row]: Array<{ status: string }> = await ctx.dataSource.query(
    `SELECT status FROM mailbox_messages WHERE mailbox_id = $1 AND uid_validity = $2 AND uid = $3`,
    [mailboxId, uidValidity, uid],
  );
  return row?.status === 'processing' ? 'busy' : 'done';
}

/** Hands the message to the inbound pipeline and records what became of it. */
export async function processClaimedMessage(
  ctx: ServiceContext,
  mailbox: MailboxIdentity,
  key: { uidValidity: string; uid: number },
  raw: Buffer,
): Promise<{ status: 'done' | 'rejected'; ticketId: string | null; result: string }> {
  const actor: Actor = {
    id: mailbox.agentId,
    name: mailbox.agentName,
    role: 'integration',
    teamId: mailbox.teamId,
  };
  let status: 'done' | 'rejected' = 'done';
  let ticketId: string | null = null;
  let result: string;
  let detail: Record<string, unknown>;
  try {
    const outcome = await receiveEmailWithAttachments(ctx, actor, raw, { teamId: mailbox.teamId });
    ticketId =
      'ticketId' in outcome && typeof outcome.ticketId === 'string' ? outcome.ticketId : null;
    result = outcome.result;
    detail = outcome as unknown as Record<string, unknown>;
  } catch (error) {
    // A message the pipeline refuses (no sender address …) is recorded and moved aside; anything
    // else (database down) leaves the claim to go stale and be retried.
    if (!(error instanceof InvalidInput)) throw error;
    status = 'rejected';
    result = 'rejected';
    detail = { reason: error.message };
  }
  await ctx.dataSource.query(
    `UPDATE mailbox_messages SET status = $4, ticket_id = $5, result = $6, processed_at = $7
      WHERE mailbox_id = $1 AND uid_validity = $2 AND uid = $3`,
    [
      mailbox.id,
      key.uidValidity,
      key.uid,
      status,
      ticketId,
      JSON.stringify(detail),
      ctx.clock.now(),
    ],
  );
  return { status, ticketId, result };
}
