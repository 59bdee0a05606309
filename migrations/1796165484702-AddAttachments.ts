import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Attachments on tickets (from inbound mail, or uploaded by agents for their replies) and the
 * default store of their bytes. The metadata names a storage key, so the bytes can live in
 * another store (S3) without changing this table.
 */
export class AddAttachments1796165484702 implements MigrationInterface {
  name = 'AddAttachments1796165484702';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE attachment_blobs (
        key text PRIMARY KEY,
        bytes bytea NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE attachments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        ticket_id uuid NOT NULL REFERENCES tickets (id),
        timeline_event_id uuid REFERENCES timeline_events (id),
        storage_key text NOT NULL UNIQUE,
        filename text NOT NULL,
        content_type text NOT NULL,
        declared_type text,
        size integer NOT NULL CHECK (size >= 0),
        sha256 text NOT NULL,
        source text NOT NULL CHECK (source IN ('email', 'upload')),
        uploaded_by_id uuid REFERENCES agents (id),
        message_id text,
        part_index integer,
        created_at timestamptz NOT NULL
      )`);
    await queryRunner.query(
      `CREATE INDEX attachments_ticket_idx ON attachments (ticket_id, created_at)`,
    );
    // One row per part of one inbound message on one ticket: re-reading the message keeps nothing twice.
    await queryRunner.query(
      `CREATE UNIQUE INDEX attachments_inbound_part_key ON attachments (ticket_id, message_id, part_index)
         WHERE message_id IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE attachments`);
    await queryRunner.query(`DROP TABLE attachment_blobs`);
  }
}
