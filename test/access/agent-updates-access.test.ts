import { Fixtures } from '../helpers/factories';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { agentRow, expectForbidden, expectNotFound } from './access-helpers';

let app: TestApp;
let f: Fixtures;

beforeAll(async () => {
  app = await startTestApp();
  f = new Fixtures(app);
});
afterAll(() => app.close());

const row = (id: string) => agentRow(app.dataSource, id);

describe('A rep updating itself', () => {
  it('when a rep sets its own away, then it is 200 and the agent is away', async () => {
    const { reps } = await f.staffedTeam({ reps: 1 });
    const rep = reps[0]!;
    const res = await f.as(rep.token).patch(`/agents/${rep.id}`, { away: true });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: rep.id, away: true });
    expect((await row(rep.id)).away).toBe(true);
  });

  it('when a rep sets its own capacity, then it is 403 and the agent is unchanged', async () => {
    const { reps } = await f.staffedTeam({ reps: 1 });
    const rep = reps[0]!;
    const before = await row(rep.id);
    expectForbidden(await f.as(rep.token).patch(`/agents/${rep.id}`, { capacity: 999 }));
    expect(await row(rep.id)).toEqual(before);
  });

  it('when a rep sets its own away together with capacity, then it is 403 and neither changes', async () => {
    const { reps } = await f.staffedTeam({ reps: 1 });
    const rep = reps[0]!;
    const before = await row(rep.id);
    expectForbidden(
      await f.as(rep.token).patch(`/agents/${rep.id}`, { away: true, capacity: 999 }),
    );
    expect(await row(rep.id)).toEqual(before);
  });

  it.each([false, true])(
    'when a rep sets its own active to %s, then it is 403 and the agent is unchanged',
    async (active) => {
      const { reps } = await f.staffedTeam({ reps: 1 });
      const rep = reps[0]!;
      const before = await row(rep.id);
      expectForbidden(await f.as(rep.token).patch(`/agents/${rep.id}`, { active }));
      expect(await row(rep.id)).toEqual(before);
      expect((await f.as(rep.token).get('/me')).status).toBe(200);
    },
  );
});

describe('A rep updating others', () => {
  it("when a rep sets a teammate's away, then it is 403 and the teammate is unchanged", async () => {
    const { reps } = await f.staffedTeam();
    const before = await row(reps[1]!.id);
    expectForbidden(await f.as(reps[0]!.token).patch(`/agents/${reps[1]!.id}`, { away: true }));
    expect(await row(reps[1]!.id)).toEqual(before);
  });

  it("when a rep changes another team's agent, then it is 404 and that agent is unchanged", async () => {
    const { reps } = await f.staffedTeam({ reps: 1 });
    const stranger = (await f.staffedTeam({ reps: 1 })).reps[0]!;
    const before = await row(stranger.id);
    expectNotFound(await f.as(reps[0]!.token).patch(`/agents/${stranger.id}`, { away: true }));
    expect(await row(stranger.id)).toEqual(before);
  });

  it('when an integration changes a rep, then it is refused and the rep is unchanged', async () => {
    const { team, reps } = await f.staffedTeam({ reps: 1 });
    const integration = await f.agent('integration', team.id);
    const before = await row(reps[0]!.id);
    const res = await f.as(integration.token).patch(`/agents/${reps[0]!.id}`, { away: true });
    expect([403, 404]).toContain(res.status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await row(reps[0]!.id)).toEqual(before);
  });
});

describe('A supervisor updating agents', () => {
  it("when a supervisor sets away and capacity of its own team's rep, then it is 200 and both change", async () => {
    const { supervisor, reps } = await f.staffedTeam({ reps: 1 });
    const rep = reps[0]!;
    const res = await f
      .as(supervisor.token)
      .patch(`/agents/${rep.id}`, { away: true, capacity: 3 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ away: true, capacity: 3 });
    expect(await row(rep.id)).toMatchObject({ away: true, capacity: 3, active: true });
  });

  it("when a supervisor deactivates its own team's rep, then it is 403 (admins deactivate) and the rep stays active", async () => {
    const { supervisor, reps } = await f.staffedTeam({ reps: 1 });
    const before = await row(reps[0]!.id);
    expectForbidden(
      await f.as(supervisor.token).patch(`/agents/${reps[0]!.id}`, { active: false }),
    );
    expect(await row(reps[0]!.id)).toEqual(before);
    expect((await f.as(reps[0]!.token).get('/me')).status).toBe(200);
  });

  it("when a supervisor sets away or capacity of another team's rep, then it is 404 and the rep is unchanged", async () => {
    const { supervisor } = await f.staffedTeam({ reps: 0 });
    const stranger = (await f.staffedTeam({ reps: 1 })).reps[0]!;
    const before = await row(stranger.id);
    expectNotFound(await f.as(supervisor.token).patch(`/agents/${stranger.id}`, { capacity: 1 }));
    expectNotFound(await f.as(supervisor.token).patch(`/agents/${stranger.id}`, { away: true }));
    expect(await row(stranger.id)).toEqual(before);
  });

  it('when an admin deactivates a rep, then it is 200 (the refusals above are about the role)', async () => {
    const { reps } = await f.staffedTeam({ reps: 1 });
    const res = await f.admin().patch(`/agents/${reps[0]!.id}`, { active: false, capacity: 1 });
    expect(res.status).toBe(200);
    expect(await row(reps[0]!.id)).toMatchObject({ active: false, capacity: 1 });
  });
});
