import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const OWNERSHIP_REASONS = [
  'created',
  'auto_assigned',
  'handoff',
  'reassigned',
  'deactivated',
  'reopened',
] as const;
export type OwnershipReason = (typeof OWNERSHIP_REASONS)[number];

/** Who owned a ticket from when to when; at most one open period per ticket (unique index). */
@Entity({ name: 'ownership_periods' })
export class OwnershipPeriod {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'ticket_id', type: 'uuid' })
  ticketId!: string;

  @Column({ name: 'agent_id', type: 'uuid' })
  agentId!: string;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt!: Date | null;

  @Column({ type: 'text' })
  reason!: OwnershipReason;

  @Column({ name: 'changed_by_id', type: 'uuid', nullable: true })
  changedById!: string | null;
}
