import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * pending → sending (claimed under a lease) → sent; back to pending with a later next_attempt_at
 * on a temporary failure; failed (permanent, or out of time); ambiguous (the server may have the
 * message: resent once automatically with the same Message-ID after a delay, then left for a
 * person); cancelled (no longer applies); held → digested (staff who chose a digest); dismissed
 * (a person decided it is not to be sent); resent (a person replaced it with a new email).
 */
export const OUTBOX_STATUSES = [
  'pending',
  'sending',
  'sent',
  'failed',
  'ambiguous',
  'cancelled',
  'held',
  'digested',
  'dismissed',
  'resent',
] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/**
 * A ticket's customer emails go out in the order they were queued: an earlier one in one of these
 * states holds back the later ones (pending only once it is due or has been tried: a survey
 * scheduled for tomorrow holds nothing back). Every other status settles it: sent, failed
 * (permanently), cancelled, dismissed, resent. Whoever changes a failed or ambiguous email (the
 * outbox resend/dismiss endpoints) must move it to one of the settled statuses.
 */
export const ORDER_HOLDING_STATUSES = ['pending', 'sending', 'ambiguous'] as const;

/**
 * An email to send, written in the same transaction as the change that caused it;
 * the worker delivers it. `key` is unique so a retried change cannot queue it twice.
 */
@Entity({ name: 'outbox_emails' })
export class OutboxEmail {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  key!: string;

  /** Template name, e.g. "ticket_acknowledgement". */
  @Column({ type: 'text' })
  template!: string;

  @Column({ name: 'to_address', type: 'text' })
  toAddress!: string;

  @Column({ name: 'ticket_id', type: 'uuid', nullable: true })
  ticketId!: string | null;

  @Column({ name: 'customer_id', type: 'uuid', nullable: true })
  customerId!: string | null;

  @Column({ name: 'agent_id', type: 'uuid', nullable: true })
  agentId!: string | null;

  /** Template data; rendered at send time. */
  @Column({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  @Column({ type: 'text', default: 'pending' })
  status!: OutboxStatus;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz' })
  nextAttemptAt!: Date;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'message_id', type: 'text', nullable: true })
  messageId!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  @Column({ name: 'claimed_at', type: 'timestamptz', nullable: true })
  claimedAt!: Date | null;

  /** A claim (status sending) lapses at this time unless its worker renews it. */
  @Column({ name: 'lease_expires_at', type: 'timestamptz', nullable: true })
  leaseExpiresAt!: Date | null;

  /** Order of queueing (an identity column); a ticket's customer emails are sent in this order. */
  @Column({ name: 'queue_position', type: 'bigint', insert: false, update: false })
  queuePosition!: string;

  /** Sends that ended ambiguous: the first is retried automatically, the second waits for a person. */
  @Column({ name: 'ambiguous_sends', type: 'integer', default: 0 })
  ambiguousSends!: number;

  /** The SMTP server's final answer, e.g. "250 2.0.0 queued as 1234". */
  @Column({ name: 'smtp_response', type: 'text', nullable: true })
  smtpResponse!: string | null;

  @Column({ name: 'failed_at', type: 'timestamptz', nullable: true })
  failedAt!: Date | null;

  /** A resend names the failed email it replaces; that one names its resend. */
  @Column({ name: 'resent_from_id', type: 'uuid', nullable: true })
  resentFromId!: string | null;

  @Column({ name: 'resent_as_id', type: 'uuid', nullable: true })
  resentAsId!: string | null;

  /** Who settled a failed or ambiguous email (resent or dismissed), when, and why. */
  @Column({ name: 'settled_at', type: 'timestamptz', nullable: true })
  settledAt!: Date | null;

  @Column({ name: 'settled_by_id', type: 'uuid', nullable: true })
  settledById!: string | null;

  @Column({ name: 'settled_note', type: 'text', nullable: true })
  settledNote!: string | null;
}
