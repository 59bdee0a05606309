import { Fixtures } from '../helpers/factories';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { eventsOfType, openPeriodsOf, ticketAs } from './ownership-helpers';

let app: TestApp;
let f: Fixtures;

beforeAll(async () => {
  app = await startTestApp();
  f = new Fixtures(app);
});
afterAll(() => app.close());

async function ticketOwnedByRep() {
  const { reps, customer, supervisor } = await f.staffedTeam();
  const ticket = await f.ticket(reps[0]!.token, customer.id);
  return { rep: reps[0]!, other: reps[1]!, supervisor, ticket };
}

describe('If-Match on ticket writes', () => {
  it('when a ticket is read, then the ETag header carries its version', async () => {
    const { rep, ticket } = await ticketOwnedByRep();
    const res = await f.as(rep.token).get(`/tickets/${ticket.id}`);
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe(`"${res.body.version}"`);
  });

  it('when a write sends the current version, then it succeeds and the ETag carries the new version', async () => {
    const { rep, ticket } = await ticketOwnedByRep();
    const res = await f
      .as(rep.token)
      .patch(`/tickets/${ticket.id}`, { priority: 'urgent' })
      .set('If-Match', `"${ticket.version}"`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ priority: 'urgent', version: ticket.version + 1 });
    expect(res.headers.etag).toBe(`"${ticket.version + 1}"`);
  });

  it('when a write sends the bare version number, then it is accepted like the quoted ETag', async () => {
    const { rep, ticket } = await ticketOwnedByRep();
    const res = await f
      .as(rep.token)
      .patch(`/tickets/${ticket.id}`, { priority: 'low' })
      .set('If-Match', String(ticket.version));
    expect(res.status).toBe(200);
  });

  it('when a write sends a stale version, then it gets 412 with currentVersion and nothing changes', async () => {
    const { rep, ticket } = await ticketOwnedByRep();
    const moved = await f
      .as(rep.token)
      .patch(`/tickets/${ticket.id}`, { priority: 'high' })
      .expect(200);

    const res = await f
      .as(rep.token)
      .patch(`/tickets/${ticket.id}`, { priority: 'low' })
      .set('If-Match', `"${ticket.version}"`);
    expect(res.status).toBe(412);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 412, currentVersion: moved.body.version });
    expect(typeof res.body.title).toBe('string');
    expect(typeof res.body.detail).toBe('string');
    expect(await ticketAs(f, rep.token, ticket.id)).toMatchObject({
      priority: 'high',
      version: moved.body.version,
    });
  });

  it('when a supervisor reassigns with a stale version, then it gets 412 and the owner stays', async () => {
    const { rep, other, supervisor, ticket } = await ticketOwnedByRep();
    await f.as(rep.token).patch(`/tickets/${ticket.id}`, { category: 'billing' }).expect(200);

    const res = await f
      .as(supervisor.token)
      .post(`/tickets/${ticket.id}/reassign`, { toAgentId: other.id, reason: 'Balance load' })
      .set('If-Match', `"${ticket.version}"`);
    expect(res.status).toBe(412);
    expect(res.body.currentVersion).toBe(ticket.version + 1);
    expect((await ticketAs(f, rep.token, ticket.id)).ownerId).toBe(rep.id);
    expect(await openPeriodsOf(app, ticket.id)).toEqual([
      expect.objectContaining({ agent_id: rep.id }),
    ]);
    expect(await eventsOfType(f, rep.token, ticket.id, 'owner_changed')).toEqual([]);
  });

  it('when a handoff is offered with a stale version, then it gets 412 and no offer is made', async () => {
    const { rep, other, ticket } = await ticketOwnedByRep();
    await f.as(rep.token).patch(`/tickets/${ticket.id}`, { priority: 'high' }).expect(200);
    const res = await f
      .as(rep.token)
      .post(`/tickets/${ticket.id}/handoffs`, { toAgentId: other.id, note: 'Over to you' })
      .set('If-Match', `"${ticket.version}"`);
    expect(res.status).toBe(412);
    const rows = await app.dataSource.query(`SELECT 1 FROM handoffs WHERE ticket_id = $1`, [
      ticket.id,
    ]);
    expect(rows).toHaveLength(0);
  });

  it('when If-Match is not a version, then it gets a 400 naming If-Match', async () => {
    const { rep, ticket } = await ticketOwnedByRep();
    const res = await f
      .as(rep.token)
      .patch(`/tickets/${ticket.id}`, { priority: 'high' })
      .set('If-Match', 'banana');
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'If-Match' })]);
  });
});
