import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deadline enforcement: each ticket's current deadline (derived by generated columns, so it can
 * never disagree with the due times), its version and the cached moments the worker acts on,
 * the stored explanation of each deadline, pause bookkeeping, and a record of every enforcement
 * action taken (unique per ticket, kind, deadline version and step: acting twice is impossible).
 */
export class AddDeadlineEnforcement1795440000000 implements MigrationInterface {
  name = 'AddDeadlineEnforcement1795440000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE tickets
        ADD COLUMN response_clock_started_at timestamptz,
        ADD COLUMN first_response_basis jsonb,
        ADD COLUMN next_update_basis jsonb,
        ADD COLUMN paused_at timestamptz,
        ADD COLUMN paused_due_at timestamptz,
        ADD COLUMN deadline_version integer NOT NULL DEFAULT 0,
        ADD COLUMN deadline_warn_at timestamptz,
        ADD COLUMN deadline_reescalate_at timestamptz,
        ADD COLUMN breach_count integer NOT NULL DEFAULT 0`);
    await queryRunner.query(`UPDATE tickets SET response_clock_started_at = received_at`);
    await queryRunner.query(
      `ALTER TABLE tickets ALTER COLUMN response_clock_started_at SET NOT NULL`,
    );
    // The deadline the ticket is working towards now: first response until answered, then the
    // next update while open; none while waiting on the customer or once resolved.
    await queryRunner.query(`
      ALTER TABLE tickets
        ADD COLUMN deadline_kind text GENERATED ALWAYS AS (
          CASE
            WHEN status IN ('open', 'waiting_on_customer') AND first_responded_at IS NULL
              AND first_response_due_at IS NOT NULL THEN 'first_response'
            WHEN status = 'open' AND first_responded_at IS NOT NULL
              AND next_update_due_at IS NOT NULL THEN 'next_update'
          END) STORED,
        ADD COLUMN deadline_due_at timestamptz GENERATED ALWAYS AS (
          CASE
            WHEN status IN ('open', 'waiting_on_customer') AND first_responded_at IS NULL
              THEN first_response_due_at
            WHEN status = 'open' AND first_responded_at IS NOT NULL THEN next_update_due_at
          END) STORED`);
    await queryRunner.query(
      `CREATE INDEX tickets_deadline_due_idx ON tickets (deadline_due_at, team_id) WHERE deadline_due_at IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX tickets_deadline_warn_idx ON tickets (deadline_warn_at) WHERE deadline_due_at IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX tickets_deadline_reescalate_idx ON tickets (deadline_reescalate_at) WHERE deadline_due_at IS NOT NULL`,
    );

    await queryRunner.query(`
      CREATE TABLE deadline_actions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        ticket_id uuid NOT NULL REFERENCES tickets (id),
        team_id uuid NOT NULL REFERENCES teams (id),
        kind text NOT NULL CHECK (kind IN ('first_response', 'next_update')),
        deadline_version integer NOT NULL,
        step text NOT NULL CHECK (step IN ('warned', 'breached', 'reescalated')),
        due_at timestamptz NOT NULL,
        acted_at timestamptz NOT NULL,
        owner_id uuid NOT NULL REFERENCES agents (id),
        escalation_level integer NOT NULL DEFAULT 0
      )`);
    // A promise (this kind of deadline, due at this instant) is enforced once, whatever happens
    // to the deadline version in between (a pause and resume returns to the same due time).
    await queryRunner.query(
      `CREATE UNIQUE INDEX deadline_actions_once ON deadline_actions (ticket_id, kind, due_at, step)`,
    );
    await queryRunner.query(
      `CREATE INDEX deadline_actions_owner_idx ON deadline_actions (owner_id, acted_at) WHERE step = 'breached'`,
    );
    await queryRunner.query(
      `CREATE INDEX deadline_actions_team_idx ON deadline_actions (team_id, acted_at) WHERE step = 'breached'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE deadline_actions`);
    await queryRunner.query(`
      ALTER TABLE tickets
        DROP COLUMN deadline_due_at,
        DROP COLUMN deadline_kind,
        DROP COLUMN breach_count,
        DROP COLUMN deadline_reescalate_at,
        DROP COLUMN deadline_warn_at,
        DROP COLUMN deadline_version,
        DROP COLUMN paused_due_at,
        DROP COLUMN paused_at,
        DROP COLUMN next_update_basis,
        DROP COLUMN first_response_basis,
        DROP COLUMN response_clock_started_at`);
  }
}
