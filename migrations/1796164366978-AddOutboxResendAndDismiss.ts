import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A failed or ambiguous email is settled by a person: resent (a new row, linked both ways) or
 * dismissed with a note. Either way it leaves the failed list and stops holding anything back.
 */
export class AddOutboxResendAndDismiss1796164366978 implements MigrationInterface {
  name = 'AddOutboxResendAndDismiss1796164366978';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE outbox_emails DROP CONSTRAINT outbox_emails_status_check`);
    await queryRunner.query(`
      ALTER TABLE outbox_emails ADD CONSTRAINT outbox_emails_status_check
        CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'ambiguous', 'cancelled', 'held',
                          'digested', 'resent', 'dismissed'))`);
    await queryRunner.query(`
      ALTER TABLE outbox_emails
        ADD COLUMN resent_from_id uuid REFERENCES outbox_emails (id),
        ADD COLUMN resent_as_id uuid REFERENCES outbox_emails (id),
        ADD COLUMN settled_at timestamptz,
        ADD COLUMN settled_by_id uuid REFERENCES agents (id),
        ADD COLUMN settled_note text`);
    await queryRunner.query(
      `CREATE INDEX outbox_emails_unsettled_idx ON outbox_emails (failed_at)
         WHERE status IN ('failed', 'ambiguous')`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX outbox_emails_unsettled_idx`);
    await queryRunner.query(`
      ALTER TABLE outbox_emails
        DROP COLUMN resent_from_id, DROP COLUMN resent_as_id, DROP COLUMN settled_at,
        DROP COLUMN settled_by_id, DROP COLUMN settled_note`);
    await queryRunner.query(
      `UPDATE outbox_emails SET status = 'failed' WHERE status IN ('resent', 'dismissed')`,
    );
    await queryRunner.query(`ALTER TABLE outbox_emails DROP CONSTRAINT outbox_emails_status_check`);
    await queryRunner.query(`
      ALTER TABLE outbox_emails ADD CONSTRAINT outbox_emails_status_check
        CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'ambiguous', 'cancelled', 'held', 'digested'))`);
  }
}
