import { expectUnauthenticated } from './access-helpers';
import { Fixtures } from '../helpers/factories';
import { startTestApp, type TestApp } from '../helpers/test-app';

/** Deactivation kills a token for good: coming back means a new token, shown once. */
let app: TestApp;
let f: Fixtures;

beforeAll(async () => {
  app = await startTestApp();
  f = new Fixtures(app);
});
afterAll(() => app.close());

describe('reactivating an agent', () => {
  it('when a deactivated agent is reactivated, then its old token stays dead and a new one, returned once, works', async () => {
    const team = await f.team();
    const agent = await f.agent('rep', team.id);
    expect((await f.as(agent.token).get('/me')).status).toBe(200);

    await f.admin().patch(`/agents/${agent.id}`, { active: false }).expect(200);
    expectUnauthenticated(await f.as(agent.token).get('/me'));

    const back = await f.admin().patch(`/agents/${agent.id}`, { active: true });
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ id: agent.id, active: true, token: expect.any(String) });
    expect(back.body.token).not.toBe(agent.token);

    expectUnauthenticated(await f.as(agent.token).get('/me'));
    const me = await f.as(back.body.token).get('/me');
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(agent.id);

    // Shown once: reading the agent, or patching it while active, never returns a token.
    expect((await f.admin().get(`/agents/${agent.id}`)).body).not.toHaveProperty('token');
    const again = await f.admin().patch(`/agents/${agent.id}`, { active: true });
    expect(again.status).toBe(200);
    expect(again.body).not.toHaveProperty('token');
    expect((await f.as(back.body.token).get('/me')).status).toBe(200);
  });
});
