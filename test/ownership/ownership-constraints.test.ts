import { Fixtures } from '../helpers/factories';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { offer, openPeriodsOf, ticketAs } from './ownership-helpers';

/*
 * The ownership rules hold in Postgres itself: even a statement that bypasses the application
 * cannot leave a ticket without an owner, give it two current owners or rewrite its history.
 */
let app: TestApp;
let f: Fixtures;

beforeAll(async () => {
  app = await startTestApp();
  f = new Fixtures(app);
});
afterAll(() => app.close());

async function ticketOwnedByRep() {
  const { reps, customer, supervisor } = await f.staffedTeam();
  const ticket = await f.ticket(reps[0]!.token, customer.id);
  return { rep: reps[0]!, other: reps[1]!, supervisor, ticket };
}

describe('database constraints on ownership', () => {
  it('when a statement sets a ticket owner to NULL, then Postgres refuses it and the owner stays', async () => {
    const { rep, ticket } = await ticketOwnedByRep();
    await expect(
      app.dataSource.query(`UPDATE tickets SET owner_id = NULL WHERE id = $1`, [ticket.id]),
    ).rejects.toThrow(/owner_id/);
    expect((await ticketAs(f, rep.token, ticket.id)).ownerId).toBe(rep.id);
  });

  it('when a second open ownership period is inserted, then the one-open-period index refuses it', async () => {
    const { other, ticket } = await ticketOwnedByRep();
    await expect(
      app.dataSource.query(
        `INSERT INTO ownership_periods (ticket_id, agent_id, started_at, reason) VALUES ($1, $2, now(), 'reassigned')`,
        [ticket.id, other.id],
      ),
    ).rejects.toThrow(/ownership_periods_one_open/);
    expect(await openPeriodsOf(app, ticket.id)).toHaveLength(1);
  });

  it('when a closed period is reopened beside the current one, then the index refuses it too', async () => {
    const { rep, other, supervisor, ticket } = await ticketOwnedByRep();
    await f
      .as(supervisor.token)
      .post(`/tickets/${ticket.id}/reassign`, { toAgentId: other.id, reason: 'Cover' })
      .expect(200);
    await expect(
      app.dataSource.query(
        `UPDATE ownership_periods SET ended_at = NULL WHERE ticket_id = $1 AND agent_id = $2`,
        [ticket.id, rep.id],
      ),
    ).rejects.toThrow(/ownership_periods_one_open/);
    expect(await openPeriodsOf(app, ticket.id)).toEqual([
      expect.objectContaining({ agent_id: other.id }),
    ]);
  });

  it('when a second pending handoff is inserted for a ticket, then the one-pending index refuses it', async () => {
    const { rep, other, supervisor, ticket } = await ticketOwnedByRep();
    await offer(f, rep.token, ticket.id, other.id);
    await expect(
      app.dataSource.query(
        `INSERT INTO handoffs (ticket_id, from_agent_id, to_agent_id, note, created_at, expires_at)
         VALUES ($1, $2, $3, 'sneaky', now(), now() + interval '1 hour')`,
        [ticket.id, rep.id, supervisor.id],
      ),
    ).rejects.toThrow(/handoffs_one_pending/);
  });

  it('when a timeline event is updated, then the append-only trigger refuses it', async () => {
    const { ticket } = await ticketOwnedByRep();
    await expect(
      app.dataSource.query(
        `UPDATE timeline_events SET type = 'internal_note' WHERE ticket_id = $1`,
        [ticket.id],
      ),
    ).rejects.toThrow(/append-only/);
    const rows = await app.dataSource.query(
      `SELECT type FROM timeline_events WHERE ticket_id = $1`,
      [ticket.id],
    );
    expect(rows.map((r: { type: string }) => r.type)).toContain('created');
    expect(rows.map((r: { type: string }) => r.type)).not.toContain('internal_note');
  });

  it('when a timeline event is deleted, then the append-only trigger refuses it and the event remains', async () => {
    const { ticket } = await ticketOwnedByRep();
    const before = await app.dataSource.query(
      `SELECT count(*)::int AS n FROM timeline_events WHERE ticket_id = $1`,
      [ticket.id],
    );
    await expect(
      app.dataSource.query(`DELETE FROM timeline_events WHERE ticket_id = $1`, [ticket.id]),
    ).rejects.toThrow(/append-only/);
    const after = await app.dataSource.query(
      `SELECT count(*)::int AS n FROM timeline_events WHERE ticket_id = $1`,
      [ticket.id],
    );
    expect(after[0].n).toBe(before[0].n);
    expect(after[0].n).toBeGreaterThan(0);
  });
});
