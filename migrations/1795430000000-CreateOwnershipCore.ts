import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ownership core: teams with their calendars, agents, customers, tickets that always have an
 * owner, ownership periods, handoffs, the append-only timeline, the email outbox and settings.
 */
export class CreateOwnershipCore1795430000000 implements MigrationInterface {
  name = 'CreateOwnershipCore1795430000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE teams (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        timezone text NOT NULL,
        business_hours jsonb NOT NULL,
        holidays jsonb NOT NULL DEFAULT '[]'::jsonb,
        same_day_cutoff text,
        policy jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX teams_name_key ON teams (lower(name))`);

    await queryRunner.query(`
      CREATE TABLE agents (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        email text NOT NULL,
        role text NOT NULL CHECK (role IN ('rep', 'supervisor', 'admin', 'integration')),
        team_id uuid REFERENCES teams (id),
        capacity integer NOT NULL CHECK (capacity >= 0),
        away boolean NOT NULL DEFAULT false,
        active boolean NOT NULL DEFAULT true,
        token_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT agents_team_required CHECK (role IN ('admin', 'integration') OR team_id IS NOT NULL)
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX agents_email_key ON agents (lower(email))`);
    await queryRunner.query(`CREATE UNIQUE INDEX agents_token_hash_key ON agents (token_hash)`);
    await queryRunner.query(`CREATE INDEX agents_team_role_idx ON agents (team_id, role)`);

    await queryRunner.query(`
      CREATE TABLE customers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        email text NOT NULL,
        tier text NOT NULL DEFAULT 'standard' CHECK (tier IN ('standard', 'high_value', 'vip')),
        locale text NOT NULL DEFAULT 'en',
        auto_updates boolean NOT NULL DEFAULT true,
        churned_at timestamptz,
        churn_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX customers_email_idx ON customers (lower(email))`);
    await queryRunner.query(
      `CREATE INDEX customers_created_idx ON customers (created_at DESC, id DESC)`,
    );

    await queryRunner.query(`CREATE SEQUENCE ticket_number_seq`);
    await queryRunner.query(`
      CREATE TABLE tickets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        number bigint NOT NULL DEFAULT nextval('ticket_number_seq'),
        ref text GENERATED ALWAYS AS (
          'T-' || CASE WHEN number < 1000000 THEN lpad(number::text, 6, '0') ELSE number::text END
        ) STORED,
        customer_id uuid NOT NULL REFERENCES customers (id),
        team_id uuid NOT NULL REFERENCES teams (id),
        owner_id uuid NOT NULL REFERENCES agents (id),
        created_by_id uuid NOT NULL REFERENCES agents (id),
        subject text NOT NULL,
        description text NOT NULL,
        channel text NOT NULL CHECK (channel IN ('phone', 'email', 'web', 'chat', 'api')),
        category text,
        priority text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
        status text NOT NULL DEFAULT 'open'
          CHECK (status IN ('open', 'waiting_on_customer', 'resolved', 'closed')),
        received_at timestamptz NOT NULL,
        first_response_due_at timestamptz,
        first_responded_at timestamptz,
        next_update_due_at timestamptz,
        last_public_update_at timestamptz,
        escalation_level integer NOT NULL DEFAULT 0,
        resolved_at timestamptz,
        resolution text,
        root_cause_silo text CHECK (root_cause_silo IN
          ('marketing', 'sales', 'field_service', 'customer_care', 'billing', 'product', 'network', 'other')),
        root_cause_category text,
        root_cause_detail text,
        closed_at timestamptz,
        reopen_count integer NOT NULL DEFAULT 0,
        idempotency_key text,
        idempotency_fingerprint text,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT tickets_resolved_has_root_cause CHECK (
          status NOT IN ('resolved', 'closed') OR (root_cause_silo IS NOT NULL AND root_cause_category IS NOT NULL)
        )
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX tickets_number_key ON tickets (number)`);
    await queryRunner.query(`CREATE UNIQUE INDEX tickets_ref_key ON tickets (ref)`);
    // Idempotency keys are scoped to the caller that sent them.
    await queryRunner.query(
      `CREATE UNIQUE INDEX tickets_idempotency_key ON tickets (created_by_id, idempotency_key)
       WHERE idempotency_key IS NOT NULL`,
    );
    // Listing and paging (newest first), by team and by owner; open-ticket counts for assignment.
    await queryRunner.query(
      `CREATE INDEX tickets_team_received_idx ON tickets (team_id, received_at DESC, id DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX tickets_owner_status_idx ON tickets (owner_id, status, received_at DESC, id DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX tickets_received_idx ON tickets (received_at DESC, id DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX tickets_customer_idx ON tickets (customer_id, received_at)`,
    );
    // Overdue scans touch only active tickets.
    await queryRunner.query(
      `CREATE INDEX tickets_active_first_response_idx ON tickets (first_response_due_at)
       WHERE status IN ('open', 'waiting_on_customer') AND first_responded_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX tickets_active_next_update_idx ON tickets (next_update_due_at)
       WHERE status = 'open' AND next_update_due_at IS NOT NULL`,
    );

    await queryRunner.query(`
      CREATE TABLE ownership_periods (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        ticket_id uuid NOT NULL REFERENCES tickets (id),
        agent_id uuid NOT NULL REFERENCES agents (id),
        started_at timestamptz NOT NULL,
        ended_at timestamptz,
        reason text NOT NULL,
        changed_by_id uuid REFERENCES agents (id),
        CONSTRAINT ownership_periods_order CHECK (ended_at IS NULL OR ended_at >= started_at)
      )`);
    // A ticket has exactly one current owner: never two open periods.
    await queryRunner.query(
      `CREATE UNIQUE INDEX ownership_periods_one_open ON ownership_periods (ticket_id) WHERE ended_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX ownership_periods_ticket_idx ON ownership_periods (ticket_id, started_at)`,
    );
    await queryRunner.query(
      `CREATE INDEX ownership_periods_agent_idx ON ownership_periods (agent_id, started_at)`,
    );

    await queryRunner.query(`
      CREATE TABLE handoffs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        ticket_id uuid NOT NULL REFERENCES tickets (id),
        from_agent_id uuid NOT NULL REFERENCES agents (id),
        to_agent_id uuid NOT NULL REFERENCES agents (id),
        note text NOT NULL,
        status text NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending', 'accepted', 'declined', 'expired', 'cancelled')),
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        responded_at timestamptz,
        response_note text,
        CONSTRAINT handoffs_not_to_self CHECK (from_agent_id <> to_agent_id)
      )`);
    // One open offer per ticket at a time.
    await queryRunner.query(
      `CREATE UNIQUE INDEX handoffs_one_pending ON handoffs (ticket_id) WHERE status = 'pending'`,
    );
    await queryRunner.query(
      `CREATE INDEX handoffs_to_agent_pending_idx ON handoffs (to_agent_id, created_at) WHERE status = 'pending'`,
    );
    await queryRunner.query(
      `CREATE INDEX handoffs_pending_expiry_idx ON handoffs (expires_at) WHERE status = 'pending'`,
    );

    await queryRunner.query(`
      CREATE TABLE timeline_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigserial NOT NULL,
        ticket_id uuid NOT NULL REFERENCES tickets (id),
        type text NOT NULL,
        at timestamptz NOT NULL,
        actor_id uuid REFERENCES agents (id),
        data jsonb NOT NULL DEFAULT '{}'::jsonb
      )`);
    await queryRunner.query(
      `CREATE INDEX timeline_events_ticket_idx ON timeline_events (ticket_id, seq)`,
    );
    // The timeline is the audit trail: refuse edits and deletions at the database.
    await queryRunner.query(`
      CREATE FUNCTION timeline_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'timeline_events is append-only (% refused)', TG_OP;
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER timeline_events_append_only
      BEFORE UPDATE OR DELETE ON timeline_events
      FOR EACH ROW EXECUTE FUNCTION timeline_events_append_only()`);

    await queryRunner.query(`
      CREATE TABLE outbox_emails (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        key text NOT NULL,
        template text NOT NULL,
        to_address text NOT NULL,
        ticket_id uuid REFERENCES tickets (id),
        customer_id uuid REFERENCES customers (id),
        agent_id uuid REFERENCES agents (id),
        payload jsonb NOT NULL,
        status text NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'ambiguous')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        last_error text,
        message_id text,
        created_at timestamptz NOT NULL,
        sent_at timestamptz
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX outbox_emails_key ON outbox_emails (key)`);
    await queryRunner.query(
      `CREATE INDEX outbox_emails_due_idx ON outbox_emails (next_attempt_at) WHERE status = 'pending'`,
    );
    await queryRunner.query(`CREATE INDEX outbox_emails_ticket_idx ON outbox_emails (ticket_id)`);

    await queryRunner.query(`
      CREATE TABLE settings (
        key text PRIMARY KEY,
        value text NOT NULL
      )`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE settings`);
    await queryRunner.query(`DROP TABLE outbox_emails`);
    await queryRunner.query(`DROP TABLE timeline_events`);
    await queryRunner.query(`DROP FUNCTION timeline_events_append_only()`);
    await queryRunner.query(`DROP TABLE handoffs`);
    await queryRunner.query(`DROP TABLE ownership_periods`);
    await queryRunner.query(`DROP TABLE tickets`);
    await queryRunner.query(`DROP SEQUENCE ticket_number_seq`);
    await queryRunner.query(`DROP TABLE customers`);
    await queryRunner.query(`DROP TABLE agents`);
    await queryRunner.query(`DROP TABLE teams`);
  }
}
