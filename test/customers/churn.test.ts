import { Fixtures } from '../helpers/factories';
import { startTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let f: Fixtures;

beforeAll(async () => {
  app = await startTestApp();
  f = new Fixtures(app);
});
afterAll(() => app.close());

const errorPaths = (res: { body: { errors?: Array<{ path: string }> } }) =>
  (res.body.errors ?? []).map((e) => e.path);

async function churnRow(customerId: string) {
  const [row] = await app.dataSource.query(
    `SELECT churned_at, churn_reason FROM customers WHERE id = $1`,
    [customerId],
  );
  return row as { churned_at: Date | null; churn_reason: string | null };
}

describe('POST /customers/:id/churn', () => {
  it('when a supervisor marks a customer churned without a time, then it is churned now with the reason', async () => {
    const { supervisor, customer } = await f.staffedTeam({ reps: 0 });
    // The supervisor's team serves the customer (has a ticket for them).
    await f.ticket(supervisor.token, customer.id);
    const before = Date.now();

    const res = await f
      .as(supervisor.token)
      .post(`/customers/${customer.id}/churn`, { reason: 'Moved to a competitor' });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: customer.id, churnReason: 'Moved to a competitor' });
    const churnedAt = Date.parse(res.body.churnedAt);
    expect(churnedAt).toBeGreaterThanOrEqual(before - 1000);
    expect(churnedAt).toBeLessThanOrEqual(Date.now());
    const row = await churnRow(customer.id);
    expect(row.churn_reason).toBe('Moved to a competitor');
    expect(row.churned_at?.toISOString()).toBe(res.body.churnedAt);
    const read = await f.admin().get(`/customers/${customer.id}`);
    expect(read.body).toMatchObject({
      churnedAt: res.body.churnedAt,
      churnReason: 'Moved to a competitor',
    });
  });

  it('when an admin marks a churned customer again with a past time, then the time and reason are replaced', async () => {
    const customer = await f.customer();
    await f.admin().post(`/customers/${customer.id}/churn`, { reason: 'First guess' }).expect(200);

    const res = await f.admin().post(`/customers/${customer.id}/churn`, {
      reason: 'Cancelled after the third missed visit',
      at: '2026-01-15T10:30:00+01:00',
    });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      churnedAt: '2026-01-15T09:30:00.000Z',
      churnReason: 'Cancelled after the third missed visit',
    });
    expect((await churnRow(customer.id)).churned_at?.toISOString()).toBe(
      '2026-01-15T09:30:00.000Z',
    );
  });

  it('when a rep or an integration marks churn, then it gets 403 and the customer is unchanged', async () => {
    const { team, reps, customer } = await f.staffedTeam({ reps: 1 });
    const integration = await f.agent('integration', team.id);

    for (const token of [reps[0]!.token, integration.token]) {
      const res = await f.as(token).post(`/customers/${customer.id}/churn`, { reason: 'Gone' });
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    expect(await churnRow(customer.id)).toEqual({ churned_at: null, churn_reason: null });
  });

  it('when the time is in the future, then it gets a 400 naming at and nothing changes', async () => {
    const customer = await f.customer();
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();

    const res = await f
      .admin()
      .post(`/customers/${customer.id}/churn`, { reason: 'Will leave', at: tomorrow });

    expect(res.status).toBe(400);
    expect(errorPaths(res)).toEqual(['at']);
    expect(await churnRow(customer.id)).toEqual({ churned_at: null, churn_reason: null });
  });

  it('when the reason is missing or blank, or at is not a time, then it gets a 400 naming the field', async () => {
    const customer = await f.customer();

    const missing = await f.admin().post(`/customers/${customer.id}/churn`, {});
    const blank = await f.admin().post(`/customers/${customer.id}/churn`, { reason: '   ' });
    const badTime = await f
      .admin()
      .post(`/customers/${customer.id}/churn`, { reason: 'Gone', at: 'last tuesday' });
    const unknown = await f
      .admin()
      .post(`/customers/${customer.id}/churn`, { reason: 'Gone', churned: true });

    expect(missing.status).toBe(400);
    expect(errorPaths(missing)).toEqual(['reason']);
    expect(blank.status).toBe(400);
    expect(errorPaths(blank)).toEqual(['reason']);
    expect(badTime.status).toBe(400);
    expect(errorPaths(badTime)).toEqual(['at']);
    expect(unknown.status).toBe(400);
    expect(errorPaths(unknown)).toEqual(['churned']);
    expect(await churnRow(customer.id)).toEqual({ churned_at: null, churn_reason: null });
  });

  it('when the customer does not exist, then it gets a 404', async () => {
    const res = await f
      .admin()
      .post('/customers/00000000-0000-4000-8000-000000000000/churn', { reason: 'Gone' });

    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });
});
