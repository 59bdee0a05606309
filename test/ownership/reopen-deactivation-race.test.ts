import { Client } from 'pg';
import { Fixtures } from '../helpers/factories';
import { startTestApp, type TestApp } from '../helpers/test-app';

/**
 * A reopen racing a deactivation must not leave an open ticket with an inactive owner. The race
 * is made deterministic: the deactivation holds the agent's row (as PATCH /agents does, having
 * found no open ticket to move) while the reopen runs, and commits a moment later.
 */
let app: TestApp;
let f: Fixtures;

beforeAll(async () => {
  app = await startTestApp();
  f = new Fixtures(app);
});
afterAll(() => app.close());

describe('reopen racing deactivation', () => {
  it('when an owner is being deactivated while the ticket is reopened, then the reopened ticket gets an active owner', async () => {
    const { reps, customer } = await f.staffedTeam({ reps: 2 });
    const [leaver, stayer] = [reps[0]!, reps[1]!];
    const ticket = await f.ticket(leaver.token, customer.id, { subject: 'Bill doubled' });
    const resolved = await f.as(leaver.token).post(`/tickets/${ticket.id}/resolve`, {
      resolution: 'Refunded',
      rootCause: { silo: 'billing', category: 'invoice' },
    });
    expect(resolved.status).toBe(200);

    const deactivation = new Client({ connectionString: app.databaseUrl });
    await deactivation.connect();
    try {
      await deactivation.query('BEGIN');
      await deactivation.query(`UPDATE agents SET active = false WHERE id = $1`, [leaver.id]);
      const reopening = f
        .as(app.adminToken)
        .post(`/tickets/${ticket.id}/reopen`, { reason: 'Charged again' })
        .then((res) => res);
      await new Promise((resolve) => setTimeout(resolve, 500));
      await deactivation.query('COMMIT');
      expect((await reopening).status).toBe(200);
    } finally {
      await deactivation.end();
    }

    const [row] = await app.dataSource.query(
      `SELECT t.status, t.owner_id, a.active FROM tickets t JOIN agents a ON a.id = t.owner_id
        WHERE t.id = $1`,
      [ticket.id],
    );
    expect(row).toMatchObject({ status: 'open', active: true, owner_id: stayer.id });
  });
});
