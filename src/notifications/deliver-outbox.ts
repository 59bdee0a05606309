import type { EntityManager } from 'typeorm';
import type { ServiceContext } from '../context';
import { inTransaction } from '../db/transaction';
import { recordEvent } from '../timeline/record-event';
import { emailMessageId, mailDomain, replyAddress, threadRootId } from './email-threading';
import { isCustomerTemplate, renderEmail } from './email-templates';
import {
  classifySendError,
  type Mailer,
  type OutgoingEmail,
  type SendFailureKind,
  type SentEmail,
} from './mailer';
import {
  AMBIGUOUS_SENDS_BEFORE_A_PERSON,
  claimDueEmails,
  renewLease,
  renewLeases,
} from './outbox-claims';
import type { OutboxEmail } from './outbox-email.entity';
import { tellOwnerOfCustomerEmailFailure } from './customer-email-failure';
import { loadEmailAttachments, MissingAttachment } from './email-attachments';
import { signTicketToken, ticketLinks } from './signed-links';
import { coalesceCalls } from './coalesce-calls';
import { recordSentEmails, type AcceptedSend } from './record-sent-emails';

/**
 * Turns outbox rows into sent email. Each email is claimed under a short lease that its worker
 * renews while sending (src/notifications/outbox-claims.ts); the SMTP call happens with no
 * transaction open; the outcome is written afterwards. Once the server has accepted, recording
 * that is retried as a database write, never as a new send. A crash repeats at most the one email
 * in flight (its lease lapses and another worker sends it again, with the same Message-ID);
 * nothing is ever lost: temporary failures are retried for days (maxAgeMs).
 */
export interface DeliverySettings {
  mailFrom: string;
  /** A temporary failure becomes permanent once the email is this old (mail servers use days). */
  maxAgeMs: number;
  /** A claim lasts this long unless renewed (every third of it while sending). */
  leaseMs: number;
  /** The one automatic retry of an ambiguous send waits this long (same Message-ID). */
  ambiguousRetryDelayMs: number;
  /** How long to keep trying to record an accepted send while the database is failing. */
  recordRetryMs: number;
}

export const DEFAULT_DELIVERY: Omit<DeliverySettings, 'mailFrom'> = {
  maxAgeMs: 3 * 86_400_000,
  leaseMs: 45_000,
  ambiguousRetryDelayMs: 5 * 60_000,
  recordRetryMs: 15 * 60_000,
};

/** 30 s, 1 min, 2 min … capped at one hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(3_600_000, 30_000 * 2 ** Math.max(0, attempts - 1));
}

export { claimDueEmails };

export type DeliveryOutcome = 'sent' | 'retry' | 'failed' | 'ambiguous' | 'cancelled';

/**
 * The two writes every email makes, the renewal right before its send and the record of an
 * accepted send: row by row for one email, or gathered into one statement for the emails of a
 * drain that reach the same step together (`batchedWrites`). Either way each row is written only
 * while it is still this worker's claim.
 */
export interface DeliveryWrites {
  /** Renews the claim; false when it is no longer ours (it must then not be sent). */
  renewBeforeSend(email: OutboxEmail): Promise<boolean>;
  /** The first try at recording an accepted send; false when the claim was lost. */
  recordSent(send: AcceptedSend): Promise<boolean>;
}

export function oneByOneWrites(ctx: ServiceContext, settings: DeliverySettings): DeliveryWrites {
  return {
    renewBeforeSend: (email) => renewLease(ctx, email, settings.leaseMs),
    recordSent: async (send) => (await recordSentEmails(ctx, [send]))[0] === true,
  };
}

export function batchedWrites(ctx: ServiceContext, settings: DeliverySettings): DeliveryWrites {
  const renew = coalesceCalls(async (emails: OutboxEmail[]) => {
    const ours = await renewLeases(ctx, emails, settings.leaseMs);
    return emails.map((email) => ours.has(email.id));
  });
  return {
    renewBeforeSend: renew,
    recordSent: coalesceCalls((sends: AcceptedSend[]) => recordSentEmails(ctx, sends)),
  };
}

export async function deliverEmail(
  ctx: ServiceContext,
  mailer: Mailer,
  email: OutboxEmail,
  settings: DeliverySettings,
  writes: DeliveryWrites = oneByOneWrites(ctx, settings),
): Promise<DeliveryOutcome | 'lost_claim'> {
  const lease = keepLease(ctx, email, settings.leaseMs);
  try {
    return await deliverUnderLease(ctx, mailer, email, settings, lease, writes);
  } finally {
    lease.stop();
  }
}

async function deliverUnderLease(
  ctx: ServiceContext,
  mailer: Mailer,
  email: OutboxEmail,
  settings: DeliverySettings,
  lease: HeldLease,
  writes: DeliveryWrites,
): Promise<DeliveryOutcome | 'lost_claim'> {
  if (await noLongerApplies(ctx, email)) {
    return (await finish(ctx, email, { status: 'cancelled' })) ? 'cancelled' : 'lost_claim';
  }
  let outgoing: OutgoingEmail;
  try {
    outgoing = compose(ctx, email, settings.mailFrom);
  } catch (error) {
    await fail(ctx, email, 'failed', `could not render: ${(error as Error).message}`);
    return 'failed';
  }
  try {
    const files = attachmentIdsOf(email.payload);
    if (files.length > 0) outgoing.attachments = await loadEmailAttachments(ctx, files);
  } catch (error) {
    // A file gone from the store cannot come back; anything else (the database) is retried.
    if (!(error instanceof MissingAttachment)) throw error;
    await fail(ctx, email, 'failed', error.message);
    return 'failed';
  }
  // Renew right before sending: a claim that lapsed meanwhile (a long pause, a database outage)
  // may belong to another worker now, and the email must not be sent twice. A claim taken less
  // than a third of a lease ago (by the clock that set it) still has the two thirds the renewal
  // timer keeps it above during the send: renewing it would change nothing.
  const claimAgeMs = ctx.clock.now().getTime() - (email.claimedAt?.getTime() ?? -Infinity);
  if (claimAgeMs >= settings.leaseMs / 3 && !(await writes.renewBeforeSend(email))) {
    return 'lost_claim';
  }
  let sent: SentEmail;
  try {
    sent = await mailer.send(outgoing);
  } catch (error) {
    if (lease.lost()) return 'lost_claim';
    return recordFailure(ctx, email, settings, classifySendError(error));
  }
  // Accepted: from here on only the database write is retried, never the send. The first try
  // may go with other emails' records; a retry goes alone, so one bad row holds back no other.
  const accepted: AcceptedSend = {
    email,
    sentAt: ctx.clock.now(),
    messageId: sent.messageId || outgoing.messageId,
    ourMessageId: outgoing.messageId,
    smtpResponse: sent.response,
  };
  let tries = 0;
  const recorded = await untilRecorded(ctx, settings.recordRetryMs, email, async () =>
    tries++ === 0
      ? writes.recordSent(accepted)
      : (await recordSentEmails(ctx, [accepted]))[0] === true,
  );
  return recorded ? 'sent' : 'lost_claim';
}

async function recordFailure(
  ctx: ServiceContext,
  email: OutboxEmail,
  settings: DeliverySettings,
  failure: { kind: SendFailureKind; reason: string },
): Promise<DeliveryOutcome | 'lost_claim'> {
  const now = ctx.clock.now();
  const tooOld = now.getTime() - email.createdAt.getTime() > settings.maxAgeMs;
  if (failure.kind === 'retry' && !tooOld) {
    const recorded = await untilRecorded(ctx, settings.recordRetryMs, email, () =>
      finish(ctx, email, {
        status: 'pending',
        next_attempt_at: new Date(now.getTime() + retryDelayMs(email.attempts)),
        last_error: failure.reason,
        lease_expires_at: null,
      }),
    );
    return recorded ? 'retry' : 'lost_claim';
  }
  if (failure.kind === 'ambiguous') {
    // The server may have the message. Shown as ambiguous at once; resent once after a delay
    // with the same Message-ID (so a mailbox that has it can drop the copy), then a person decides.
    const sends = email.ambiguousSends + 1;
    const retryLater = sends < AMBIGUOUS_SENDS_BEFORE_A_PERSON;
    const reason = retryLater
      ? `${failure.reason} (the server may have it; one automatic retry with the same Message-ID)`
      : `${failure.reason} (ambiguous twice: a person must check, then resend or dismiss)`;
    const recorded = await untilRecorded(ctx, settings.recordRetryMs, email, () =>
      fail(ctx, email, 'ambiguous', reason, {
        ambiguous_sends: sends,
        next_attempt_at: new Date(now.getTime() + settings.ambiguousRetryDelayMs),
      }),
    );
    return recorded ? 'ambiguous' : 'lost_claim';
  }
  const reason = tooOld
    ? `gave up after ${email.attempts} attempts: ${failure.reason}`
    : failure.reason;
  const recorded = await untilRecorded(ctx, settings.recordRetryMs, email, () =>
    fail(ctx, email, 'failed', reason),
  );
  return recorded ? 'failed' : 'lost_claim';
}

/**
 * Retries a write of an outcome while the database fails (a dropped connection, a restart),
 * with backoff, for up to `forMs`. False when the claim was lost or the time ran out: the lease
 * then lapses and the email is tried again, the one repeat a failure here can cause.
 */
async function untilRecorded(
  ctx: ServiceContext,
  forMs: number,
  email: OutboxEmail,
  write: () => Promise<boolean>,
): Promise<boolean> {
  const giveUpAt = Date.now() + forMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (Date.now() >= giveUpAt) {
        ctx.logger.error(
          { err: error, emailId: email.id },
          'could not record an email outcome; it will be tried again when its claim lapses',
        );
        return false;
      }
      ctx.logger.warn(
        { err: error, emailId: email.id, attempt },
        'recording an email outcome failed; retrying the write (not the send)',
      );
      await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, 100 * 2 ** attempt)));
    }
  }
}

/** Files a public update was sent with (payload.attachments, written by postUpdate). */
function attachmentIdsOf(payload: Record<string, unknown>): string[] {
  const list = payload.attachments;
  return Array.isArray(list)
    ? list.flatMap((a: unknown) =>
        a && typeof a === 'object' && typeof (a as { id?: unknown }).id === 'string'
          ? [(a as { id: string }).id]
          : [],
      )
    : [];
}

interface HeldLease {
  /** True once a renewal found the claim taken by another worker. */
  lost(): boolean;
  stop(): void;
}

/** Renews the claim every third of the lease until stopped; failures are retried next tick. */
function keepLease(ctx: ServiceContext, email: OutboxEmail, leaseMs: number): HeldLease {
  let lost = false;
  const timer = setInterval(
    () => {
      renewLease(ctx, email, leaseMs).then(
        (held) => {
          if (!held) lost = true;
        },
        (error: unknown) =>
          ctx.logger.warn({ err: error, emailId: email.id }, 'renewing an email claim failed'),
      );
    },
    Math.max(50, Math.floor(leaseMs / 3)),
  );
  timer.unref();
  return { lost: () => lost, stop: () => clearInterval(timer) };
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
  /** More writes of the same outcome, in its transaction, once the row is known to be ours. */
  also?: (manager: EntityManager) => Promise<void>,
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
    if (updated && also) await also(manager);
    return updated;
  });
}

async function fail(
  ctx: ServiceContext,
  email: OutboxEmail,
  status: 'failed' | 'ambiguous',
  reason: string,
  extra: Record<string, unknown> = {},
): Promise<boolean> {
  const at = ctx.clock.now();
  // No machine will try again: a person must resend or dismiss it, and the owner is told.
  const needsAPerson =
    status === 'failed' ||
    Number(extra.ambiguous_sends ?? email.ambiguousSends) >= AMBIGUOUS_SENDS_BEFORE_A_PERSON;
  return finish(
    ctx,
    email,
    { status, failed_at: at, last_error: reason, lease_expires_at: null, ...extra },
    {
      type: 'email_failed',
      data: {
        emailId: email.id,
        template: email.template,
        to: email.toAddress,
        status,
        reason,
        needsAPerson,
      },
    },
    needsAPerson
      ? (manager) => tellOwnerOfCustomerEmailFailure(manager, email, { status, reason, at })
      : undefined,
  );
}

/**
 * Sends everything due now, `parallel` at a time (default one: a crash then repeats at most the
 * one email in flight). Only as many rows are claimed as there are free slots; a new claim is made
 * as soon as a slot is free, while others are still sending (one claim at a time: the slots freed
 * meanwhile go into the next), so the pipeline never drains between rounds. A claim that finds nothing waits for an email in flight to settle (it may
 * hold back the next one of its ticket) and tries again; `shouldStop` is checked before each claim.
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
  const parallel = options.parallel ?? 1;
  // An email counts as in flight until its outcome is recorded, so no more than `parallel`
  // claims are ever held: a crash repeats at most those.
  const inFlight = new Set<Promise<void>>();
  const writes = batchedWrites(ctx, settings);
  let failure: { error: unknown } | undefined;
  let foundNothing = false;
  try {
    while (!failure && !options.shouldStop?.()) {
      const free = parallel - inFlight.size;
      if (inFlight.size === 0 || (!foundNothing && free > 0)) {
        const batch = await claimDueEmails(ctx, free, settings.leaseMs);
        if (batch.length === 0 && inFlight.size === 0) break;
        foundNothing = batch.length === 0;
        for (const email of batch) {
          const sending: Promise<void> = deliverEmail(ctx, mailer, email, settings, writes)
            .then(
              (outcome) => {
                if (outcome !== 'lost_claim') counts[outcome] += 1;
              },
              (error: unknown) => {
                failure ??= { error };
              },
            )
            .then(() => {
              inFlight.delete(sending);
            });
          inFlight.add(sending);
        }
        if (!foundNothing) continue;
      }
      await Promise.race(inFlight);
      foundNothing = false;
    }
  } finally {
    await Promise.all(inFlight);
  }
  if (failure) throw failure.error;
  return counts;
}
