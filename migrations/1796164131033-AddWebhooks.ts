import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhooks (Standard Webhooks format): endpoints admins register, and the outbox of deliveries
 * written in the transaction of the change, with every attempt logged.
 */
export class AddWebhooks1796164131033 implements MigrationInterface {
  name = 'AddWebhooks1796164131033';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE webhooks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        url text NOT NULL,
        events text[] NOT NULL,
        team_id uuid REFERENCES teams (id) ON DELETE CASCADE,
        description text,
        secret_encrypted text NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        disabled_at timestamptz,
        disabled_reason text,
        consecutive_failures integer NOT NULL DEFAULT 0,
        failing_since timestamptz,
        created_by_id uuid REFERENCES agents (id),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT webhooks_events_not_empty CHECK (cardinality(events) > 0)
      )`);
    await queryRunner.query(
      `CREATE INDEX webhooks_enabled_events_idx ON webhooks USING gin (events) WHERE enabled`,
    );
    await queryRunner.query(`
      CREATE TABLE webhook_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        webhook_id uuid NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
        event_type text NOT NULL,
        ticket_id uuid,
        timeline_event_id uuid,
        payload jsonb NOT NULL,
        status text NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending', 'sending', 'delivered', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        claimed_at timestamptz,
        created_at timestamptz NOT NULL,
        delivered_at timestamptz,
        failed_at timestamptz,
        last_status_code integer,
        last_error text
      )`);
    // One delivery per endpoint, timeline event and event type: a retried transaction cannot queue it twice.
    await queryRunner.query(
      `CREATE UNIQUE INDEX webhook_deliveries_event_key ON webhook_deliveries (webhook_id, timeline_event_id, event_type)`,
    );
    await queryRunner.query(
      `CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'`,
    );
    await queryRunner.query(
      `CREATE INDEX webhook_deliveries_log_idx ON webhook_deliveries (webhook_id, created_at DESC, id DESC)`,
    );
    await queryRunner.query(`
      CREATE TABLE webhook_delivery_attempts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        delivery_id uuid NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
        attempt integer NOT NULL,
        at timestamptz NOT NULL,
        duration_ms integer NOT NULL,
        status_code integer,
        error text,
        response_body text,
        UNIQUE (delivery_id, attempt)
      )`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE webhook_delivery_attempts`);
    await queryRunner.query(`DROP TABLE webhook_deliveries`);
    await queryRunner.query(`DROP TABLE webhooks`);
  }
}
