import { Fixtures } from '../helpers/factories';
import { startTestApp, type TestApp } from '../helpers/test-app';
import {
  eventsOfType,
  offer,
  openPeriodsOf,
  periodsOf,
  ticketAs,
  timelineOf,
} from './ownership-helpers';

let app: TestApp;
let f: Fixtures;

beforeAll(async () => {
  app = await startTestApp();
  f = new Fixtures(app);
});
afterAll(() => app.close());

/** A team with two reps; rep A owns a fresh ticket. */
async function ticketOwnedByRepA() {
  const staffed = await f.staffedTeam();
  const [repA, repB] = staffed.reps as [(typeof staffed.reps)[0], (typeof staffed.reps)[0]];
  const ticket = await f.ticket(repA.token, staffed.customer.id);
  return { ...staffed, repA, repB, ticket };
}

describe('POST /tickets/:id/handoffs', () => {
  it('when the owner offers a handoff with a note, then it is pending and the owner does not change', async () => {
    const { repA, repB, ticket } = await ticketOwnedByRepA();
    const res = await f.as(repA.token).post(`/tickets/${ticket.id}/handoffs`, {
      toAgentId: repB.id,
      note: 'Needs a billing specialist',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      id: expect.any(String),
      status: 'pending',
      toAgentId: repB.id,
    });
    expect((await ticketAs(f, repA.token, ticket.id)).ownerId).toBe(repA.id);
    expect(await openPeriodsOf(app, ticket.id)).toEqual([
      expect.objectContaining({ agent_id: repA.id }),
    ]);
    const offered = await eventsOfType(f, repA.token, ticket.id, 'handoff_offered');
    expect(offered).toEqual([
      expect.objectContaining({
        actorId: repA.id,
        data: expect.objectContaining({
          handoffId: res.body.id,
          note: 'Needs a billing specialist',
        }),
      }),
    ]);
  });

  it.each([
    ['missing', {}],
    ['blank', { note: '   ' }],
  ])(
    'when the note is %s, then the offer is refused with a 400 naming note',
    async (_label, extra) => {
      const { repA, repB, ticket } = await ticketOwnedByRepA();
      const res = await f
        .as(repA.token)
        .post(`/tickets/${ticket.id}/handoffs`, { toAgentId: repB.id, ...extra });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.errors).toEqual([expect.objectContaining({ path: 'note' })]);
      const rows = await app.dataSource.query(`SELECT 1 FROM handoffs WHERE ticket_id = $1`, [
        ticket.id,
      ]);
      expect(rows).toHaveLength(0);
    },
  );

  it('when the target is in another team, then the offer is refused with a 400 naming toAgentId', async () => {
    const { repA, ticket } = await ticketOwnedByRepA();
    const other = await f.staffedTeam();
    const res = await f.as(repA.token).post(`/tickets/${ticket.id}/handoffs`, {
      toAgentId: other.reps[0]!.id,
      note: 'Over to you',
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'toAgentId' })]);
  });

  it('when a rep who does not own the ticket offers it, then it is refused with 403 and nothing is offered', async () => {
    const { repB, supervisor, ticket } = await ticketOwnedByRepA();
    const res = await f.as(repB.token).post(`/tickets/${ticket.id}/handoffs`, {
      toAgentId: supervisor.id,
      note: 'Not mine to give',
    });
    expect(res.status).toBe(403);
    const rows = await app.dataSource.query(`SELECT 1 FROM handoffs WHERE ticket_id = $1`, [
      ticket.id,
    ]);
    expect(rows).toHaveLength(0);
  });

  it('when an offer is already pending, then a second offer gets 409 and the first stays pending', async () => {
    const { repA, repB, supervisor, ticket } = await ticketOwnedByRepA();
    const first = await offer(f, repA.token, ticket.id, repB.id);
    const second = await f
      .as(repA.token)
      .post(`/tickets/${ticket.id}/handoffs`, { toAgentId: supervisor.id, note: 'Second try' });
    expect(second.status).toBe(409);
    expect(second.body.type).toBe('/problems/conflict');
    const check = await f.as(repA.token).get(`/handoffs/${first.id}`);
    expect(check.body.status).toBe('pending');
  });
});

describe('POST /handoffs/:id/accept', () => {
  it('when the target accepts, then the target owns the ticket, the version bumps and the audit trail shows it', async () => {
    const { repA, repB, ticket } = await ticketOwnedByRepA();
    const handoff = await offer(f, repA.token, ticket.id, repB.id, 'Customer asked for you');
    const before = await ticketAs(f, repA.token, ticket.id);

    const res = await f.as(repB.token).post(`/handoffs/${handoff.id}/accept`, {});
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: handoff.id, status: 'accepted' });

    const after = await ticketAs(f, repB.token, ticket.id);
    expect(after.ownerId).toBe(repB.id);
    expect(after.version).toBe(before.version + 1);

    const types = (await timelineOf(f, repB.token, ticket.id))
      .map((e) => e.type)
      .filter((type) => type.startsWith('handoff_') || type === 'owner_changed');
    expect(types).toEqual(['handoff_offered', 'handoff_accepted', 'owner_changed']);
    const [changed] = await eventsOfType(f, repB.token, ticket.id, 'owner_changed');
    expect(changed).toMatchObject({
      actorId: repB.id,
      data: expect.objectContaining({
        fromAgentId: repA.id,
        toAgentId: repB.id,
        reason: 'handoff',
      }),
    });

    const periods = await periodsOf(app, ticket.id);
    expect(periods).toHaveLength(2);
    expect(periods[0]).toMatchObject({ agent_id: repA.id, ended_at: expect.any(Date) });
    expect(periods[1]).toMatchObject({ agent_id: repB.id, ended_at: null, reason: 'handoff' });
  });

  it('when the handoff was already accepted, then accepting or declining it again gets 409', async () => {
    const { repA, repB, ticket } = await ticketOwnedByRepA();
    const handoff = await offer(f, repA.token, ticket.id, repB.id);
    await f.as(repB.token).post(`/handoffs/${handoff.id}/accept`, {}).expect(200);

    const again = await f.as(repB.token).post(`/handoffs/${handoff.id}/accept`, {});
    expect(again.status).toBe(409);
    expect(again.headers['content-type']).toMatch(/application\/problem\+json/);
    const decline = await f
      .as(repB.token)
      .post(`/handoffs/${handoff.id}/decline`, { note: 'Too late' });
    expect(decline.status).toBe(409);
    expect(await openPeriodsOf(app, ticket.id)).toEqual([
      expect.objectContaining({ agent_id: repB.id }),
    ]);
  });

  it('when someone other than the target accepts, then it is refused and the owner stays', async () => {
    const { repA, repB, supervisor, ticket } = await ticketOwnedByRepA();
    const handoff = await offer(f, repA.token, ticket.id, repB.id);
    const byOfferer = await f.as(repA.token).post(`/handoffs/${handoff.id}/accept`, {});
    expect(byOfferer.status).toBe(403);
    const bySupervisor = await f.as(supervisor.token).post(`/handoffs/${handoff.id}/accept`, {});
    expect(bySupervisor.status).toBe(404);
    expect((await ticketAs(f, repA.token, ticket.id)).ownerId).toBe(repA.id);
    expect((await f.as(repA.token).get(`/handoffs/${handoff.id}`)).body.status).toBe('pending');
  });
});

describe('POST /handoffs/:id/decline', () => {
  it('when the target declines with a note, then the owner stays and the decline is on the record', async () => {
    const { repA, repB, ticket } = await ticketOwnedByRepA();
    const handoff = await offer(f, repA.token, ticket.id, repB.id);
    const res = await f
      .as(repB.token)
      .post(`/handoffs/${handoff.id}/decline`, { note: 'On leave tomorrow' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'declined', responseNote: 'On leave tomorrow' });

    const ticketNow = await ticketAs(f, repA.token, ticket.id);
    expect(ticketNow.ownerId).toBe(repA.id);
    expect(ticketNow.version).toBe(ticket.version);
    expect(await openPeriodsOf(app, ticket.id)).toEqual([
      expect.objectContaining({ agent_id: repA.id }),
    ]);
    const declined = await eventsOfType(f, repA.token, ticket.id, 'handoff_declined');
    expect(declined).toEqual([expect.objectContaining({ actorId: repB.id })]);
    expect(await eventsOfType(f, repA.token, ticket.id, 'owner_changed')).toEqual([]);
  });

  it('when the target declines without a note, then it is declined and the owner can offer again', async () => {
    const { repA, repB, supervisor, ticket } = await ticketOwnedByRepA();
    const handoff = await offer(f, repA.token, ticket.id, repB.id);
    await f.as(repB.token).post(`/handoffs/${handoff.id}/decline`).expect(200);
    await offer(f, repA.token, ticket.id, supervisor.id, 'Escalating instead');
  });
});

describe('POST /handoffs/:id/cancel', () => {
  it('when the offering owner cancels, then the offer is withdrawn and the target can no longer accept it', async () => {
    const { repA, repB, ticket } = await ticketOwnedByRepA();
    const handoff = await offer(f, repA.token, ticket.id, repB.id);
    const res = await f.as(repA.token).post(`/handoffs/${handoff.id}/cancel`, {});
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('cancelled');

    const accept = await f.as(repB.token).post(`/handoffs/${handoff.id}/accept`, {});
    expect(accept.status).toBe(409);
    expect((await ticketAs(f, repA.token, ticket.id)).ownerId).toBe(repA.id);
    const cancelled = await eventsOfType(f, repA.token, ticket.id, 'handoff_cancelled');
    expect(cancelled).toEqual([expect.objectContaining({ actorId: repA.id })]);
    // A withdrawn offer no longer blocks a new one.
    await offer(f, repA.token, ticket.id, repB.id, 'Trying again');
  });

  it('when the target tries to cancel, then it is refused with 403 and the offer stays pending', async () => {
    const { repA, repB, ticket } = await ticketOwnedByRepA();
    const handoff = await offer(f, repA.token, ticket.id, repB.id);
    const res = await f.as(repB.token).post(`/handoffs/${handoff.id}/cancel`, {});
    expect(res.status).toBe(403);
    expect((await f.as(repA.token).get(`/handoffs/${handoff.id}`)).body.status).toBe('pending');
  });
});

describe('GET /me/handoffs', () => {
  it('when an offer is pending for me, then my incoming list shows it with the ticket reference', async () => {
    const { repA, repB, ticket } = await ticketOwnedByRepA();
    const handoff = await offer(f, repA.token, ticket.id, repB.id, 'Please take over');
    const res = await f.as(repB.token).get('/me/handoffs');
    expect(res.status).toBe(200);
    expect(res.body.nextCursor).toBeNull();
    expect(res.body.items).toEqual([
      expect.objectContaining({
        id: handoff.id,
        ticketId: ticket.id,
        ticketRef: ticket.ref,
        fromAgentId: repA.id,
        toAgentId: repB.id,
        note: 'Please take over',
        status: 'pending',
      }),
    ]);
    // The offering owner has nothing incoming.
    expect((await f.as(repA.token).get('/me/handoffs')).body.items).toEqual([]);
  });

  it('when my pending offer is accepted, then it leaves my incoming list', async () => {
    const { repA, repB, ticket } = await ticketOwnedByRepA();
    const handoff = await offer(f, repA.token, ticket.id, repB.id);
    await f.as(repB.token).post(`/handoffs/${handoff.id}/accept`, {}).expect(200);
    expect((await f.as(repB.token).get('/me/handoffs')).body.items).toEqual([]);
  });
});
