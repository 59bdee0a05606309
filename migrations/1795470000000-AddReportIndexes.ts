import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Covering indexes for the reports (docs/reports.md), so each answers from the index alone at a
 * million tickets. Every ticket index leads with team_id: a supervisor reads one team's range,
 * an admin's all-teams report reads each team's range (`team_id = ANY(...)`).
 */
export class AddReportIndexes1795470000000 implements MigrationInterface {
  name = 'AddReportIndexes1795470000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // SLA: first-response deadlines falling due in the period, with what the report measures.
    await queryRunner.query(
      `CREATE INDEX tickets_first_response_report_idx ON tickets (team_id, first_response_due_at)
         INCLUDE (id, owner_id, first_responded_at, response_clock_started_at, breach_count)
         WHERE first_response_due_at IS NOT NULL`,
    );
    // Root causes: tickets resolved in the period.
    await queryRunner.query(
      `CREATE INDEX tickets_resolved_report_idx ON tickets (team_id, resolved_at)
         INCLUDE (id, customer_id, root_cause_silo, root_cause_category, reopen_count, breach_count)
         WHERE resolved_at IS NOT NULL`,
    );
    // At-risk customers: contacts by arrival, and the (few) tickets that were breached or reopened.
    await queryRunner.query(
      `CREATE INDEX tickets_customer_contacts_report_idx ON tickets (team_id, received_at)
         INCLUDE (customer_id)`,
    );
    await queryRunner.query(
      `CREATE INDEX tickets_customer_trouble_report_idx ON tickets (team_id, received_at)
         INCLUDE (customer_id, breach_count, reopen_count)
         WHERE breach_count > 0 OR reopen_count > 0`,
    );
    // Breaches recorded in the period, by team, with kind and owner on record.
    await queryRunner.query(
      `CREATE INDEX deadline_actions_breach_report_idx ON deadline_actions (team_id, acted_at)
         INCLUDE (ticket_id, kind, owner_id, due_at)
         WHERE step = 'breached'`,
    );
    // Broken promises per ticket (root causes) and per customer in a window (at-risk).
    await queryRunner.query(
      `CREATE INDEX promises_broken_ticket_idx ON promises (ticket_id) WHERE status = 'broken'`,
    );
    await queryRunner.query(
      `CREATE INDEX promises_broken_customer_report_idx ON promises (team_id, closed_at)
         INCLUDE (customer_id) WHERE status = 'broken'`,
    );
    // Low satisfaction (1 or 2): per ticket, by time, and per customer (the reasons of a score).
    await queryRunner.query(
      `CREATE INDEX satisfaction_scores_low_idx ON satisfaction_scores (at)
         INCLUDE (ticket_id, customer_id) WHERE score <= 2`,
    );
    await queryRunner.query(
      `CREATE INDEX satisfaction_scores_low_customer_idx ON satisfaction_scores (customer_id, at)
         INCLUDE (ticket_id) WHERE score <= 2`,
    );
    // The few customers that are churned or above standard tier, without reading every customer.
    await queryRunner.query(
      `CREATE INDEX customers_churned_id_idx ON customers (id) WHERE churned_at IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX customers_tier_id_idx ON customers (id) INCLUDE (tier) WHERE tier <> 'standard'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX customers_tier_id_idx`);
    await queryRunner.query(`DROP INDEX customers_churned_id_idx`);
    await queryRunner.query(`DROP INDEX satisfaction_scores_low_customer_idx`);
    await queryRunner.query(`DROP INDEX satisfaction_scores_low_idx`);
    await queryRunner.query(`DROP INDEX promises_broken_customer_report_idx`);
    await queryRunner.query(`DROP INDEX promises_broken_ticket_idx`);
    await queryRunner.query(`DROP INDEX deadline_actions_breach_report_idx`);
    await queryRunner.query(`DROP INDEX tickets_customer_trouble_report_idx`);
    await queryRunner.query(`DROP INDEX tickets_customer_contacts_report_idx`);
    await queryRunner.query(`DROP INDEX tickets_resolved_report_idx`);
    await queryRunner.query(`DROP INDEX tickets_first_response_report_idx`);
  }
}
