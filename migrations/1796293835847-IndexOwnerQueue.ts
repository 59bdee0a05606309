import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * GET /me/queue reads one owner's open and waiting tickets, the one due soonest first, a page at
 * a time (keyset on due time and id). Keyed on exactly that order, the scan stops after one
 * page instead of reading and sorting all of a rep's open tickets (thousands at 1M / 500 reps).
 */
export class IndexOwnerQueue1796293835847 implements MigrationInterface {
  name = 'IndexOwnerQueue1796293835847';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE INDEX tickets_owner_queue_idx
        ON tickets (owner_id, (COALESCE(deadline_due_at, 'infinity'::timestamptz)), id)
        WHERE status IN ('open', 'waiting_on_customer')`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX tickets_owner_queue_idx`);
  }
}
