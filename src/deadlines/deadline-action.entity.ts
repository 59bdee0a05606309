import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { DeadlineStep } from '../deadline-rules/deadline-jobs';
import type { DeadlineKind } from '../deadline-rules/deadline-policy';

/**
 * One enforcement action on one version of a ticket's deadline; a unique index makes each
 * (ticket, kind, version, step) happen at most once. Breaches are recorded against the owner.
 */
@Entity({ name: 'deadline_actions' })
export class DeadlineAction {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'ticket_id', type: 'uuid' })
  ticketId!: string;

  @Column({ name: 'team_id', type: 'uuid' })
  teamId!: string;

  @Column({ type: 'text' })
  kind!: DeadlineKind;

  @Column({ name: 'deadline_version', type: 'integer' })
  deadlineVersion!: number;

  @Column({ type: 'text' })
  step!: DeadlineStep;

  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt!: Date;

  @Column({ name: 'acted_at', type: 'timestamptz' })
  actedAt!: Date;

  @Column({ name: 'owner_id', type: 'uuid' })
  ownerId!: string;

  @Column({ name: 'escalation_level', type: 'integer' })
  escalationLevel!: number;
}
