import { ALWAYS_OPEN, Fixtures, unique, type AgentFixture } from '../helpers/factories';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { agentRow, expectForbidden, expectNotFound, teamRow } from './access-helpers';

let app: TestApp;
let f: Fixtures;

beforeAll(async () => {
  app = await startTestApp();
  f = new Fixtures(app);
});
afterAll(() => app.close());

type NonAdmin = 'rep' | 'supervisor' | 'integration';
const NON_ADMINS: NonAdmin[] = ['rep', 'supervisor', 'integration'];

/** A team and one caller of the given role, who belongs to the team. */
async function callerOf(
  role: NonAdmin,
): Promise<{ team: { id: string; name: string }; caller: AgentFixture }> {
  const team = await f.team();
  const caller = await f.agent(role, team.id);
  return { team, caller };
}

const count = async (sql: string, params: unknown[]) =>
  (await app.dataSource.query(sql, params))[0].n as number;

describe('Admin-only writes', () => {
  it.each(NON_ADMINS)(
    'when a %s sends POST /teams, then it is 403 and no team is created',
    async (role) => {
      const { caller } = await callerOf(role);
      const name = unique('Team');
      const res = await f
        .as(caller.token)
        .post('/teams', { name, timezone: 'Europe/Berlin', businessHours: ALWAYS_OPEN });
      expectForbidden(res);
      expect(await count(`SELECT count(*)::int AS n FROM teams WHERE name = $1`, [name])).toBe(0);
    },
  );

  it.each(NON_ADMINS)(
    'when a %s sends PATCH /teams/:id (its own team for staff), then it is 403 and the team is unchanged',
    async (role) => {
      const { team, caller } = await callerOf(role);
      const before = await teamRow(app.dataSource, team.id);
      const res = await f
        .as(caller.token)
        .patch(`/teams/${team.id}`, { name: unique('Renamed'), holidays: ['2030-01-01'] });
      expectForbidden(res);
      expect(await teamRow(app.dataSource, team.id)).toEqual(before);
    },
  );

  it.each(NON_ADMINS)(
    'when a %s sends POST /agents, then it is 403 and no agent is created',
    async (role) => {
      const { team, caller } = await callerOf(role);
      const email = `${unique('newcomer')}@example.test`;
      const res = await f
        .as(caller.token)
        .post('/agents', { name: 'Newcomer', email, role: 'admin', teamId: team.id });
      expectForbidden(res);
      expect(res.text).not.toMatch(/"token"/);
      expect(await count(`SELECT count(*)::int AS n FROM agents WHERE email = $1`, [email])).toBe(
        0,
      );
    },
  );

  it('when an admin sends the same writes, then they succeed (the refusals above are about the role)', async () => {
    const team = await f.team();
    const renamed = unique('Renamed');
    const patched = await f.admin().patch(`/teams/${team.id}`, { name: renamed });
    expect(patched.status).toBe(200);
    expect(patched.body.name).toBe(renamed);
    const email = `${unique('newcomer')}@example.test`;
    const created = await f
      .admin()
      .post('/agents', { name: 'Newcomer', email, role: 'rep', teamId: team.id });
    expect(created.status).toBe(201);
  });
});

describe('Reading teams', () => {
  it('when a rep reads its own team, then it is 200', async () => {
    const { team, reps } = await f.staffedTeam({ reps: 1 });
    const res = await f.as(reps[0]!.token).get(`/teams/${team.id}`);
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(team.id);
  });

  it.each(['rep', 'supervisor'] as const)(
    'when a %s reads another team, then it is 404 like a team that does not exist',
    async (role) => {
      const { caller } = await callerOf(role);
      const other = await f.team();
      const res = await f.as(caller.token).get(`/teams/${other.id}`);
      expectNotFound(res);
      expect(res.text).not.toContain(other.name);
    },
  );

  it('when a rep lists teams, then it sees only its own team', async () => {
    const { team, reps } = await f.staffedTeam({ reps: 1 });
    await f.team();
    const res = await f.as(reps[0]!.token).get('/teams');
    expect(res.status).toBe(200);
    expect(res.body.items.map((t: { id: string }) => t.id)).toEqual([team.id]);
  });
});

describe('Reading agents', () => {
  it('when a rep reads a teammate, then it is 200', async () => {
    const { reps } = await f.staffedTeam();
    const res = await f.as(reps[0]!.token).get(`/agents/${reps[1]!.id}`);
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(reps[1]!.id);
  });

  it.each(['rep', 'supervisor', 'integration'] as const)(
    "when a %s reads another team's agent, then it is 404 and nothing about the agent leaks",
    async (role) => {
      const { caller } = await callerOf(role);
      const stranger = (await f.staffedTeam({ reps: 1 })).reps[0]!;
      const res = await f.as(caller.token).get(`/agents/${stranger.id}`);
      expectNotFound(res);
      expect(res.text).not.toContain(stranger.email);
      expect(res.text).not.toContain(stranger.name);
    },
  );

  it("when a rep lists agents with another team's id, then it is 403", async () => {
    const { caller } = await callerOf('rep');
    const other = await f.team();
    expectForbidden(await f.as(caller.token).get(`/agents?teamId=${other.id}`));
  });

  it('when a rep lists agents, then it sees only its own team', async () => {
    const { team, reps } = await f.staffedTeam();
    await f.staffedTeam({ reps: 1 });
    const res = await f.as(reps[0]!.token).get('/agents?limit=200');
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(3);
    expect(new Set(res.body.items.map((a: { teamId: string }) => a.teamId))).toEqual(
      new Set([team.id]),
    );
  });

  it("when a rep asks for a teammate's new token, then it is refused and the teammate's token keeps working", async () => {
    const { reps } = await f.staffedTeam();
    const before = await agentRow(app.dataSource, reps[1]!.id);
    const res = await f.as(reps[0]!.token).post(`/agents/${reps[1]!.id}/token`);
    expect([403, 404]).toContain(res.status);
    expect(res.text).not.toMatch(/"token"/);
    expect(await agentRow(app.dataSource, reps[1]!.id)).toEqual(before);
    expect((await f.as(reps[1]!.token).get('/me')).status).toBe(200);
  });
});
