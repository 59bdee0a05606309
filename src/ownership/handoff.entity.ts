import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const HANDOFF_STATUSES = [
  'pending',
  'accepted',
  'declined',
  'expired',
  'cancelled',
] as const;
export type HandoffStatus = (typeof HANDOFF_STATUSES)[number];

/** An offer of ownership; the ticket stays with its owner until the target accepts. */
@Entity({ name: 'handoffs' })
export class Handoff {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'ticket_id', type: 'uuid' })
  ticketId!: string;

  @Column({ name: 'from_agent_id', type: 'uuid' })
  fromAgentId!: string;

  @Column({ name: 'to_agent_id', type: 'uuid' })
  toAgentId!: string;

  @Column({ type: 'text' })
  note!: string;

  @Column({ type: 'text', default: 'pending' })
  status!: HandoffStatus;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'responded_at', type: 'timestamptz', nullable: true })
  respondedAt!: Date | null;

  @Column({ name: 'response_note', type: 'text', nullable: true })
  responseNote!: string | null;
}
