import { Fixtures, unique } from '../helpers/factories';
import { startTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let f: Fixtures;

beforeAll(async () => {
  app = await startTestApp();
  f = new Fixtures(app);
});
afterAll(() => app.close());

/** No response body other than POST /agents (and a rotation) may carry the token in any field. */
function expectNoToken(body: unknown, token: string): void {
  const text = JSON.stringify(body);
  expect(text).not.toContain(token);
  expect(Object.keys(body as object).filter((key) => /token/i.test(key))).toEqual([]);
}

describe('The API token is shown once', () => {
  it('when an admin creates an agent, then the response carries a token that authenticates as that agent', async () => {
    const team = await f.team();
    const name = unique('Rep');
    const res = await f
      .admin()
      .post('/agents', { name, email: `${name}@example.test`, role: 'rep', teamId: team.id });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name,
      role: 'rep',
      teamId: team.id,
      token: expect.any(String),
    });
    expect(res.body.token.length).toBeGreaterThanOrEqual(32);
    const me = await f.as(res.body.token).get('/me');
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(res.body.id);
  });

  it('when the agent reads GET /me, then no token field is returned', async () => {
    const { reps } = await f.staffedTeam({ reps: 1 });
    const res = await f.as(reps[0]!.token).get('/me');
    expect(res.status).toBe(200);
    expectNoToken(res.body, reps[0]!.token);
  });

  it('when an admin or a teammate reads GET /agents/:id, then no token field is returned', async () => {
    const { reps } = await f.staffedTeam();
    const target = reps[0]!;
    for (const token of [app.adminToken, reps[1]!.token, target.token]) {
      const res = await f.as(token).get(`/agents/${target.id}`);
      expect(res.status).toBe(200);
      expect(res.body.id).toBe(target.id);
      expectNoToken(res.body, target.token);
    }
  });

  it('when agents are listed or updated, then no token field is returned', async () => {
    const { team, reps } = await f.staffedTeam();
    const list = await f.admin().get(`/agents?teamId=${team.id}`);
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(3);
    for (const item of list.body.items) expectNoToken(item, reps[0]!.token);
    expect(JSON.stringify(list.body)).not.toContain(reps[1]!.token);

    const patched = await f.admin().patch(`/agents/${reps[0]!.id}`, { capacity: 7 });
    expect(patched.status).toBe(200);
    expectNoToken(patched.body, reps[0]!.token);
  });

  it('when the agents table is read directly, then token_hash does not hold the token in clear', async () => {
    const { reps } = await f.staffedTeam({ reps: 1 });
    const rep = reps[0]!;
    const [row] = await app.dataSource.query(
      `SELECT token_hash, row_to_json(a)::text AS whole FROM agents a WHERE a.id = $1`,
      [rep.id],
    );
    expect(row.token_hash).toEqual(expect.any(String));
    expect(row.token_hash.length).toBeGreaterThan(0);
    expect(row.token_hash).not.toBe(rep.token);
    expect(row.token_hash).not.toContain(rep.token);
    // Not even a recognisable part of it (everything after the prefix).
    expect(row.whole).not.toContain(rep.token.slice(-20));
  });

  it('when two agents are created, then they get different tokens and different hashes', async () => {
    const { reps } = await f.staffedTeam();
    expect(reps[0]!.token).not.toBe(reps[1]!.token);
    const rows = await app.dataSource.query(
      `SELECT DISTINCT token_hash FROM agents WHERE id = ANY($1::uuid[])`,
      [[reps[0]!.id, reps[1]!.id]],
    );
    expect(rows).toHaveLength(2);
  });
});
