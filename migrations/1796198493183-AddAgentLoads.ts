import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each agent's open-ticket count and last assignment, kept current by triggers in the
 * transaction of every change that moves them (a ticket created, its owner or status changed,
 * an ownership period started), whichever path makes it: create, auto-assignment, handoff,
 * reassignment, resolve, reopen, deactivation, follow-ups. Auto-assignment reads and row-locks
 * these rows instead of counting tickets under a team-wide lock (ownership/assign-owner.ts),
 * so its cost does not grow with the open tickets and parallel creates do not queue on a team.
 * A table of its own, not columns of agents: the assignment locks these rows FOR NO KEY UPDATE,
 * which must not conflict with the FOR SHARE locks ownership paths take on agent rows.
 */
export class AddAgentLoads1796198493183 implements MigrationInterface {
  name = 'AddAgentLoads1796198493183';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE agent_loads (
        agent_id uuid PRIMARY KEY REFERENCES agents (id) ON DELETE CASCADE,
        open_count integer NOT NULL DEFAULT 0,
        last_assigned_at timestamptz
      ) WITH (fillfactor = 50)`);
    await queryRunner.query(`
      INSERT INTO agent_loads (agent_id, open_count, last_assigned_at)
      SELECT a.id,
             (SELECT count(*) FROM tickets t
               WHERE t.owner_id = a.id AND t.status IN ('open', 'waiting_on_customer')),
             (SELECT max(p.started_at) FROM ownership_periods p WHERE p.agent_id = a.id)
        FROM agents a`);
    await queryRunner.query(`
      CREATE FUNCTION agent_loads_add_agent() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO agent_loads (agent_id) VALUES (NEW.id) ON CONFLICT (agent_id) DO NOTHING;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER agent_loads_add_agent AFTER INSERT ON agents
      FOR EACH ROW EXECUTE FUNCTION agent_loads_add_agent()`);
    // Two rows change together (a move from one owner to another): locked in agent id order, so
    // two moves in opposite directions cannot deadlock.
    await queryRunner.query(`
      CREATE FUNCTION agent_loads_count_tickets() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        was_owner uuid;
        now_owner uuid;
      BEGIN
        IF TG_OP <> 'INSERT' AND OLD.status IN ('open', 'waiting_on_customer') THEN
          was_owner := OLD.owner_id;
        END IF;
        IF TG_OP <> 'DELETE' AND NEW.status IN ('open', 'waiting_on_customer') THEN
          now_owner := NEW.owner_id;
        END IF;
        IF was_owner IS NOT DISTINCT FROM now_owner THEN
          RETURN NULL;
        END IF;
        IF was_owner IS NOT NULL AND now_owner IS NOT NULL THEN
          PERFORM 1 FROM agent_loads WHERE agent_id IN (was_owner, now_owner)
            ORDER BY agent_id FOR NO KEY UPDATE;
        END IF;
        IF was_owner IS NOT NULL THEN
          UPDATE agent_loads SET open_count = open_count - 1 WHERE agent_id = was_owner;
        END IF;
        IF now_owner IS NOT NULL THEN
          INSERT INTO agent_loads AS l (agent_id, open_count) VALUES (now_owner, 1)
            ON CONFLICT (agent_id) DO UPDATE SET open_count = l.open_count + 1;
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER agent_loads_count_new_tickets AFTER INSERT OR DELETE ON tickets
      FOR EACH ROW EXECUTE FUNCTION agent_loads_count_tickets()`);
    await queryRunner.query(`
      CREATE TRIGGER agent_loads_count_changed_tickets AFTER UPDATE OF owner_id, status ON tickets
      FOR EACH ROW
      WHEN (OLD.owner_id IS DISTINCT FROM NEW.owner_id OR OLD.status IS DISTINCT FROM NEW.status)
      EXECUTE FUNCTION agent_loads_count_tickets()`);
    await queryRunner.query(`
      CREATE FUNCTION agent_loads_note_assignment() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE agent_loads SET last_assigned_at = GREATEST(last_assigned_at, NEW.started_at)
         WHERE agent_id = NEW.agent_id
           AND last_assigned_at IS DISTINCT FROM GREATEST(last_assigned_at, NEW.started_at);
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER agent_loads_note_assignment AFTER INSERT ON ownership_periods
      FOR EACH ROW EXECUTE FUNCTION agent_loads_note_assignment()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER agent_loads_note_assignment ON ownership_periods`);
    await queryRunner.query(`DROP FUNCTION agent_loads_note_assignment()`);
    await queryRunner.query(`DROP TRIGGER agent_loads_count_changed_tickets ON tickets`);
    await queryRunner.query(`DROP TRIGGER agent_loads_count_new_tickets ON tickets`);
    await queryRunner.query(`DROP FUNCTION agent_loads_count_tickets()`);
    await queryRunner.query(`DROP TRIGGER agent_loads_add_agent ON agents`);
    await queryRunner.query(`DROP FUNCTION agent_loads_add_agent()`);
    await queryRunner.query(`DROP TABLE agent_loads`);
  }
}
