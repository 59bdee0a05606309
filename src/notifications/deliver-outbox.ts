import type { ServiceContext } from '../context';
import { inTransaction } from '../db/transaction';
import { recordEvent } from '../timeline/record-event';
import { emailMessageId, mailDomain, replyAddress, threadRootId } from './email-threading';
import { isCustomerTemplate, renderEmail } from './email-templates';
import { classifySendError, type Mailer, type OutgoingEmail } from './mailer';
import { OutboxEmail } from './outbox-email.entity';
import { signTicketToken, ticketLinks } from './signed-links';

/**
 * Turns outbox rows into sent email. Claims are short transactions (FOR UPDATE SKIP LOCKED, so
 * any number of workers share the work without sending a row twice); the SMTP call happens with
 * no transaction open; the outcome is written afterwards. A crash between send and mark can
 * repeat the emails that were in flight (their claims go stale and are released); nothing is
 * ever lost: temporary failures are retried for days (maxAgeMs), not a fixed number of times.
 */
export interface DeliverySettings {
  mailFrom: string;
  /** A temporary failure becomes permanent once the email is this old (mail servers use days). */
  maxAgeMs: number;
  /** Claims older than this belong to a worker that died: released for another try. */
  staleClaimMs: number;
}

export const DEFAULT_DELIVERY: Omit<DeliverySettings, 'mailFrom'> = {
  maxAgeMs: 3 * 86_400_000,
  staleClaimMs: 10 * 60_000,
};

/** 30 s, 1 min, 2 min … capped at one hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(3_600_000, 30_000 * 2 ** Math.max(0, attempts - 1));
}

export async function claimDueEmails(ctx: ServiceContext, limit: number): Promise<OutboxEmail[]> {
  const now = ctx.clock.now();
  const rows: unknown = await ctx.dataSource.query(
    `UPDATE outbox_emails SET status = 'sending', claimed_at = $1, attempts = attempts + 1
      WHERE id IN (
        SELECT id FROM outbox_emails
         WHERE status = 'pending' AND next_attempt_at <= $1
         ORDER BY next_attempt_at
         LIMIT $2
         FOR UPDATE SKIP LOCKED)
      RETURNING id`,
    [now, limit],
  );
  const ids = (Array.isArray(rows) && Array.isArray(rows[0]) ? rows[0] : rows) as Array<{
    id: string;
  }>;
  if (ids.length === 0) return [];
  return ctx.dataSource
    .getRepository(OutboxEmail)
    .createQueryBuilder('o')
    .where('o.id IN (:...ids)', { ids: ids.map((r) => r.id) })
    .orderBy('o.next_attempt_at')
    .getMany();
}

/** Releases claims whose worker died before recording an outcome. */
export async function releaseStaleClaims(
  ctx: ServiceContext,
  staleClaimMs: number,
): Promise<number> {
  const cutoff = new Date(ctx.clock.now().getTime() - staleClaimMs);
  const result: unknown = await ctx.dataSource.query(
    `UPDATE outbox_emails SET status = 'pending', next_attempt_at = $2
      WHERE status = 'sending' AND claimed_at < $1`,
    [cutoff, ctx.clock.now()],
  );
  return Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
}

export type DeliveryOutcome = 'sent' | 'retry' | 'failed' | 'ambiguous' | 'cancelled';

export async function deliverEmail(
  ctx: ServiceContext,
  mailer: Mailer,
  email: OutboxEmail,
  settings: DeliverySettings,
): Promise<DeliveryOutcome | 'lost_claim'> {
  if (await noLongerApplies(ctx, email)) {
    await finish(ctx, email, { status: 'cancelled' });
    return 'cancelled';
  }
  let outgoing: OutgoingEmail;
  try {
    outgoing = compose(ctx, email, settings.mailFrom);
  } catch (error) {
    await fail(ctx, email, 'failed', `could not render: ${(error as Error).message}`);
    return 'failed';
  }
  // Renew the claim right before sending: a row released and re-claimed by another worker in
  // the meantime is theirs now, and must not be sent twice.
  if (!(await renewClaim(ctx, email))) return 'lost_claim';
  try {
    const sent = await mailer.send(outgoing);
    const recorded = await finish(
      ctx,
      email,
      {
        status: 'sent',
        sent_at: ctx.clock.now(),
        message_id: sent.messageId || outgoing.messageId,
        smtp_response: sent.response.slice(0, 500),
        last_error: null,
      },
      {
        type: 'email_sent',
        data: {
          emailId: email.id,
          template: email.template,
          to: email.toAddress,
          messageId: outgoing.messageId,
        },
      },
    );
    return recorded ? 'sent' : 'lost_claim';
  } catch (error) {
    const failure = classifySendError(error);
    const tooOld = ctx.clock.now().getTime() - email.createdAt.getTime() > settings.maxAgeMs;
    if (failure.kind === 'retry' && !tooOld) {
      await finish(ctx, email, {
        status: 'pending',
        next_attempt_at: new Date(ctx.clock.now().getTime() + retryDelayMs(email.attempts)),
        last_error: failure.reason,
      });
      return 'retry';
    }
    const status = failure.kind === 'ambiguous' ? 'ambiguous' : 'failed';
    await fail(
      ctx,
      email,
      status,
      tooOld ? `gave up after ${email.attempts} attempts: ${failure.reason}` : failure.reason,
    );
    return status;
  }
}

async function renewClaim(ctx: ServiceContext, email: OutboxEmail): Promise<boolean> {
  const now = ctx.clock.now();
  const result: unknown = await ctx.dataSource.query(
    `UPDATE outbox_emails SET claimed_at = $3 WHERE id = $1 AND status = 'sending' AND attempts = $2`,
    [email.id, email.attempts, now],
  );
  return Array.isArray(result) && result[1] === 1;
}

/** A survey for a ticket that was reopened since, or mail to a customer with no address. */
async function noLongerApplies(ctx: ServiceContext, email: OutboxEmail): Promise<boolean> {
  if (email.template !== 'satisfaction_survey' || !email.ticketId) return false;
  const [ticket]: Array<{ status: string }> = await ctx.dataSource.query(
    `SELECT status FROM tickets WHERE id = $1`,
    [email.ticketId],
  );
  const alreadyScored: unknown[] = await ctx.dataSource.query(
    `SELECT 1 FROM satisfaction_scores WHERE ticket_id = $1`,
    [email.ticketId],
  );
  return ticket?.status !== 'resolved' || alreadyScored.length > 0;
}

function compose(ctx: ServiceContext, email: OutboxEmail, mailFrom: string): OutgoingEmail {
  const domain = mailDomain(mailFrom);
  const customerMail = isCustomerTemplate(email.template) && email.ticketId !== null;
  const links = email.ticketId ? ticketLinks(ctx.settings, email.ticketId) : null;
  const rendered = renderEmail(email.template, email.payload, links);
  const outgoing: OutgoingEmail = {
    from: mailFrom,
    to: email.toAddress,
    subject: rendered.subject,
    text: rendered.text,
    html: rendered.html,
    messageId: emailMessageId(email.id, domain),
    // RFC 3834: machine mail says so, so that auto-responders do not answer it (no mail loops).
    ...(email.template === 'public_update'
      ? {}
      : { headers: { 'Auto-Submitted': 'auto-generated' } }),
  };
  if (customerMail) {
    // The acknowledgement starts the ticket's thread; everything after replies to it.
    const root = threadRootId(email.ticketId!, domain);
    if (email.template === 'ticket_acknowledgement') {
      outgoing.messageId = root;
    } else {
      outgoing.inReplyTo = root;
      outgoing.references = [root];
    }
    outgoing.replyTo = replyAddress(
      mailFrom,
      signTicketToken(ctx.settings.linkSecret, 'reply', email.ticketId!),
    );
  }
  return outgoing;
}

/**
 * Records the outcome, and its timeline event in the same transaction, only if this worker still
 * holds the claim (a released, re-claimed row belongs to someone else). Returns whether it did.
 */
async function finish(
  ctx: ServiceContext,
  email: OutboxEmail,
  columns: Record<string, unknown>,
  event?: { type: 'email_sent' | 'email_failed'; data: Record<string, unknown> },
): Promise<boolean> {
  const names = Object.keys(columns);
  const assignments = names.map((name, i) => `${name} = $${i + 2}`).join(', ');
  return inTransaction(ctx.dataSource, async (manager) => {
    const result: unknown = await manager.query(
      `UPDATE outbox_emails SET ${assignments} WHERE id = $1 AND status = 'sending' AND attempts = $${names.length + 2}`,
      [email.id, ...names.map((name) => columns[name]), email.attempts],
    );
    const updated = Array.isArray(result) && result[1] === 1;
    if (updated && event && email.ticketId) {
      await recordEvent(manager, {
        ticketId: email.ticketId,
        type: event.type,
        at: ctx.clock.now(),
        actorId: null,
        data: event.data,
      });
    }
    return updated;
  });
}

async function fail(
  ctx: ServiceContext,
  email: OutboxEmail,
  status: 'failed' | 'ambiguous',
  reason: string,
): Promise<void> {
  await finish(
    ctx,
    email,
    { status, failed_at: ctx.clock.now(), last_error: reason },
    {
      type: 'email_failed',
      data: { emailId: email.id, template: email.template, to: email.toAddress, status, reason },
    },
  );
}

/**
 * Sends everything due now, `parallel` at a time. Only as many rows are claimed as are being
 * sent, so a crash or a slow server holds few claims; `shouldStop` is checked between rounds.
 */
export async function drainOutbox(
  ctx: ServiceContext,
  mailer: Mailer,
  settings: DeliverySettings,
  options: { parallel?: number; shouldStop?: () => boolean } = {},
): Promise<Record<DeliveryOutcome, number>> {
  const counts: Record<DeliveryOutcome, number> = {
    sent: 0,
    retry: 0,
    failed: 0,
    ambiguous: 0,
    cancelled: 0,
  };
  const parallel = options.parallel ?? 5;
  while (!options.shouldStop?.()) {
    const batch = await claimDueEmails(ctx, parallel);
    if (batch.length === 0) break;
    const outcomes = await Promise.all(
      batch.map((email) => deliverEmail(ctx, mailer, email, settings)),
    );
    for (const outcome of outcomes) if (outcome !== 'lost_claim') counts[outcome] += 1;
  }
  return counts;
}
