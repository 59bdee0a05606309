import type { EntityManager } from 'typeorm';
import { recordEvent } from '../timeline/record-event';

export interface EmailToQueue {
  /** Unique per email: the same key queued twice results in one email. */
  key: string;
  template: string;
  toAddress: string;
  ticketId?: string;
  customerId?: string;
  agentId?: string;
  payload: Record<string, unknown>;
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
  const inserted: Array<{ id: string }> = await manager.query(
    `INSERT INTO outbox_emails
       (key, template, to_address, ticket_id, customer_id, agent_id, payload, next_attempt_at, created_at, status)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (key) DO NOTHING
     RETURNING id`,
    [
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
    ],
  );
  const row = inserted[0];
  if (!row) return false;
  if (email.ticketId) {
    await recordEvent(manager, {
      ticketId: email.ticketId,
      type: 'email_queued',
      at: email.at,
      actorId: email.actorId ?? null,
      data: { emailId: row.id, template: email.template, to: email.toAddress },
    });
  }
  return true;
}
