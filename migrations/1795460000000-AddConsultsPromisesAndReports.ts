import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Across silos: consults (the owner asks another agent or team, ownership stays), promises made
 * to the customer (tracked until kept, broken or cancelled), and the indexes the churn reports
 * need at a million tickets.
 */
export class AddConsultsPromisesAndReports1795460000000 implements MigrationInterface {
  name = 'AddConsultsPromisesAndReports1795460000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE consults (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        ticket_id uuid NOT NULL REFERENCES tickets (id),
        asked_by_id uuid NOT NULL REFERENCES agents (id),
        agent_id uuid REFERENCES agents (id),
        team_id uuid NOT NULL REFERENCES teams (id),
        question text NOT NULL,
        due_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered', 'cancelled')),
        answer text,
        answered_by_id uuid REFERENCES agents (id),
        answered_at timestamptz,
        reminded_at timestamptz,
        overdue_at timestamptz,
        created_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX consults_ticket_idx ON consults (ticket_id, created_at)`);
    await queryRunner.query(
      `CREATE INDEX consults_open_agent_idx ON consults (agent_id, due_at) WHERE status = 'open'`,
    );
    await queryRunner.query(
      `CREATE INDEX consults_open_team_idx ON consults (team_id, due_at) WHERE status = 'open'`,
    );
    await queryRunner.query(
      `CREATE INDEX consults_open_due_idx ON consults (due_at) WHERE status = 'open'`,
    );

    await queryRunner.query(`
      CREATE TABLE promises (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        ticket_id uuid NOT NULL REFERENCES tickets (id),
        customer_id uuid NOT NULL REFERENCES customers (id),
        team_id uuid NOT NULL REFERENCES teams (id),
        made_by_id uuid NOT NULL REFERENCES agents (id),
        description text NOT NULL,
        due_at timestamptz NOT NULL,
        silo text NOT NULL CHECK (silo IN
          ('marketing', 'sales', 'field_service', 'customer_care', 'billing', 'product', 'network', 'other')),
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'kept', 'broken', 'cancelled')),
        note text,
        closed_at timestamptz,
        closed_by_id uuid REFERENCES agents (id),
        reminded_at timestamptz,
        created_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX promises_ticket_idx ON promises (ticket_id, created_at)`);
    await queryRunner.query(
      `CREATE INDEX promises_customer_idx ON promises (customer_id, created_at)`,
    );
    await queryRunner.query(
      `CREATE INDEX promises_open_due_idx ON promises (due_at) WHERE status = 'open'`,
    );
    await queryRunner.query(
      `CREATE INDEX promises_broken_idx ON promises (team_id, closed_at) WHERE status = 'broken'`,
    );

    // Reports: resolutions by time (root causes), arrivals by team and time (SLA), churn.
    await queryRunner.query(
      `CREATE INDEX tickets_resolved_at_idx ON tickets (resolved_at)
         INCLUDE (root_cause_silo, root_cause_category, reopen_count, breach_count, customer_id)
         WHERE resolved_at IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX tickets_team_received_report_idx ON tickets (team_id, received_at)
         INCLUDE (owner_id, first_response_due_at, first_responded_at, breach_count)`,
    );
    await queryRunner.query(
      `CREATE INDEX customers_churned_idx ON customers (churned_at) WHERE churned_at IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX customers_churned_idx`);
    await queryRunner.query(`DROP INDEX tickets_team_received_report_idx`);
    await queryRunner.query(`DROP INDEX tickets_resolved_at_idx`);
    await queryRunner.query(`DROP TABLE promises`);
    await queryRunner.query(`DROP TABLE consults`);
  }
}
