import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * IMAP mailboxes a team's mail arrives in, with their connection state and the worker's lease,
 * and one row per message seen, keyed by (mailbox, UIDVALIDITY, UID) so no message is processed
 * twice by a restart, a reconnect or a second worker.
 */
export class AddMailboxes1796165485755 implements MigrationInterface {
  name = 'AddMailboxes1796165485755';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE mailboxes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        team_id uuid NOT NULL REFERENCES teams (id),
        agent_id uuid NOT NULL REFERENCES agents (id),
        secure boolean NOT NULL,
        host text NOT NULL,
        port integer NOT NULL CHECK (port BETWEEN 1 AND 65535),
        username text NOT NULL,
        password_encrypted text NOT NULL,
        folder text NOT NULL,
        processed_folder text NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        state text NOT NULL DEFAULT 'connecting'
          CHECK (state IN ('connecting', 'connected', 'error')),
        last_poll_at timestamptz,
        last_success_at timestamptz,
        last_error text,
        last_error_at timestamptz,
        lease_owner text,
        lease_expires_at timestamptz,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE mailbox_messages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        mailbox_id uuid NOT NULL REFERENCES mailboxes (id) ON DELETE CASCADE,
        uid_validity bigint NOT NULL,
        uid bigint NOT NULL,
        status text NOT NULL CHECK (status IN ('processing', 'done', 'rejected')),
        attempts integer NOT NULL DEFAULT 1,
        claimed_at timestamptz NOT NULL,
        processed_at timestamptz,
        ticket_id uuid,
        result jsonb,
        CONSTRAINT mailbox_messages_key UNIQUE (mailbox_id, uid_validity, uid)
      )`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE mailbox_messages`);
    await queryRunner.query(`DROP TABLE mailboxes`);
  }
}
