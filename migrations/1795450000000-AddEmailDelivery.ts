import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Email delivery: outbox claim bookkeeping and the SMTP server's answer, 'cancelled' for mail
 * that no longer applies at send time (a survey for a reopened ticket), satisfaction scores
 * (one per ticket), and the staff choice of a daily escalation digest.
 */
export class AddEmailDelivery1795450000000 implements MigrationInterface {
  name = 'AddEmailDelivery1795450000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE outbox_emails
        ADD COLUMN claimed_at timestamptz,
        ADD COLUMN smtp_response text,
        ADD COLUMN failed_at timestamptz`);
    await queryRunner.query(`ALTER TABLE outbox_emails DROP CONSTRAINT outbox_emails_status_check`);
    await queryRunner.query(`
      ALTER TABLE outbox_emails ADD CONSTRAINT outbox_emails_status_check
        CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'ambiguous', 'cancelled', 'held', 'digested'))`);
    // Recovery of rows whose worker died between claim and send.
    await queryRunner.query(
      `CREATE INDEX outbox_emails_sending_idx ON outbox_emails (claimed_at) WHERE status = 'sending'`,
    );
    await queryRunner.query(
      `CREATE INDEX outbox_emails_held_idx ON outbox_emails (agent_id, created_at) WHERE status = 'held'`,
    );

    await queryRunner.query(`
      CREATE TABLE satisfaction_scores (
        ticket_id uuid PRIMARY KEY REFERENCES tickets (id),
        customer_id uuid NOT NULL REFERENCES customers (id),
        owner_id uuid NOT NULL REFERENCES agents (id),
        score integer NOT NULL CHECK (score BETWEEN 1 AND 5),
        at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX satisfaction_scores_at_idx ON satisfaction_scores (at)`);

    await queryRunner.query(
      `ALTER TABLE agents ADD COLUMN escalation_digest boolean NOT NULL DEFAULT false`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE agents DROP COLUMN escalation_digest`);
    await queryRunner.query(`DROP TABLE satisfaction_scores`);
    await queryRunner.query(`DROP INDEX outbox_emails_held_idx`);
    await queryRunner.query(`DROP INDEX outbox_emails_sending_idx`);
    await queryRunner.query(`ALTER TABLE outbox_emails DROP CONSTRAINT outbox_emails_status_check`);
    await queryRunner.query(`
      ALTER TABLE outbox_emails ADD CONSTRAINT outbox_emails_status_check
        CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'ambiguous'))`);
    await queryRunner.query(`
      ALTER TABLE outbox_emails DROP COLUMN failed_at, DROP COLUMN smtp_response, DROP COLUMN claimed_at`);
  }
}
