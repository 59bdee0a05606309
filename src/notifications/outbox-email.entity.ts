import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * pending → sending → sent; back to pending with a later next_attempt_at on a temporary failure;
 * failed (permanent, or out of attempts); ambiguous (the server may have the message: never
 * resent blindly); cancelled (no longer applies); held → digested (staff who chose a digest).
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
] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

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

  /** The SMTP server's final answer, e.g. "250 2.0.0 queued as 1234". */
  @Column({ name: 'smtp_response', type: 'text', nullable: true })
  smtpResponse!: string | null;

  @Column({ name: 'failed_at', type: 'timestamptz', nullable: true })
  failedAt!: Date | null;
}
