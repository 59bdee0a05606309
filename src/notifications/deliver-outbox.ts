import type { ServiceContext } from '../context';
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
 * repeat that one email (its claim goes stale and is released); nothing is ever lost.
 */
export interface DeliverySettings {
  mailFrom: string;
  /** Attempts before a temporary failure becomes permanent. */
  maxAttempts: number;
  /** Claims older than this belong to a worker that died: released for another try. */
  staleClaimMs: number;
}

export const DEFAULT_DELIVERY: Omit<DeliverySettings, 'mailFrom'> = {
  maxAttempts: 10,
  staleClaimMs: 5 * 60_000,
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
): Promise<DeliveryOutcome> {
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
  try {
    const sent = await mailer.send(outgoing);
    await finish(ctx, email, {
      status: 'sent',
      sent_at: ctx.clock.now(),
      message_id: sent.messageId || outgoing.messageId,
      smtp_response: sent.response.slice(0, 500),
      last_error: null,
    });
    if (email.ticketId) {
      await recordEvent(ctx.dataSource.manager, {
        ticketId: email.ticketId,
        type: 'email_sent',
        at: ctx.clock.now(),
        actorId: null,
        data: {
          emailId: email.id,
          template: email.template,
          to: email.toAddress,
          messageId: outgoing.messageId,
        },
      });
    }
    return 'sent';
  } catch (error) {
    const failure = classifySendError(error);
    if (failure.kind === 'retry' && email.attempts < settings.maxAttempts) {
      await finish(ctx, email, {
        status: 'pending',
        next_attempt_at: new Date(ctx.clock.now().getTime() + retryDelayMs(email.attempts)),
        last_error: failure.reason,
      });
      return 'retry';
    }
    const status = failure.kind === 'ambiguous' ? 'ambiguous' : 'failed';
    await fail(ctx, email, status, failure.reason);
    return status;
  }
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

async function finish(
  ctx: ServiceContext,
  email: OutboxEmail,
  columns: Record<string, unknown>,
): Promise<void> {
  const names = Object.keys(columns);
  const assignments = names.map((name, i) => `${name} = $${i + 2}`).join(', ');
  // Only the claim holder writes the outcome (a released, re-claimed row belongs to someone else).
  await ctx.dataSource.query(
    `UPDATE outbox_emails SET ${assignments} WHERE id = $1 AND status = 'sending' AND attempts = $${names.length + 2}`,
    [email.id, ...names.map((name) => columns[name]), email.attempts],
  );
}

async function fail(
  ctx: ServiceContext,
  email: OutboxEmail,
  status: 'failed' | 'ambiguous',
  reason: string,
): Promise<void> {
  await finish(ctx, email, { status, failed_at: ctx.clock.now(), last_error: reason });
  if (email.ticketId) {
    await recordEvent(ctx.dataSource.manager, {
      ticketId: email.ticketId,
      type: 'email_failed',
      at: ctx.clock.now(),
      actorId: null,
      data: { emailId: email.id, template: email.template, to: email.toAddress, status, reason },
    });
  }
}

/** Sends everything due now, `parallel` at a time; returns what happened to each. */
export async function drainOutbox(
  ctx: ServiceContext,
  mailer: Mailer,
  settings: DeliverySettings,
  options: { batchSize?: number; parallel?: number } = {},
): Promise<Record<DeliveryOutcome, number>> {
  const counts: Record<DeliveryOutcome, number> = {
    sent: 0,
    retry: 0,
    failed: 0,
    ambiguous: 0,
    cancelled: 0,
  };
  for (;;) {
    const batch = await claimDueEmails(ctx, options.batchSize ?? 50);
    if (batch.length === 0) return counts;
    const parallel = options.parallel ?? 5;
    for (let i = 0; i < batch.length; i += parallel) {
      const outcomes = await Promise.all(
        batch.slice(i, i + parallel).map((email) => deliverEmail(ctx, mailer, email, settings)),
      );
      for (const outcome of outcomes) counts[outcome] += 1;
    }
  }
}
