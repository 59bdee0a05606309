import { Fixtures, type AgentFixture, type TicketBody } from '../helpers/factories';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { eventsOfType, offer, openPeriodsOf, RESOLVE_BODY, ticketAs } from './ownership-helpers';

let app: TestApp;
let f: Fixtures;

beforeAll(async () => {
  app = await startTestApp();
  f = new Fixtures(app);
});
afterAll(() => app.close());

async function ticketsOf(token: string, customerId: string, count: number): Promise<TicketBody[]> {
  const tickets: TicketBody[] = [];
  for (let i = 0; i < count; i++) {
    tickets.push(await f.ticket(token, customerId, { subject: `Concern ${i}` }));
  }
  return tickets;
}

const deactivate = (agent: AgentFixture) =>
  f.admin().patch(`/agents/${agent.id}`, { active: false });

describe('PATCH /agents/:id {active:false}', () => {
  it('when a rep is deactivated, then each open ticket moves to the least-loaded rep and resolved ones stay', async () => {
    const { team, supervisor, customer } = await f.staffedTeam({ reps: 0 });
    const leaver = await f.agent('rep', team.id);
    const busy = await f.agent('rep', team.id);
    const idle = await f.agent('rep', team.id);
    await ticketsOf(busy.token, customer.id, 2);
    const [open1, open2, waiting, resolved] = (await ticketsOf(leaver.token, customer.id, 4)) as [
      TicketBody,
      TicketBody,
      TicketBody,
      TicketBody,
    ];
    await f
      .as(leaver.token)
      .post(`/tickets/${waiting.id}/updates`, { body: 'Which address?', visibility: 'public' })
      .expect(201);
    await f
      .as(leaver.token)
      .patch(`/tickets/${waiting.id}`, { status: 'waiting_on_customer' })
      .expect(200);
    await f.as(leaver.token).post(`/tickets/${resolved.id}/resolve`, RESOLVE_BODY).expect(200);

    const res = await deactivate(leaver);
    expect(res.status).toBe(200);
    expect(res.body.active).toBe(false);

    // idle had 0 open tickets and busy 2: idle takes tickets until it is no longer the least loaded.
    const owners = await Promise.all(
      [open1, open2, waiting].map(async (t) => (await ticketAs(f, supervisor.token, t.id)).ownerId),
    );
    expect(owners.slice(0, 2)).toEqual([idle.id, idle.id]);
    // Now both have two open tickets: the third may go to either, never to the leaver.
    expect([idle.id, busy.id]).toContain(owners[2]);

    for (const t of [open1, open2, waiting]) {
      const changed = await eventsOfType(f, supervisor.token, t.id, 'owner_changed');
      expect(changed).toEqual([
        expect.objectContaining({
          data: expect.objectContaining({ fromAgentId: leaver.id, reason: 'deactivated' }),
        }),
      ]);
      const open = await openPeriodsOf(app, t.id);
      expect(open).toHaveLength(1);
      expect(open[0]!.agent_id).not.toBe(leaver.id);
      expect(open[0]!.reason).toBe('deactivated');
    }

    const keptResolved = await ticketAs(f, supervisor.token, resolved.id);
    expect(keptResolved).toMatchObject({ ownerId: leaver.id, status: 'resolved' });
    expect(await eventsOfType(f, supervisor.token, resolved.id, 'owner_changed')).toEqual([]);
  });

  it('when a rep is deactivated, then away reps and reps at capacity are skipped', async () => {
    const { team, supervisor, customer } = await f.staffedTeam({ reps: 0 });
    const leaver = await f.agent('rep', team.id);
    const away = await f.agent('rep', team.id);
    const full = await f.agent('rep', team.id, { capacity: 1 });
    const free = await f.agent('rep', team.id);
    await f.ticket(full.token, customer.id);
    await ticketsOf(free.token, customer.id, 3);
    await f.admin().patch(`/agents/${away.id}`, { away: true }).expect(200);
    const moved = await ticketsOf(leaver.token, customer.id, 2);

    await deactivate(leaver).expect(200);

    for (const t of moved)
      expect((await ticketAs(f, supervisor.token, t.id)).ownerId).toBe(free.id);
  });

  it('when no rep can take the tickets, then the team supervisor owns them', async () => {
    const { team, supervisor, customer } = await f.staffedTeam({ reps: 0 });
    const leaver = await f.agent('rep', team.id);
    const moved = await ticketsOf(leaver.token, customer.id, 2);

    await deactivate(leaver).expect(200);

    for (const t of moved) {
      expect((await ticketAs(f, supervisor.token, t.id)).ownerId).toBe(supervisor.id);
      const changed = await eventsOfType(f, supervisor.token, t.id, 'owner_changed');
      expect(changed).toEqual([
        expect.objectContaining({
          data: expect.objectContaining({ toAgentId: supervisor.id, reason: 'deactivated' }),
        }),
      ]);
    }
  });

  it('when nobody can take the tickets, then it fails with 409 and nothing changes', async () => {
    const team = await f.team();
    const customer = await f.customer();
    const leaver = await f.agent('rep', team.id);
    const tickets = await ticketsOf(leaver.token, customer.id, 2);

    const res = await deactivate(leaver);
    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);

    const me = await f.as(leaver.token).get('/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ active: true, openTicketCount: 2 });
    for (const t of tickets) {
      const now = await ticketAs(f, leaver.token, t.id);
      expect(now).toMatchObject({ ownerId: leaver.id, version: t.version });
      expect(await openPeriodsOf(app, t.id)).toEqual([
        expect.objectContaining({ agent_id: leaver.id }),
      ]);
      expect(await eventsOfType(f, leaver.token, t.id, 'owner_changed')).toEqual([]);
    }
  });

  it('when an agent with a pending outgoing offer is deactivated, then the offer is withdrawn', async () => {
    const { team, supervisor, customer, reps } = await f.staffedTeam({ reps: 1 });
    const colleague = reps[0]!;
    const leaver = await f.agent('rep', team.id);
    const ticket = await f.ticket(leaver.token, customer.id);
    const outgoing = await offer(f, leaver.token, ticket.id, colleague.id);

    await deactivate(leaver).expect(200);

    expect((await f.as(supervisor.token).get(`/handoffs/${outgoing.id}`)).body.status).toBe(
      'cancelled',
    );
    expect((await ticketAs(f, supervisor.token, ticket.id)).ownerId).not.toBe(leaver.id);
    expect(await openPeriodsOf(app, ticket.id)).toHaveLength(1);
  });

  it('when an agent with a pending incoming offer is deactivated, then it succeeds and the offer is withdrawn', async () => {
    const { team, supervisor, customer, reps } = await f.staffedTeam({ reps: 1 });
    const colleague = reps[0]!;
    const leaver = await f.agent('rep', team.id);
    const ticket = await f.ticket(colleague.token, customer.id);
    const incoming = await offer(f, colleague.token, ticket.id, leaver.id);

    const res = await deactivate(leaver);
    expect(res.status).toBe(200);

    expect((await f.as(supervisor.token).get(`/handoffs/${incoming.id}`)).body.status).toBe(
      'cancelled',
    );
    expect((await ticketAs(f, colleague.token, ticket.id)).ownerId).toBe(colleague.id);
    const cancelled = await eventsOfType(f, colleague.token, ticket.id, 'handoff_cancelled');
    expect(cancelled).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ handoffId: incoming.id }) }),
    ]);
    // With the dead offer gone, the colleague can hand the ticket to someone else.
    await offer(f, colleague.token, ticket.id, supervisor.id);
  });

  it('when a supervisor tries to deactivate a rep, then it is refused with 403 and the rep keeps its tickets', async () => {
    const { supervisor, reps, customer } = await f.staffedTeam();
    const ticket = await f.ticket(reps[0]!.token, customer.id);
    const res = await f.as(supervisor.token).patch(`/agents/${reps[0]!.id}`, { active: false });
    expect(res.status).toBe(403);
    expect((await ticketAs(f, reps[0]!.token, ticket.id)).ownerId).toBe(reps[0]!.id);
  });

  it('when a resolved ticket of a deactivated rep is reopened, then it moves to an active owner', async () => {
    const { supervisor, customer, team } = await f.staffedTeam({ reps: 0 });
    const leaver = await f.agent('rep', team.id);
    const stayer = await f.agent('rep', team.id);
    const ticket = await f.ticket(leaver.token, customer.id);
    await f.as(leaver.token).post(`/tickets/${ticket.id}/resolve`, RESOLVE_BODY).expect(200);
    await deactivate(leaver).expect(200);

    await f
      .as(supervisor.token)
      .post(`/tickets/${ticket.id}/reopen`, { reason: 'Still broken' })
      .expect(200);

    expect((await ticketAs(f, supervisor.token, ticket.id)).ownerId).toBe(stayer.id);
    expect(await openPeriodsOf(app, ticket.id)).toEqual([
      expect.objectContaining({ agent_id: stayer.id, reason: 'reopened' }),
    ]);
  });
});
