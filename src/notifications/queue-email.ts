import type { EntityManager } from 'typeorm';
import { recordEvents, type NewTimelineEvent } from '../timeline/record-event';
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
  const [queued] = await queueEmails(manager, [email]);
  return queued ?? false;
}

/**
 * Several emails in one statement (with their email_queued timeline events), queued in the
 * order given: a ticket's emails are sent in that order. For each email, false when one with
 * its key was already queued (or appears earlier in the list).
 */
export async function queueEmails(
  manager: EntityManager,
  emails: readonly EmailToQueue[],
): Promise<boolean[]> {
  const firstOfKey = new Map<string, EmailToQueue>();
  for (const email of emails) if (!firstOfKey.has(email.key)) firstOfKey.set(email.key, email);
  const unique = [...firstOfKey.values()];
  if (unique.length === 0) return [];
  const parameters = [
    unique.map((e) => e.key),
    unique.map((e) => e.template),
    unique.map((e) => e.toAddress),
    unique.map((e) => e.ticketId ?? null),
    unique.map((e) => e.customerId ?? null),
    unique.map((e) => e.agentId ?? null),
    unique.map((e) => JSON.stringify(e.payload)),
    unique.map((e) => e.sendAt ?? e.at),
    unique.map((e) => e.at),
    unique.map((e) => (e.holdForDigest ? 'held' : 'pending')),
  ];
  const insert = `INSERT INTO outbox_emails
       (key, template, to_address, ticket_id, customer_id, agent_id, payload, next_attempt_at, created_at, status)
     SELECT key, template, to_address, ticket_id, customer_id, agent_id, payload::jsonb,
            next_attempt_at, created_at, status
       FROM unnest($1::text[], $2::text[], $3::text[], $4::uuid[], $5::uuid[], $6::uuid[],
                   $7::text[], $8::timestamptz[], $9::timestamptz[], $10::text[])
            WITH ORDINALITY AS i(key, template, to_address, ticket_id, customer_id, agent_id,
                                 payload, next_attempt_at, created_at, status, n)
      ORDER BY n
     ON CONFLICT (key) DO NOTHING
     RETURNING id, key, ticket_id, template, to_address, created_at, queue_position`;
  let queuedKeys: Set<string>;
  if (webhookEventsFor('email_queued', {}).length === 0) {
    // The emails and their timeline events in one statement (email_queued has no webhook).
    const rows: Array<{ key: string }> = await manager.query(
      `WITH email AS (${insert}),
            actor AS (SELECT * FROM unnest($1::text[], $11::uuid[]) AS a(key, actor_id)),
            event AS (
              INSERT INTO timeline_events (ticket_id, type, at, actor_id, data)
              SELECT email.ticket_id, 'email_queued', email.created_at, actor.actor_id,
                     jsonb_build_object('emailId', email.id, 'template', email.template,
                                        'to', email.to_address)
                FROM email JOIN actor USING (key)
               WHERE email.ticket_id IS NOT NULL
               ORDER BY email.queue_position)
       SELECT key FROM email`,
      [...parameters, unique.map((e) => e.actorId ?? null)],
    );
    queuedKeys = new Set(rows.map((row) => row.key));
  } else {
    const rows: Array<{ id: string; key: string; queue_position: string }> = await manager.query(
      insert,
      parameters,
    );
    queuedKeys = new Set(rows.map((row) => row.key));
    rows.sort((a, b) => Number(BigInt(a.queue_position) - BigInt(b.queue_position)));
    const events = rows.flatMap((row) => {
      const email = firstOfKey.get(row.key)!;
      return email.ticketId ? [emailQueuedEvent(email, row.id)] : [];
    });
    await recordEvents(manager, events);
  }
  return emails.map((email) => firstOfKey.get(email.key) === email && queuedKeys.has(email.key));
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
