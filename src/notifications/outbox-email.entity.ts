import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'failed', 'ambiguous'] as const;
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
}
