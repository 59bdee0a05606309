import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Silo } from '../tickets/ticket.entity';

export const PROMISE_STATUSES = ['open', 'kept', 'broken', 'cancelled'] as const;
export type PromiseStatus = (typeof PROMISE_STATUSES)[number];

/** A commitment made to the customer, tracked until kept, broken or cancelled. */
@Entity({ name: 'promises' })
export class CustomerPromise {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'ticket_id', type: 'uuid' })
  ticketId!: string;

  @Column({ name: 'customer_id', type: 'uuid' })
  customerId!: string;

  @Column({ name: 'team_id', type: 'uuid' })
  teamId!: string;

  @Column({ name: 'made_by_id', type: 'uuid' })
  madeById!: string;

  @Column({ type: 'text' })
  description!: string;

  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt!: Date;

  /** The silo responsible for keeping it (field service for a technician visit, billing for a credit). */
  @Column({ type: 'text' })
  silo!: Silo;

  @Column({ type: 'text', default: 'open' })
  status!: PromiseStatus;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  @Column({ name: 'closed_by_id', type: 'uuid', nullable: true })
  closedById!: string | null;

  @Column({ name: 'reminded_at', type: 'timestamptz', nullable: true })
  remindedAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
