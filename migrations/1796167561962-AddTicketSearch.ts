import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Full-text search over tickets (GET /tickets?q=, GET /search): one row per ticket in
 * ticket_search, kept by triggers in the transaction of every change, so no write path can forget
 * it. `document` holds what the ticket's readers see (ref and subject A, customer B, description
 * C, public updates and customer messages D), `notes` the internal notes (staff only). Text is
 * indexed with English and German stemming (and the simple configuration for refs, names and
 * addresses). The GIN indexes lead with team_id (btree_gin), so a rep's search reads only its
 * team's part of the index.
 */
export class AddTicketSearch1796167561962 implements MigrationInterface {
  name = 'AddTicketSearch1796167561962';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS btree_gin`);
    await queryRunner.query(`
      CREATE FUNCTION ticket_search_text(body text, weight "char") RETURNS tsvector
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT setweight(to_tsvector('english', left(coalesce(body, ''), 100000)), weight)
            || setweight(to_tsvector('german', left(coalesce(body, ''), 100000)), weight)
      $$`);
    await queryRunner.query(`
      CREATE TABLE ticket_search (
        ticket_id uuid PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
        team_id uuid NOT NULL,
        document tsvector NOT NULL,
        notes tsvector NOT NULL DEFAULT ''::tsvector
      )`);
    // Rebuilds one ticket's row from the ticket, its customer and its conversation.
    await queryRunner.query(`
      CREATE FUNCTION ticket_search_rebuild(target uuid) RETURNS void LANGUAGE sql AS $$
        INSERT INTO ticket_search (ticket_id, team_id, document, notes)
        SELECT t.id, t.team_id,
               setweight(to_tsvector('simple', t.ref), 'A')
                 || ticket_search_text(t.subject, 'A')
                 || setweight(to_tsvector('simple', coalesce(c.name, '') || ' ' || coalesce(c.email, '')), 'B')
                 || ticket_search_text(t.description, 'C')
                 || ticket_search_text((SELECT string_agg(e.data->>'body', ' ' ORDER BY e.seq)
                                          FROM timeline_events e
                                         WHERE e.ticket_id = t.id
                                           AND e.type IN ('public_update', 'customer_message')), 'D'),
               ticket_search_text((SELECT string_agg(e.data->>'body', ' ' ORDER BY e.seq)
                                     FROM timeline_events e
                                    WHERE e.ticket_id = t.id AND e.type = 'internal_note'), 'D')
          FROM tickets t LEFT JOIN customers c ON c.id = t.customer_id
         WHERE t.id = target
        ON CONFLICT (ticket_id) DO UPDATE
          SET team_id = EXCLUDED.team_id, document = EXCLUDED.document, notes = EXCLUDED.notes
      $$`);
    await queryRunner.query(`
      CREATE FUNCTION ticket_search_on_ticket() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM ticket_search_rebuild(NEW.id);
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER ticket_search_on_insert AFTER INSERT ON tickets
      FOR EACH ROW EXECUTE FUNCTION ticket_search_on_ticket()`);
    await queryRunner.query(`
      CREATE TRIGGER ticket_search_on_update AFTER UPDATE OF subject, description, customer_id, team_id
      ON tickets FOR EACH ROW EXECUTE FUNCTION ticket_search_on_ticket()`);
    // A message adds to the vector; past ~512 kB a ticket's text stops growing (never an error).
    await queryRunner.query(`
      CREATE FUNCTION ticket_search_on_message() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.type = 'internal_note' THEN
          UPDATE ticket_search SET notes = notes || ticket_search_text(NEW.data->>'body', 'D')
           WHERE ticket_id = NEW.ticket_id AND pg_column_size(notes) < 524288;
        ELSE
          UPDATE ticket_search SET document = document || ticket_search_text(NEW.data->>'body', 'D')
           WHERE ticket_id = NEW.ticket_id AND pg_column_size(document) < 524288;
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER ticket_search_on_message AFTER INSERT ON timeline_events
      FOR EACH ROW WHEN (NEW.type IN ('public_update', 'customer_message', 'internal_note'))
      EXECUTE FUNCTION ticket_search_on_message()`);
    await queryRunner.query(`
      CREATE FUNCTION ticket_search_on_customer() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM ticket_search_rebuild(t.id) FROM tickets t WHERE t.customer_id = NEW.id;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER ticket_search_on_customer AFTER UPDATE OF name, email ON customers
      FOR EACH ROW EXECUTE FUNCTION ticket_search_on_customer()`);

    await queryRunner.query(`SELECT ticket_search_rebuild(id) FROM tickets`);
    await queryRunner.query(
      `CREATE INDEX ticket_search_document_idx ON ticket_search USING gin (team_id, document)`,
    );
    await queryRunner.query(
      `CREATE INDEX ticket_search_notes_idx ON ticket_search USING gin (team_id, notes)`,
    );
    // Customers by name or address, for GET /search.
    await queryRunner.query(
      `CREATE INDEX customers_search_idx ON customers
         USING gin (to_tsvector('simple', name || ' ' || email))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX customers_search_idx`);
    await queryRunner.query(`DROP TRIGGER ticket_search_on_customer ON customers`);
    await queryRunner.query(`DROP FUNCTION ticket_search_on_customer()`);
    await queryRunner.query(`DROP TRIGGER ticket_search_on_message ON timeline_events`);
    await queryRunner.query(`DROP FUNCTION ticket_search_on_message()`);
    await queryRunner.query(`DROP TRIGGER ticket_search_on_update ON tickets`);
    await queryRunner.query(`DROP TRIGGER ticket_search_on_insert ON tickets`);
    await queryRunner.query(`DROP FUNCTION ticket_search_on_ticket()`);
    await queryRunner.query(`DROP TABLE ticket_search`);
    await queryRunner.query(`DROP FUNCTION ticket_search_rebuild(uuid)`);
    await queryRunner.query(`DROP FUNCTION ticket_search_text(text, "char")`);
  }
}
