import type { ServiceContext } from '../context';
import { inTransaction } from '../db/transaction';
import { updateReturning } from '../db/update-returning';
import { recordEvents } from '../timeline/record-event';
import type { OutboxEmail } from './outbox-email.entity';

/** A send the SMTP server accepted, to be recorded as `sent`. */
export interface AcceptedSend {
  email: OutboxEmail;
  sentAt: Date;
  /** What the server's answer names, else ours. */
  messageId: string;
  /** The Message-ID we sent (the timeline names it). */
  ourMessageId: string;
  smtpResponse: string;
}

/**
 * Records accepted sends as `sent`, with their `email_sent` timeline events, in one statement
 * (one transaction when a ticket's timeline is written too), each only if the row is still this
 * worker's claim (`status = 'sending'` and the same attempt number). Answers, per send, whether
 * it was recorded; false means the claim was lost to another worker. A database error fails them
 * all: the caller retries the writes (never the sends).
 */
export async function recordSentEmails(
  ctx: ServiceContext,
  sends: AcceptedSend[],
): Promise<boolean[]> {
  const sql = `UPDATE outbox_emails o
      SET status = 'sent', sent_at = s.sent_at, message_id = s.message_id,
          smtp_response = s.smtp_response, last_error = NULL, lease_expires_at = NULL
     FROM unnest($1::uuid[], $2::int[], $3::timestamptz[], $4::text[], $5::text[])
          AS s(id, attempts, sent_at, message_id, smtp_response)
    WHERE o.id = s.id AND o.status = 'sending' AND o.attempts = s.attempts
    RETURNING o.id`;
  const parameters = [
    sends.map((s) => s.email.id),
    sends.map((s) => s.email.attempts),
    sends.map((s) => s.sentAt),
    sends.map((s) => s.messageId),
    sends.map((s) => s.smtpResponse.slice(0, 500)),
  ];
  let recorded: Set<string>;
  if (sends.every((s) => !s.email.ticketId)) {
    // No timeline to write: the one UPDATE is its own transaction.
    const rows = await updateReturning<{ id: string }>(ctx.dataSource.manager, sql, parameters);
    recorded = new Set(rows.map((r) => r.id));
  } else {
    recorded = await inTransaction(ctx.dataSource, async (manager) => {
      const rows = await updateReturning<{ id: string }>(manager, sql, parameters);
      const ours = new Set(rows.map((r) => r.id));
      const at = ctx.clock.now();
      await recordEvents(
        manager,
        sends
          .filter((s) => s.email.ticketId && ours.has(s.email.id))
          .map((s) => ({
            ticketId: s.email.ticketId!,
            type: 'email_sent' as const,
            at,
            actorId: null,
            data: {
              emailId: s.email.id,
              template: s.email.template,
              to: s.email.toAddress,
              messageId: s.ourMessageId,
            },
          })),
      );
      return ours;
    });
  }
  return sends.map((s) => recorded.has(s.email.id));
}
