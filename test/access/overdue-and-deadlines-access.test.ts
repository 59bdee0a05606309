import { Fixtures } from '../helpers/factories';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { expectForbidden, expectNotFound, PROBLEM_CONTENT_TYPE } from './access-helpers';

/**
 * API.md: `GET /overdue?teamId=` (supervisor, admin) and `GET /tickets/:id/deadlines` (a reader of
 * the ticket). These check who may call them.
 */
let app: TestApp;
let f: Fixtures;

beforeAll(async () => {
  app = await startTestApp();
  f = new Fixtures(app);
});
afterAll(() => app.close());

describe('GET /overdue (supervisor, admin)', () => {
  it('when a rep asks for the overdue list of its own team, then it is 403', async () => {
    const { team, reps } = await f.staffedTeam({ reps: 1 });
    expectForbidden(await f.as(reps[0]!.token).get(`/overdue?teamId=${team.id}`));
  });

  it('when an integration asks for the overdue list, then it is 403', async () => {
    const { team } = await f.staffedTeam({ reps: 0 });
    const integration = await f.agent('integration', team.id);
    expectForbidden(await f.as(integration.token).get(`/overdue?teamId=${team.id}`));
  });

  it('when a supervisor asks for the overdue list of its own team, then it is 200 with a list', async () => {
    const { team, supervisor } = await f.staffedTeam({ reps: 1 });
    const res = await f.as(supervisor.token).get(`/overdue?teamId=${team.id}`);
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual(expect.any(Array));
  });

  it('when a supervisor asks for the overdue list of another team, then it is refused (403 or 404)', async () => {
    const { supervisor } = await f.staffedTeam({ reps: 0 });
    const other = await f.staffedTeam({ reps: 1 });
    const res = await f.as(supervisor.token).get(`/overdue?teamId=${other.team.id}`);
    expect([403, 404]).toContain(res.status);
    expect(res.headers['content-type']).toMatch(PROBLEM_CONTENT_TYPE);
    expect(res.body.detail).not.toMatch(/No route/i);
  });

  it('when an admin asks for the overdue list of any team, then it is 200 with a list', async () => {
    const { team } = await f.staffedTeam({ reps: 1 });
    const res = await f.admin().get(`/overdue?teamId=${team.id}`);
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual(expect.any(Array));
  });
});

describe('GET /tickets/:id/deadlines', () => {
  it("when a teammate reads a ticket's deadlines, then it is 200", async () => {
    const { reps, customer } = await f.staffedTeam();
    const ticket = await f.ticket(reps[0]!.token, customer.id);
    const res = await f.as(reps[1]!.token).get(`/tickets/${ticket.id}/deadlines`);
    expect(res.status).toBe(200);
  });

  it("when a rep of another team reads a ticket's deadlines, then it is 404 like a missing ticket", async () => {
    const { reps, customer } = await f.staffedTeam({ reps: 1 });
    const ticket = await f.ticket(reps[0]!.token, customer.id);
    const stranger = (await f.staffedTeam({ reps: 1 })).reps[0]!;
    const res = await f.as(stranger.token).get(`/tickets/${ticket.id}/deadlines`);
    expectNotFound(res);
    expect(res.body.detail).not.toMatch(/No route/i);
  });
});
