import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Closed tickets stay closed: a customer who writes again gets a follow-up ticket, linked both
 * ways (the follow-up names its original; the original names its latest follow-up).
 */
export class AddFollowUpTickets1796164366962 implements MigrationInterface {
  name = 'AddFollowUpTickets1796164366962';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE tickets
        ADD COLUMN follow_up_of_id uuid REFERENCES tickets (id),
        ADD COLUMN latest_follow_up_id uuid REFERENCES tickets (id)`);
    await queryRunner.query(
      `CREATE INDEX tickets_follow_up_of_idx ON tickets (follow_up_of_id) WHERE follow_up_of_id IS NOT NULL`,
    );
    // Closing: resolved tickets by resolution time.
    await queryRunner.query(
      `CREATE INDEX tickets_resolved_to_close_idx ON tickets (resolved_at) WHERE status = 'resolved'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX tickets_resolved_to_close_idx`);
    await queryRunner.query(`DROP INDEX tickets_follow_up_of_idx`);
    await queryRunner.query(
      `ALTER TABLE tickets DROP COLUMN follow_up_of_id, DROP COLUMN latest_follow_up_id`,
    );
  }
}
