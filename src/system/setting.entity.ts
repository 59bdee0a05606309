import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Install-wide values generated once and kept (e.g. the link-signing secret). */
@Entity({ name: 'settings' })
export class Setting {
  @PrimaryColumn({ type: 'text' })
  key!: string;

  @Column({ type: 'text' })
  value!: string;
}
