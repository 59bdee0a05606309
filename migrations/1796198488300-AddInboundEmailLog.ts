import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One row per inbound message received (gateway or IMAP mailbox): who sent it, how it was
 * matched (reply token, thread ids, a new ticket, or ignored) and why. New-ticket rows are what
 * the per-sender and per-domain limits count; one per (gateway, Message-ID) keeps a gateway's
 * retry from counting twice.
 */
export class AddInboundEmailLog1796198488300 implements MigrationInterface {
  name = 'AddInboundEmailLog1796198488300';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE inbound_emails (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        received_at timestamptz NOT NULL,
        actor_id uuid NOT NULL REFERENCES agents (id),
        message_id text NOT NULL,
        from_address text NOT NULL,
        from_domain text NOT NULL,
        matched_by text NOT NULL
          CHECK (matched_by IN ('reply_token', 'thread', 'new_ticket', 'ignored')),
        reason text,
        ticket_id uuid REFERENCES tickets (id)
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX inbound_emails_new_ticket_key ON inbound_emails (actor_id, message_id)
         WHERE matched_by = 'new_ticket'`,
    );
    await queryRunner.query(
      `CREATE INDEX inbound_emails_sender_idx ON inbound_emails (from_address, received_at)
         WHERE matched_by = 'new_ticket'`,
    );
    await queryRunner.query(
      `CREATE INDEX inbound_emails_domain_idx ON inbound_emails (from_domain, received_at)
         WHERE matched_by = 'new_ticket'`,
    );
    await queryRunner.query(
      `CREATE INDEX inbound_emails_ticket_idx ON inbound_emails (ticket_id, actor_id)`,
    );
    await queryRunner.query(
      `CREATE INDEX outbox_emails_acknowledgement_to_idx ON outbox_emails (lower(to_address), created_at)
         WHERE template = 'ticket_acknowledgement'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX outbox_emails_acknowledgement_to_idx`);
    await queryRunner.query(`DROP TABLE inbound_emails`);
  }
}
