import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A consult can be cancelled (by the owner or a supervisor, or by resolving its ticket): when and
 * by whom are kept on the row, beside the timeline event.
 */
export class RecordConsultCancellations1796228171831 implements MigrationInterface {
  name = 'RecordConsultCancellations1796228171831';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE consults
        ADD COLUMN cancelled_at timestamptz,
        ADD COLUMN cancelled_by_id uuid REFERENCES agents (id)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE consults DROP COLUMN cancelled_by_id, DROP COLUMN cancelled_at`);
  }
}
