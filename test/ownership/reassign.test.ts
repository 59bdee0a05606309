import { Fixtures } from '../helpers/factories';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { eventsOfType, offer, openPeriodsOf, periodsOf, ticketAs } from './ownership-helpers';

let app: TestApp;
let f: Fixtures;

beforeAll(async () => {
  app = await startTestApp();
  f = new Fixtures(app);
});
afterAll(() => app.close());

async function ticketOwnedByRepA() {
  const staffed = await f.staffedTeam();
  const [repA, repB] = staffed.reps as [(typeof staffed.reps)[0], (typeof staffed.reps)[0]];
  const ticket = await f.ticket(repA.token, staffed.customer.id);
  return { ...staffed, repA, repB, ticket };
}

describe('POST /tickets/:id/reassign', () => {
  it('when the team supervisor reassigns with a reason, then the new owner is on the ticket, the timeline and the periods', async () => {
    const { supervisor, repA, repB, ticket } = await ticketOwnedByRepA();
    const res = await f.as(supervisor.token).post(`/tickets/${ticket.id}/reassign`, {
      toAgentId: repB.id,
      reason: 'Rep A is overloaded',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: ticket.id,
      ownerId: repB.id,
      version: ticket.version + 1,
    });
    expect(res.headers.etag).toBe(`"${ticket.version + 1}"`);

    expect((await ticketAs(f, repA.token, ticket.id)).ownerId).toBe(repB.id);
    const changed = await eventsOfType(f, supervisor.token, ticket.id, 'owner_changed');
    expect(changed).toEqual([
      expect.objectContaining({
        actorId: supervisor.id,
        data: expect.objectContaining({
          fromAgentId: repA.id,
          toAgentId: repB.id,
          reason: 'reassigned',
          note: 'Rep A is overloaded',
        }),
      }),
    ]);
    const periods = await periodsOf(app, ticket.id);
    expect(periods).toEqual([
      expect.objectContaining({ agent_id: repA.id, ended_at: expect.any(Date) }),
      expect.objectContaining({ agent_id: repB.id, ended_at: null, reason: 'reassigned' }),
    ]);
  });

  it('when the target belongs to another team, then it gets a 400 naming toAgentId and the owner stays', async () => {
    const { supervisor, repA, ticket } = await ticketOwnedByRepA();
    const other = await f.staffedTeam();
    const res = await f.as(supervisor.token).post(`/tickets/${ticket.id}/reassign`, {
      toAgentId: other.reps[0]!.id,
      reason: 'Wrong silo',
    });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'toAgentId' })]);
    expect((await ticketAs(f, repA.token, ticket.id)).ownerId).toBe(repA.id);
    expect(await openPeriodsOf(app, ticket.id)).toEqual([
      expect.objectContaining({ agent_id: repA.id }),
    ]);
  });

  it('when the target is inactive, then it gets a 400 naming toAgentId and the owner stays', async () => {
    const { supervisor, repA, ticket, team } = await ticketOwnedByRepA();
    const gone = await f.agent('rep', team.id);
    await f.admin().patch(`/agents/${gone.id}`, { active: false }).expect(200);
    const res = await f
      .as(supervisor.token)
      .post(`/tickets/${ticket.id}/reassign`, { toAgentId: gone.id, reason: 'Try the leaver' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'toAgentId' })]);
    expect((await ticketAs(f, repA.token, ticket.id)).ownerId).toBe(repA.id);
  });

  it('when the reason is missing, then it gets a 400 naming reason', async () => {
    const { supervisor, repB, ticket } = await ticketOwnedByRepA();
    const res = await f
      .as(supervisor.token)
      .post(`/tickets/${ticket.id}/reassign`, { toAgentId: repB.id });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'reason' })]);
  });

  it('when a rep tries to reassign, then it is refused with 403 and the owner stays', async () => {
    const { repA, repB, ticket } = await ticketOwnedByRepA();
    const res = await f
      .as(repA.token)
      .post(`/tickets/${ticket.id}/reassign`, { toAgentId: repB.id, reason: 'Mine' });
    expect(res.status).toBe(403);
    expect((await ticketAs(f, repA.token, ticket.id)).ownerId).toBe(repA.id);
  });

  it("when another team's supervisor tries to reassign, then it gets 404 and the owner stays", async () => {
    const { repA, repB, ticket } = await ticketOwnedByRepA();
    const other = await f.staffedTeam();
    const res = await f
      .as(other.supervisor.token)
      .post(`/tickets/${ticket.id}/reassign`, { toAgentId: repB.id, reason: 'Not my team' });
    expect(res.status).toBe(404);
    expect((await ticketAs(f, repA.token, ticket.id)).ownerId).toBe(repA.id);
  });

  it('when a handoff is pending, then reassigning cancels it and a later accept gets 409', async () => {
    const { supervisor, repA, repB, ticket } = await ticketOwnedByRepA();
    const handoff = await offer(f, repA.token, ticket.id, repB.id);
    await f
      .as(supervisor.token)
      .post(`/tickets/${ticket.id}/reassign`, {
        toAgentId: supervisor.id,
        reason: 'Taking it myself',
      })
      .expect(200);

    expect((await f.as(supervisor.token).get(`/handoffs/${handoff.id}`)).body.status).toBe(
      'cancelled',
    );
    const cancelled = await eventsOfType(f, supervisor.token, ticket.id, 'handoff_cancelled');
    expect(cancelled).toEqual([
      expect.objectContaining({
        actorId: supervisor.id,
        data: expect.objectContaining({ handoffId: handoff.id }),
      }),
    ]);

    const accept = await f.as(repB.token).post(`/handoffs/${handoff.id}/accept`, {});
    expect(accept.status).toBe(409);
    expect((await ticketAs(f, supervisor.token, ticket.id)).ownerId).toBe(supervisor.id);
    expect(await openPeriodsOf(app, ticket.id)).toEqual([
      expect.objectContaining({ agent_id: supervisor.id }),
    ]);
  });

  it('when reassigning withdraws a pending handoff, then the timeline names the agent it was offered to', async () => {
    const { supervisor, repA, repB, ticket } = await ticketOwnedByRepA();
    const handoff = await offer(f, repA.token, ticket.id, repB.id);
    await f
      .as(supervisor.token)
      .post(`/tickets/${ticket.id}/reassign`, {
        toAgentId: supervisor.id,
        reason: 'Taking it myself',
      })
      .expect(200);
    const [cancelled] = await eventsOfType(f, supervisor.token, ticket.id, 'handoff_cancelled');
    expect(cancelled?.data).toMatchObject({ handoffId: handoff.id, toAgentId: repB.id });
  });

  it('when the ticket is resolved, then reassigning it gets 409 and the owner stays', async () => {
    const { supervisor, repA, repB, ticket } = await ticketOwnedByRepA();
    await f
      .as(repA.token)
      .post(`/tickets/${ticket.id}/resolve`, {
        resolution: 'Fixed',
        rootCause: { silo: 'network', category: 'outage' },
      })
      .expect(200);
    const res = await f
      .as(supervisor.token)
      .post(`/tickets/${ticket.id}/reassign`, { toAgentId: repB.id, reason: 'Late move' });
    expect(res.status).toBe(409);
    expect((await ticketAs(f, repA.token, ticket.id)).ownerId).toBe(repA.id);
  });
});
