import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import type { BusinessHours, DeadlinePolicy } from '../deadline-rules/business-calendar';

@Entity({ name: 'teams' })
export class Team {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  timezone!: string;

  @Column({ name: 'business_hours', type: 'jsonb' })
  businessHours!: BusinessHours;

  @Column({ type: 'jsonb', default: () => "'[]'::jsonb" })
  holidays!: string[];

  @Column({ name: 'same_day_cutoff', type: 'text', nullable: true })
  sameDayCutoff!: string | null;

  @Column({ type: 'jsonb' })
  policy!: DeadlinePolicy;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
