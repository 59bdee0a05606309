import type { EntityManager } from 'typeorm';
import { recordEvent, type NewTimelineEvent } from '../timeline/record-event';
import { webhookEventsFor } from '../timeline/webhook-events';
import type { EmailMessage } from './email-payloads';

/** An email for the outbox: a template with its typed payload (email-payloads.ts), and where. */
export type EmailToQueue = EmailEnvelope & EmailMessage;

interface EmailEnvelope {
  /** Unique per email: the same key queued twice results in one email. */
  key: string;
  toAddress: string;
  ticketId?: string;
  customerId?: string;
  agentId?: string;
  at: Date;
  actorId?: string | null;
  /** Send no earlier than this (e.g. the survey, a day after resolution). Default: now. */
  sendAt?: Date;
  /** Hold for the recipient's daily digest instead of sending on its own. */
  holdForDigest?: boolean;
}

/**
 * Writes an email to the outbox inside the caller's transaction, so it exists exactly when the
 * change that caused it does. Returns false when an email with this key was already queued.
 */
export async function queueEmail(manager: EntityManager, email: EmailToQueue): Promise<boolean> {
  const values = [
    email.key,
    email.template,
    email.toAddress,
    email.ticketId ?? null,
    email.customerId ?? null,
    email.agentId ?? null,
    JSON.stringify(email.payload),
    email.sendAt ?? email.at,
    email.at,
    email.holdForDigest ? 'held' : 'pending',
  ];
  const insert = `INSERT INTO outbox_emails
       (key, template, to_address, ticket_id, customer_id, agent_id, payload, next_attempt_at, created_at, status)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (key) DO NOTHING
     RETURNING id`;
  const recordsInline =
    email.ticketId !== undefined && webhookEventsFor('email_queued', {}).length === 0;
  if (!recordsInline) {
    const inserted: Array<{ id: string }> = await manager.query(insert, values);
    const row = inserted[0];
    if (!row) return false;
    if (email.ticketId) await recordEvent(manager, emailQueuedEvent(email, row.id));
    return true;
  }
  // The email and its timeline event in one statement (email_queued has no webhook to queue).
  const inserted: Array<{ id: string }> = await manager.query(
    `WITH email AS (${insert}),
          event AS (
            INSERT INTO timeline_events (ticket_id, type, at, actor_id, data)
            SELECT $4, 'email_queued', $9, $11,
                   jsonb_build_object('emailId', email.id, 'template', $2::text, 'to', $3::text)
              FROM email)
     SELECT id FROM email`,
    [...values, email.actorId ?? null],
  );
  return inserted.length > 0;
}

function emailQueuedEvent(email: EmailToQueue, emailId: string): NewTimelineEvent {
  return {
    ticketId: email.ticketId!,
    type: 'email_queued',
    at: email.at,
    actorId: email.actorId ?? null,
    data: { emailId, template: email.template, to: email.toAddress },
  };
}

/**
 * A person's resend of a failed or ambiguous email: a new row (new id, so a new key and
 * Message-ID) to `toAddress`, linked to the original both ways, that takes the original's place
 * in its ticket's order (its queue_position), so the ticket's later emails still wait for it.
 * The original becomes `resent`. Runs in the caller's transaction, which holds the ticket and
 * the original row locked. Returns the new email's id.
 */
export async function queueResend(
  manager: EntityManager,
  original: { id: string; ticketId: string },
  resend: { toAddress: string; at: Date; actorId: string; note: string | null },
): Promise<string> {
  const [row]: Array<{ id: string }> = await manager.query(
    `INSERT INTO outbox_emails
       (key, template, to_address, ticket_id, customer_id, agent_id, payload, next_attempt_at,
        created_at, status, resent_from_id, queue_position)
     OVERRIDING SYSTEM VALUE
     SELECT 'resend.' || o.id, o.template, $2, o.ticket_id, o.customer_id, o.agent_id, o.payload,
            $3, $3, 'pending', o.id, o.queue_position
       FROM outbox_emails o WHERE o.id = $1
     RETURNING id`,
    [original.id, resend.toAddress, resend.at],
  );
  if (!row) throw new Error(`outbox email ${original.id} vanished under its lock`);
  await manager.query(
    `UPDATE outbox_emails
        SET status = 'resent', resent_as_id = $2, settled_at = $3, settled_by_id = $4,
            settled_note = $5, next_attempt_at = $3
      WHERE id = $1`,
    [original.id, row.id, resend.at, resend.actorId, resend.note],
  );
  return row.id;
}
