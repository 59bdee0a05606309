import { Fixtures } from '../helpers/factories';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { expectForbidden, expectNotFound, ticketState } from './access-helpers';

let app: TestApp;
let f: Fixtures;

beforeAll(async () => {
  app = await startTestApp();
  f = new Fixtures(app);
});
afterAll(() => app.close());

/** A staffed team whose first rep owns a fresh ticket. */
async function scene() {
  const staffed = await f.staffedTeam();
  const owner = staffed.reps[0]!;
  const other = staffed.reps[1]!;
  const ticket = await f.ticket(owner.token, staffed.customer.id);
  return { ...staffed, owner, other, ticket };
}

describe("Supervisor of the ticket's team", () => {
  it('when the supervisor PATCHes a ticket of its team, then it is 200 and the version goes up', async () => {
    const s = await scene();
    const res = await f
      .as(s.supervisor.token)
      .patch(`/tickets/${s.ticket.id}`, { priority: 'urgent', category: 'billing' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      priority: 'urgent',
      category: 'billing',
      ownerId: s.owner.id,
      version: s.ticket.version + 1,
    });
  });

  it('when the supervisor reassigns a ticket of its team with a reason, then the new owner owns it and the timeline says why', async () => {
    const s = await scene();
    const res = await f.as(s.supervisor.token).post(`/tickets/${s.ticket.id}/reassign`, {
      toAgentId: s.other.id,
      reason: 'Owner is overloaded',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ownerId: s.other.id, version: s.ticket.version + 1 });
    const timeline = await f.as(s.supervisor.token).get(`/tickets/${s.ticket.id}/timeline`);
    expect(timeline.body.items).toContainEqual(
      expect.objectContaining({
        type: 'owner_changed',
        actorId: s.supervisor.id,
        data: expect.objectContaining({
          fromAgentId: s.owner.id,
          toAgentId: s.other.id,
          reason: 'reassigned',
        }),
      }),
    );
  });

  it('when the supervisor has reassigned a ticket, then the former owner can no longer post updates (403)', async () => {
    const s = await scene();
    await f
      .as(s.supervisor.token)
      .post(`/tickets/${s.ticket.id}/reassign`, { toAgentId: s.other.id, reason: 'Rebalancing' })
      .expect(200);
    const before = await ticketState(app.dataSource, s.ticket.id);
    expectForbidden(
      await f
        .as(s.owner.token)
        .post(`/tickets/${s.ticket.id}/updates`, { body: 'Still mine?', visibility: 'public' }),
    );
    expect(await ticketState(app.dataSource, s.ticket.id)).toEqual(before);
  });

  it('when an admin reassigns a ticket of any team, then it is 200', async () => {
    const s = await scene();
    const res = await f
      .admin()
      .post(`/tickets/${s.ticket.id}/reassign`, { toAgentId: s.other.id, reason: 'Admin move' });
    expect(res.status).toBe(200);
    expect(res.body.ownerId).toBe(s.other.id);
  });
});

describe('Reps cannot reassign', () => {
  it('when a rep of the team (not the owner) reassigns a ticket, then it is 403 and nothing changes', async () => {
    const s = await scene();
    const before = await ticketState(app.dataSource, s.ticket.id);
    const res = await f
      .as(s.other.token)
      .post(`/tickets/${s.ticket.id}/reassign`, { toAgentId: s.other.id, reason: 'I want it' });
    expectForbidden(res);
    expect(await ticketState(app.dataSource, s.ticket.id)).toEqual(before);
  });

  it('when the owning rep reassigns its own ticket, then it is 403 (owners hand off instead) and nothing changes', async () => {
    const s = await scene();
    const before = await ticketState(app.dataSource, s.ticket.id);
    const res = await f.as(s.owner.token).post(`/tickets/${s.ticket.id}/reassign`, {
      toAgentId: s.other.id,
      reason: 'Getting rid of it',
    });
    expectForbidden(res);
    expect(await ticketState(app.dataSource, s.ticket.id)).toEqual(before);
  });
});

describe('Supervisor of another team', () => {
  it('when a supervisor of another team reads the ticket or its timeline, then both are 404', async () => {
    const s = await scene();
    const foreign = (await f.staffedTeam({ reps: 0 })).supervisor;
    expectNotFound(await f.as(foreign.token).get(`/tickets/${s.ticket.id}`));
    expectNotFound(await f.as(foreign.token).get(`/tickets/${s.ticket.id}/timeline`));
  });

  it('when a supervisor of another team PATCHes the ticket, then it is 404 and nothing changes', async () => {
    const s = await scene();
    const foreign = (await f.staffedTeam({ reps: 0 })).supervisor;
    const before = await ticketState(app.dataSource, s.ticket.id);
    expectNotFound(
      await f.as(foreign.token).patch(`/tickets/${s.ticket.id}`, { priority: 'urgent' }),
    );
    expect(await ticketState(app.dataSource, s.ticket.id)).toEqual(before);
  });

  it('when a supervisor of another team reassigns the ticket, then it is 404 and nothing changes', async () => {
    const s = await scene();
    const foreign = (await f.staffedTeam({ reps: 0 })).supervisor;
    const before = await ticketState(app.dataSource, s.ticket.id);
    const res = await f.as(foreign.token).post(`/tickets/${s.ticket.id}/reassign`, {
      toAgentId: s.other.id,
      reason: 'Not mine to move',
    });
    expectNotFound(res);
    expect(await ticketState(app.dataSource, s.ticket.id)).toEqual(before);
  });

  it('when a supervisor of another team posts updates, resolves or hands off the ticket, then each is 404 and nothing changes', async () => {
    const s = await scene();
    const foreign = (await f.staffedTeam({ reps: 0 })).supervisor;
    const before = await ticketState(app.dataSource, s.ticket.id);
    const as = f.as(foreign.token);
    expectNotFound(
      await as.post(`/tickets/${s.ticket.id}/updates`, { body: 'Hi', visibility: 'public' }),
    );
    expectNotFound(
      await as.post(`/tickets/${s.ticket.id}/resolve`, {
        resolution: 'Done',
        rootCause: { silo: 'network', category: 'outage' },
      }),
    );
    expectNotFound(
      await as.post(`/tickets/${s.ticket.id}/handoffs`, { toAgentId: s.other.id, note: 'Take it' }),
    );
    expectNotFound(await as.post(`/tickets/${s.ticket.id}/customer-messages`, { body: 'Called' }));
    expect(await ticketState(app.dataSource, s.ticket.id)).toEqual(before);
  });
});
