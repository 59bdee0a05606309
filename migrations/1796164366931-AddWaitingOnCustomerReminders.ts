import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Waiting on the customer is bounded: when the one reminder goes out and when the update clock
 * resumes by itself, and when the reminder was sent (so it is sent once).
 */
export class AddWaitingOnCustomerReminders1796164366931 implements MigrationInterface {
  name = 'AddWaitingOnCustomerReminders1796164366931';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE tickets
        ADD COLUMN waiting_reminder_at timestamptz,
        ADD COLUMN waiting_reminded_at timestamptz,
        ADD COLUMN waiting_resume_at timestamptz`);
    await queryRunner.query(
      `CREATE INDEX tickets_waiting_reminder_idx ON tickets (waiting_reminder_at)
         WHERE status = 'waiting_on_customer' AND waiting_reminded_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX tickets_waiting_resume_idx ON tickets (waiting_resume_at)
         WHERE status = 'waiting_on_customer'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX tickets_waiting_resume_idx`);
    await queryRunner.query(`DROP INDEX tickets_waiting_reminder_idx`);
    await queryRunner.query(`
      ALTER TABLE tickets
        DROP COLUMN waiting_reminder_at,
        DROP COLUMN waiting_reminded_at,
        DROP COLUMN waiting_resume_at`);
  }
}
