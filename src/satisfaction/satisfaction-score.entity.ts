import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One score per ticket, from the one-click links in the satisfaction survey. */
@Entity({ name: 'satisfaction_scores' })
export class SatisfactionScore {
  @PrimaryColumn({ name: 'ticket_id', type: 'uuid' })
  ticketId!: string;

  @Column({ name: 'customer_id', type: 'uuid' })
  customerId!: string;

  /** The owner at the time of the score: whose work it rates. */
  @Column({ name: 'owner_id', type: 'uuid' })
  ownerId!: string;

  @Column({ type: 'integer' })
  score!: number;

  @Column({ type: 'timestamptz' })
  at!: Date;
}
