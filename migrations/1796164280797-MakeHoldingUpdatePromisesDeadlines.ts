import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The time a holding update promises is the ticket's current deadline, even before the first
 * real answer: the generated current-deadline columns prefer a due next update while open. The
 * separate re-escalation moment goes (each promised time is the next ladder step), and agents
 * may name the supervisor the first ladder level tells.
 */
const CURRENT_DEADLINE = {
  kind: `CASE
      WHEN status = 'open' AND next_update_due_at IS NOT NULL THEN 'next_update'
      WHEN status IN ('open', 'waiting_on_customer') AND first_responded_at IS NULL
        AND first_response_due_at IS NOT NULL THEN 'first_response'
    END`,
  dueAt: `CASE
      WHEN status = 'open' AND next_update_due_at IS NOT NULL THEN next_update_due_at
      WHEN status IN ('open', 'waiting_on_customer') AND first_responded_at IS NULL
        THEN first_response_due_at
    END`,
};
const PREVIOUS_DEADLINE = {
  kind: `CASE
      WHEN status IN ('open', 'waiting_on_customer') AND first_responded_at IS NULL
        AND first_response_due_at IS NOT NULL THEN 'first_response'
      WHEN status = 'open' AND first_responded_at IS NOT NULL
        AND next_update_due_at IS NOT NULL THEN 'next_update'
    END`,
  dueAt: `CASE
      WHEN status IN ('open', 'waiting_on_customer') AND first_responded_at IS NULL
        THEN first_response_due_at
      WHEN status = 'open' AND first_responded_at IS NOT NULL THEN next_update_due_at
    END`,
};

async function defineCurrentDeadline(
  queryRunner: QueryRunner,
  expressions: { kind: string; dueAt: string },
): Promise<void> {
  // Postgres 15 cannot change a generated expression: drop and add (the indexes go with them).
  await queryRunner.query(
    `ALTER TABLE tickets DROP COLUMN deadline_kind, DROP COLUMN deadline_due_at`,
  );
  await queryRunner.query(`
    ALTER TABLE tickets
      ADD COLUMN deadline_kind text GENERATED ALWAYS AS (${expressions.kind}) STORED,
      ADD COLUMN deadline_due_at timestamptz GENERATED ALWAYS AS (${expressions.dueAt}) STORED`);
  await queryRunner.query(
    `CREATE INDEX tickets_deadline_due_idx ON tickets (deadline_due_at, team_id) WHERE deadline_due_at IS NOT NULL`,
  );
  await queryRunner.query(
    `CREATE INDEX tickets_deadline_warn_idx ON tickets (deadline_warn_at) WHERE deadline_due_at IS NOT NULL`,
  );
}

export class MakeHoldingUpdatePromisesDeadlines1796164280797 implements MigrationInterface {
  name = 'MakeHoldingUpdatePromisesDeadlines1796164280797';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE tickets DROP COLUMN deadline_reescalate_at`);
    await defineCurrentDeadline(queryRunner, CURRENT_DEADLINE);
    await queryRunner.query(
      `ALTER TABLE agents ADD COLUMN supervisor_id uuid REFERENCES agents (id)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE agents DROP COLUMN supervisor_id`);
    await defineCurrentDeadline(queryRunner, PREVIOUS_DEADLINE);
    await queryRunner.query(`ALTER TABLE tickets ADD COLUMN deadline_reescalate_at timestamptz`);
    await queryRunner.query(
      `CREATE INDEX tickets_deadline_reescalate_idx ON tickets (deadline_reescalate_at) WHERE deadline_due_at IS NOT NULL`,
    );
  }
}
