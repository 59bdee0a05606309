import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const TIMELINE_EVENT_TYPES = [
  'created',
  'owner_changed',
  'public_update',
  'internal_note',
  'customer_message',
  'status_changed',
  'field_changed',
  'resolved',
  'reopened',
  'handoff_offered',
  'handoff_accepted',
  'handoff_declined',
  'handoff_expired',
  'handoff_cancelled',
  'deadline_warned',
  'deadline_breached',
  'escalated',
  'email_queued',
  'email_sent',
  'email_failed',
  'promise_made',
  'promise_kept',
  'promise_broken',
  'promise_cancelled',
  'promise_reminded',
  'consult_asked',
  'consult_answered',
  'consult_reminded',
  'consult_overdue',
  'consult_cancelled',
  'satisfaction_scored',
  'recovery_follow_up',
  'closed',
  'follow_up_opened',
  'waiting_reminder_sent',
  'waiting_resumed',
  'email_resent',
  'email_dismissed',
] as const;
export type TimelineEventType = (typeof TIMELINE_EVENT_TYPES)[number];

/** Append-only audit trail of a ticket; a database trigger refuses UPDATE and DELETE. */
@Entity({ name: 'timeline_events' })
export class TimelineEvent {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Insertion order; "at" alone can tie within one transaction. */
  @Column({ type: 'bigint', insert: false, update: false, select: false })
  seq!: string;

  @Column({ name: 'ticket_id', type: 'uuid' })
  ticketId!: string;

  @Column({ type: 'text' })
  type!: TimelineEventType;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId!: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  data!: Record<string, unknown>;
}
