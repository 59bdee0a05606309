import type { Actor } from '../actor';
import { DEFAULT_INBOUND_LIMITS } from '../config';
import type { ServiceContext } from '../context';
import { inTransaction } from '../db/transaction';

/**
 * The inbound log (`inbound_emails`): one row per message received, by the gateway route or an
 * IMAP mailbox, saying how it was matched and why. New-ticket rows are also what the per-sender
 * and per-domain limits count, so reserving one and checking the limits happen together, under
 * one lock per sender domain.
 */
export type MatchedBy = 'reply_token' | 'thread' | 'new_ticket' | 'ignored';

export interface InboundSender {
  messageId: string;
  /** Lower-case address. */
  address: string;
}

const HOUR_MS = 3_600_000;

export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}

/** Writes one log row and returns its id. */
export async function logInboundEmail(
  ctx: ServiceContext,
  actor: Actor,
  sender: InboundSender,
  entry: { matchedBy: MatchedBy; reason: string | null; ticketId: string | null },
): Promise<string> {
  const [row]: Array<{ id: string }> = await ctx.dataSource.query(
    `INSERT INTO inbound_emails
       (received_at, actor_id, message_id, from_address, from_domain, matched_by, reason, ticket_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     RETURNING id`,
    [
      ctx.clock.now(),
      actor.id,
      sender.messageId,
      sender.address,
      domainOf(sender.address),
      entry.matchedBy,
      entry.reason,
      entry.ticketId,
    ],
  );
  return row!.id;
}

/** A row whose work failed (the caller rethrows): the message was not handled after all. */
export async function forgetInboundEmail(ctx: ServiceContext, id: string): Promise<void> {
  await ctx.dataSource.query(`DELETE FROM inbound_emails WHERE id = $1`, [id]);
}

export type NewTicketSlot =
  | { kind: 'reserved'; id: string }
  /** The same gateway posted this Message-ID before: its ticket is found by idempotency. */
  | { kind: 'retry'; id: string }
  | { kind: 'limited'; reason: string };

/**
 * Reserves the right to open a ticket for this message, or says which limit refuses it (the
 * refusal is logged as ignored). Under a lock per sender domain, so parallel messages from one
 * domain cannot all squeeze under the limit.
 */
export async function reserveNewTicket(
  ctx: ServiceContext,
  actor: Actor,
  sender: InboundSender,
  reason: string | null,
): Promise<NewTicketSlot> {
  const limits = ctx.settings.inboundLimits ?? DEFAULT_INBOUND_LIMITS;
  const domain = domainOf(sender.address);
  const now = ctx.clock.now();
  return inTransaction(ctx.dataSource, async (manager) => {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
      `inbound-domain:${domain}`,
    ]);
    const [earlier]: Array<{ id: string }> = await manager.query(
      `SELECT id FROM inbound_emails
        WHERE actor_id = $1 AND message_id = $2 AND matched_by = 'new_ticket'`,
      [actor.id, sender.messageId],
    );
    if (earlier) return { kind: 'retry', id: earlier.id };
    const since = new Date(now.getTime() - HOUR_MS);
    const [counts]: Array<{ sender: number; domain: number }> = await manager.query(
      `SELECT
         (SELECT count(*)::int FROM inbound_emails
           WHERE matched_by = 'new_ticket' AND from_address = $1 AND received_at > $3) AS sender,
         (SELECT count(*)::int FROM inbound_emails
           WHERE matched_by = 'new_ticket' AND from_domain = $2 AND received_at > $3) AS domain`,
      [sender.address, domain, since],
    );
    const refusal =
      counts!.sender >= limits.newTicketsPerSenderPerHour
        ? `limit: ${sender.address} opened ${counts!.sender} tickets by email in the last hour (at most ${limits.newTicketsPerSenderPerHour})`
        : counts!.domain >= limits.newTicketsPerDomainPerHour
          ? `limit: senders at ${domain} opened ${counts!.domain} tickets by email in the last hour (at most ${limits.newTicketsPerDomainPerHour})`
          : null;
    const [row]: Array<{ id: string }> = await manager.query(
      `INSERT INTO inbound_emails
         (received_at, actor_id, message_id, from_address, from_domain, matched_by, reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       RETURNING id`,
      [
        now,
        actor.id,
        sender.messageId,
        sender.address,
        domain,
        refusal ? 'ignored' : 'new_ticket',
        refusal ?? reason,
      ],
    );
    return refusal ? { kind: 'limited', reason: refusal } : { kind: 'reserved', id: row!.id };
  });
}

export async function settleNewTicket(
  ctx: ServiceContext,
  id: string,
  ticketId: string,
): Promise<void> {
  await ctx.dataSource.query(`UPDATE inbound_emails SET ticket_id = $2 WHERE id = $1`, [
    id,
    ticketId,
  ]);
}
