import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbox reliability: a short claim lease (renewed while sending) instead of a ten-minute release,
 * the order emails were queued in (a ticket's customer emails go out in that order), how many
 * sends ended ambiguous (one automatic retry), and the statuses a person sets on a failed or
 * ambiguous email: dismissed (not to be sent) and resent (replaced by a new email).
 */
export class AddOutboxLeasesAndTicketOrder1796164251150 implements MigrationInterface {
  name = 'AddOutboxLeasesAndTicketOrder1796164251150';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE outbox_emails
        ADD COLUMN lease_expires_at timestamptz,
        ADD COLUMN queue_position bigint GENERATED ALWAYS AS IDENTITY,
        ADD COLUMN ambiguous_sends integer NOT NULL DEFAULT 0`);
    await queryRunner.query(
      `UPDATE outbox_emails SET lease_expires_at = claimed_at + interval '45 seconds' WHERE status = 'sending'`,
    );
    await queryRunner.query(`ALTER TABLE outbox_emails DROP CONSTRAINT outbox_emails_status_check`);
    await queryRunner.query(`
      ALTER TABLE outbox_emails ADD CONSTRAINT outbox_emails_status_check
        CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'ambiguous', 'cancelled', 'held',
                          'digested', 'dismissed', 'resent'))`);
    await queryRunner.query(`DROP INDEX outbox_emails_sending_idx`);
    await queryRunner.query(
      `CREATE INDEX outbox_emails_lease_idx ON outbox_emails (lease_expires_at) WHERE status = 'sending'`,
    );
    await queryRunner.query(
      `CREATE INDEX outbox_emails_ambiguous_idx ON outbox_emails (next_attempt_at) WHERE status = 'ambiguous'`,
    );
    // The per-ticket order check: "is an earlier customer email of this ticket still unresolved?"
    await queryRunner.query(`
      CREATE INDEX outbox_emails_ticket_order_idx ON outbox_emails (ticket_id, queue_position)
        WHERE customer_id IS NOT NULL AND status IN ('pending', 'sending', 'ambiguous')`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX outbox_emails_ticket_order_idx`);
    await queryRunner.query(`DROP INDEX outbox_emails_ambiguous_idx`);
    await queryRunner.query(`DROP INDEX outbox_emails_lease_idx`);
    await queryRunner.query(
      `CREATE INDEX outbox_emails_sending_idx ON outbox_emails (claimed_at) WHERE status = 'sending'`,
    );
    await queryRunner.query(
      `UPDATE outbox_emails SET status = 'cancelled' WHERE status IN ('dismissed', 'resent')`,
    );
    await queryRunner.query(`ALTER TABLE outbox_emails DROP CONSTRAINT outbox_emails_status_check`);
    await queryRunner.query(`
      ALTER TABLE outbox_emails ADD CONSTRAINT outbox_emails_status_check
        CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'ambiguous', 'cancelled', 'held', 'digested'))`);
    await queryRunner.query(`
      ALTER TABLE outbox_emails
        DROP COLUMN ambiguous_sends, DROP COLUMN queue_position, DROP COLUMN lease_expires_at`);
  }
}
