import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Live events for the console: every timeline event, in the transaction that records it, is
 * announced on the channel ownit_events (delivered at commit, to every API process listening), and
 * the timeline's seq is the event id clients resume from. Who is viewing which ticket lives in an
 * unlogged table: it is worth nothing after a crash, and heartbeats rebuild it in seconds.
 */
export class AddLiveEventsAndPresence1796166560074 implements MigrationInterface {
  name = 'AddLiveEventsAndPresence1796166560074';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE UNIQUE INDEX timeline_events_seq_key ON timeline_events (seq)`);
    await queryRunner.query(`
      CREATE FUNCTION timeline_events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('ownit_events', json_build_object(
          'seq', NEW.seq::text,
          'ticketId', NEW.ticket_id,
          'type', NEW.type,
          'at', NEW.at,
          'handoffId', NEW.data->>'handoffId',
          'toAgentId', NEW.data->>'toAgentId',
          'consultId', NEW.data->>'consultId'
        )::text);
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER timeline_events_notify
      AFTER INSERT ON timeline_events
      FOR EACH ROW EXECUTE FUNCTION timeline_events_notify()`);
    await queryRunner.query(`
      CREATE UNLOGGED TABLE ticket_presence (
        ticket_id uuid NOT NULL,
        agent_id uuid NOT NULL,
        since timestamptz NOT NULL,
        seen_at timestamptz NOT NULL,
        PRIMARY KEY (ticket_id, agent_id)
      )`);
    await queryRunner.query(`CREATE INDEX ticket_presence_seen_idx ON ticket_presence (seen_at)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ticket_presence`);
    await queryRunner.query(`DROP TRIGGER timeline_events_notify ON timeline_events`);
    await queryRunner.query(`DROP FUNCTION timeline_events_notify()`);
    await queryRunner.query(`DROP INDEX timeline_events_seq_key`);
  }
}
