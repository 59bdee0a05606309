import { Fixtures } from '../helpers/factories';
import { startTestApp, type TestApp } from '../helpers/test-app';

/** Issue 9, hole 3: customers are browsed, changed and churned by the teams that serve them. */
let app: TestApp;
let f: Fixtures;

beforeAll(async () => {
  app = await startTestApp();
  f = new Fixtures(app);
});
afterAll(() => app.close());

async function twoTeams() {
  const serving = await f.staffedTeam({ reps: 1 });
  const other = await f.staffedTeam({ reps: 1 });
  await f.ticket(serving.reps[0]!.token, serving.customer.id);
  return { serving, other, customer: serving.customer };
}

async function customerRow(id: string) {
  const [row] = await app.dataSource.query(
    `SELECT email, tier, churned_at FROM customers WHERE id = $1`,
    [id],
  );
  return row as { email: string; tier: string; churned_at: Date | null };
}

describe('customers: browsing, changing and churn by the serving team', () => {
  it("when a rep browses GET /customers, then it lists only customers its team serves, and ?email= still finds another team's customer", async () => {
    const { serving, other, customer } = await twoTeams();

    const mine = await f.as(serving.reps[0]!.token).get('/customers?limit=200').expect(200);
    const theirs = await f.as(other.reps[0]!.token).get('/customers?limit=200').expect(200);
    const byEmail = await f
      .as(other.reps[0]!.token)
      .get(`/customers?email=${encodeURIComponent(customer.email)}`)
      .expect(200);

    expect(mine.body.items.map((c: { id: string }) => c.id)).toContain(customer.id);
    expect(theirs.body.items.map((c: { id: string }) => c.id)).not.toContain(customer.id);
    expect(byEmail.body.items.map((c: { id: string }) => c.id)).toEqual([customer.id]);
  });

  it("when another team's rep changes a customer's email or tier, then it is 403 and nothing changes; the serving team's rep may", async () => {
    const { serving, other, customer } = await twoTeams();
    const before = await customerRow(customer.id);

    const email = await f
      .as(other.reps[0]!.token)
      .patch(`/customers/${customer.id}`, { email: 'attacker@evil.test' });
    const tier = await f
      .as(other.supervisor.token)
      .patch(`/customers/${customer.id}`, { tier: 'vip' });

    expect(email.status).toBe(403);
    expect(email.type).toBe('application/problem+json');
    expect(tier.status).toBe(403);
    expect(await customerRow(customer.id)).toEqual(before);
    await f
      .as(serving.reps[0]!.token)
      .patch(`/customers/${customer.id}`, { tier: 'vip' })
      .expect(200);
    expect((await customerRow(customer.id)).tier).toBe('vip');
  });

  it("when another team's supervisor marks churn or un-churns, then it is 403 and nothing changes", async () => {
    const { serving, other, customer } = await twoTeams();

    const churn = await f
      .as(other.supervisor.token)
      .post(`/customers/${customer.id}/churn`, { reason: 'Left' });
    expect(churn.status).toBe(403);
    expect((await customerRow(customer.id)).churned_at).toBeNull();

    await f
      .as(serving.supervisor.token)
      .post(`/customers/${customer.id}/churn`, { reason: 'Left' })
      .expect(200);
    const undo = await f.as(other.supervisor.token).delete(`/customers/${customer.id}/churn`);
    expect(undo.status).toBe(403);
    expect((await customerRow(customer.id)).churned_at).not.toBeNull();
  });

  it('when DELETE /customers/:id/churn is sent by a serving supervisor, then the customer is no longer churned', async () => {
    const { serving, customer } = await twoTeams();
    await f
      .as(serving.supervisor.token)
      .post(`/customers/${customer.id}/churn`, { reason: 'Moved abroad' })
      .expect(200);

    const res = await f.as(serving.supervisor.token).delete(`/customers/${customer.id}/churn`);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: customer.id, churnedAt: null, churnReason: null });
    expect((await customerRow(customer.id)).churned_at).toBeNull();
  });

  it("when a customer's email and tier change and churn is marked and undone, then the story shows each change: who, field, old and new", async () => {
    const { serving, customer } = await twoTeams();
    const rep = serving.reps[0]!;
    await f
      .as(rep.token)
      .patch(`/customers/${customer.id}`, { email: 'new-address@customer.test', tier: 'vip' })
      .expect(200);
    await f
      .as(serving.supervisor.token)
      .post(`/customers/${customer.id}/churn`, { reason: 'Too slow' })
      .expect(200);
    await f.as(serving.supervisor.token).delete(`/customers/${customer.id}/churn`).expect(200);

    const story = await f.as(serving.supervisor.token).get(`/customers/${customer.id}/story`);

    expect(story.status).toBe(200);
    expect(story.body.changes).toEqual([
      expect.objectContaining({
        field: 'email',
        from: customer.email,
        to: 'new-address@customer.test',
        actorId: rep.id,
      }),
      expect.objectContaining({ field: 'tier', from: 'standard', to: 'vip', actorId: rep.id }),
      expect.objectContaining({ field: 'churnedAt', from: null, actorId: serving.supervisor.id }),
      expect.objectContaining({ field: 'churnReason', from: null, to: 'Too slow' }),
      expect.objectContaining({ field: 'churnedAt', to: null }),
      expect.objectContaining({ field: 'churnReason', from: 'Too slow', to: null }),
    ]);
    expect(story.body.changes[0].summary).toBe(
      `email changed from "${customer.email}" to "new-address@customer.test" by ${rep.name}`,
    );
  });
});
