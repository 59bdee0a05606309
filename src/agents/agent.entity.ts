import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { AgentRole } from '../actor';

@Entity({ name: 'agents' })
export class Agent {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  email!: string;

  @Column({ type: 'text' })
  role!: AgentRole;

  @Column({ name: 'team_id', type: 'uuid', nullable: true })
  teamId!: string | null;

  /** Most open tickets this agent should own at once; auto-assignment skips agents at capacity. */
  @Column({ type: 'integer' })
  capacity!: number;

  @Column({ type: 'boolean', default: false })
  away!: boolean;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  /** The supervisor the first escalation level tells (else the team's supervisors). */
  @Column({ name: 'supervisor_id', type: 'uuid', nullable: true })
  supervisorId!: string | null;

  /** Escalations arrive as one daily digest instead of one email each. */
  @Column({ name: 'escalation_digest', type: 'boolean', default: false })
  escalationDigest!: boolean;

  /** SHA-256 of the bearer token; the token itself is shown once and never stored. */
  @Column({ name: 'token_hash', type: 'text', select: false })
  tokenHash!: string;

  /** argon2id hash of the console password; null until one is set. Never leaves the server. */
  @Column({ name: 'password_hash', type: 'text', nullable: true, select: false })
  passwordHash!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
