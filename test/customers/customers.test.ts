import { startTestApp, type TestApp } from '../helpers/test-app';
import { Fixtures, unique } from '../helpers/factories';

let app: TestApp;
let f: Fixtures;

beforeAll(async () => {
  app = await startTestApp();
  f = new Fixtures(app);
});
afterAll(() => app.close());

const errorPaths = (res: { body: { errors?: Array<{ path: string }> } }) =>
  (res.body.errors ?? []).map((e) => e.path);

function newPerson(prefix: string) {
  const name = unique(prefix);
  return { name, email: `${name.toLowerCase()}@example.test` };
}

describe('POST /customers and GET /customers/:id', () => {
  it('when a customer is created with only name and email, then tier is standard and locale en', async () => {
    const body = newPerson('Customer');

    const res = await f.admin().post('/customers', body);

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ ...body, tier: 'standard', locale: 'en' });
    expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('when a rep reads a customer by id, then it gets the same customer', async () => {
    const { reps } = await f.staffedTeam({ reps: 1 });
    const created = await f.customer({ tier: 'vip', locale: 'de-DE' });

    const res = await f.as(reps[0]!.token).get(`/customers/${created.id}`);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: created.id,
      email: created.email,
      tier: 'vip',
      locale: 'de-DE',
    });
  });

  it('when the email is not an address, then it gets a 400 naming email', async () => {
    const res = await f
      .admin()
      .post('/customers', { ...newPerson('Customer'), email: 'not-an-email' });

    expect(res.status).toBe(400);
    expect(errorPaths(res)).toEqual(['email']);
  });

  it('when the tier is not one of standard, high_value, vip, then it gets a 400 naming tier', async () => {
    const res = await f.admin().post('/customers', { ...newPerson('Customer'), tier: 'gold' });

    expect(res.status).toBe(400);
    expect(errorPaths(res)).toEqual(['tier']);
  });

  it('when the customer does not exist, then it gets a 404 problem', async () => {
    const res = await f.admin().get('/customers/00000000-0000-4000-8000-000000000000');

    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });
});

describe('POST /agents', () => {
  it('when a rep is created without teamId, then it gets a 400 naming teamId and no agent exists', async () => {
    const body = { ...newPerson('Rep'), role: 'rep' };

    const res = await f.admin().post('/agents', body);

    expect(res.status).toBe(400);
    expect(errorPaths(res)).toEqual(['teamId']);
    const rows = await app.dataSource.query(`SELECT 1 FROM agents WHERE email = $1`, [body.email]);
    expect(rows).toHaveLength(0);
  });

  it('when the email is already used (in any letter case), then it gets a 409', async () => {
    const team = await f.team();
    const first = await f.agent('rep', team.id);

    const res = await f.admin().post('/agents', {
      name: unique('Rep'),
      email: first.email.toUpperCase(),
      role: 'rep',
      teamId: team.id,
    });

    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('when an agent is created, then its token is returned once, works, and is never shown again', async () => {
    const team = await f.team();
    const body = { ...newPerson('Rep'), role: 'rep', teamId: team.id };

    const res = await f.admin().post('/agents', body);

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      ...body,
      capacity: expect.any(Number),
      token: expect.any(String),
    });
    const me = await f.as(res.body.token).get('/me');
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(res.body.id);
    expect(me.body).not.toHaveProperty('token');
    const fetched = await f.admin().get(`/agents/${res.body.id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body).not.toHaveProperty('token');
    expect(JSON.stringify(fetched.body)).not.toContain(res.body.token);
    const [row] = await app.dataSource.query(`SELECT * FROM agents WHERE id = $1`, [res.body.id]);
    expect(JSON.stringify(row)).not.toContain(res.body.token);
  });
});
