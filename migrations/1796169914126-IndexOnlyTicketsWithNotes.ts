import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Most tickets have no internal note: index only those that do, so a search does not walk the
 * whole team's entries in the notes index to find nothing (tickets/ticket-search.ts says
 * `notes <> ''` to use it).
 */
export class IndexOnlyTicketsWithNotes1796169914126 implements MigrationInterface {
  name = 'IndexOnlyTicketsWithNotes1796169914126';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX ticket_search_notes_idx`);
    await queryRunner.query(
      `CREATE INDEX ticket_search_notes_idx ON ticket_search USING gin (team_id, notes)
         WHERE notes <> ''::tsvector`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX ticket_search_notes_idx`);
    await queryRunner.query(
      `CREATE INDEX ticket_search_notes_idx ON ticket_search USING gin (team_id, notes)`,
    );
  }
}
