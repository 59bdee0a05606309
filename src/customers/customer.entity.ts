import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { CustomerTier } from '../deadline-rules/customer-tier';

@Entity({ name: 'customers' })
export class Customer {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  email!: string;

  @Column({ type: 'text', default: 'standard' })
  tier!: CustomerTier;

  /** BCP 47 tag, e.g. "en" or "de-DE"; picks the language of customer emails. */
  @Column({ type: 'text', default: 'en' })
  locale!: string;

  /** Automatic holding updates can be declined; replies to the customer's own messages cannot. */
  @Column({ name: 'auto_updates', type: 'boolean', default: true })
  autoUpdates!: boolean;

  @Column({ name: 'churned_at', type: 'timestamptz', nullable: true })
  churnedAt!: Date | null;

  @Column({ name: 'churn_reason', type: 'text', nullable: true })
  churnReason!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
