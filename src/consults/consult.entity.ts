import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const CONSULT_STATUSES = ['open', 'answered', 'cancelled'] as const;
export type ConsultStatus = (typeof CONSULT_STATUSES)[number];

/** The owner asks another agent or team for help; ownership does not move. */
@Entity({ name: 'consults' })
export class Consult {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'ticket_id', type: 'uuid' })
  ticketId!: string;

  @Column({ name: 'asked_by_id', type: 'uuid' })
  askedById!: string;

  /** The consulted agent; null when a whole team is consulted. */
  @Column({ name: 'agent_id', type: 'uuid', nullable: true })
  agentId!: string | null;

  /** The consulted team (the agent's team when an agent is named). */
  @Column({ name: 'team_id', type: 'uuid' })
  teamId!: string;

  @Column({ type: 'text' })
  question!: string;

  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt!: Date;

  @Column({ type: 'text', default: 'open' })
  status!: ConsultStatus;

  @Column({ type: 'text', nullable: true })
  answer!: string | null;

  @Column({ name: 'answered_by_id', type: 'uuid', nullable: true })
  answeredById!: string | null;

  @Column({ name: 'answered_at', type: 'timestamptz', nullable: true })
  answeredAt!: Date | null;

  @Column({ name: 'reminded_at', type: 'timestamptz', nullable: true })
  remindedAt!: Date | null;

  @Column({ name: 'overdue_at', type: 'timestamptz', nullable: true })
  overdueAt!: Date | null;

  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true })
  cancelledAt!: Date | null;

  /** Who cancelled it: the owner or a supervisor, or whoever resolved the ticket. */
  @Column({ name: 'cancelled_by_id', type: 'uuid', nullable: true })
  cancelledById!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
