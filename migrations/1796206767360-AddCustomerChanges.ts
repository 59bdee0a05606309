import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail of a customer: one row per field changed (email, tier, name, locale, automatic
 * updates, churn), who changed it, when, and the old and new value. Append-only, as the ticket
 * timeline is: a trigger refuses UPDATE and DELETE.
 */
export class AddCustomerChanges1796206767360 implements MigrationInterface {
  name = 'AddCustomerChanges1796206767360';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE customer_changes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigserial NOT NULL,
        customer_id uuid NOT NULL REFERENCES customers (id),
        changed_by_id uuid REFERENCES agents (id),
        changed_at timestamptz NOT NULL,
        field text NOT NULL,
        old_value text,
        new_value text
      )`);
    await queryRunner.query(
      `CREATE INDEX customer_changes_customer_idx ON customer_changes (customer_id, seq)`,
    );
    await queryRunner.query(`
      CREATE FUNCTION customer_changes_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'customer_changes is append-only';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER customer_changes_append_only BEFORE UPDATE OR DELETE ON customer_changes
        FOR EACH ROW EXECUTE FUNCTION customer_changes_append_only()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE customer_changes`);
    await queryRunner.query(`DROP FUNCTION customer_changes_append_only()`);
  }
}
