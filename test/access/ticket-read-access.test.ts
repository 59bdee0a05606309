import { Fixtures } from '../helpers/factories';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { expectForbidden, expectNotFound, nowhere } from './access-helpers';

let app: TestApp;
let f: Fixtures;

beforeAll(async () => {
  app = await startTestApp();
  f = new Fixtures(app);
});
afterAll(() => app.close());

/** Team A and team B, with one ticket in each owned by the first rep. */
async function twoTeams() {
  const a = await f.staffedTeam();
  const b = await f.staffedTeam();
  const ticketA = await f.ticket(a.reps[0]!.token, a.customer.id, { subject: 'A-side concern' });
  const ticketB = await f.ticket(b.reps[0]!.token, b.customer.id, { subject: 'Secret B concern' });
  return { a, b, ticketA, ticketB };
}

describe('Reading tickets of the own team', () => {
  it("when a rep reads a teammate's ticket and its timeline, then both are 200", async () => {
    const { a, ticketA } = await twoTeams();
    const teammate = a.reps[1]!.token;
    const ticket = await f.as(teammate).get(`/tickets/${ticketA.id}`);
    expect(ticket.status).toBe(200);
    expect(ticket.body).toMatchObject({ id: ticketA.id, ownerId: a.reps[0]!.id });
    const timeline = await f.as(teammate).get(`/tickets/${ticketA.id}/timeline`);
    expect(timeline.status).toBe(200);
    expect(timeline.body.items[0]).toMatchObject({ type: 'created' });
  });

  it("when a rep reads a teammate's ticket timeline by its reference, then it is 200 like the ticket itself", async () => {
    const { a, ticketA } = await twoTeams();
    const byRef = await f.as(a.reps[1]!.token).get(`/tickets/${ticketA.ref}`);
    expect(byRef.status).toBe(200);
    const timeline = await f.as(a.reps[1]!.token).get(`/tickets/${ticketA.ref}/timeline`);
    expect(timeline.status).toBe(200);
    expect(timeline.body.items[0]).toMatchObject({ type: 'created' });
  });

  it('when an admin reads a ticket of any team, then it is 200', async () => {
    const { ticketB } = await twoTeams();
    const res = await f.admin().get(`/tickets/${ticketB.id}`);
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(ticketB.id);
  });
});

describe('Reading tickets of another team', () => {
  it('when a rep of team A reads a ticket of team B, then it is 404 and nothing about the ticket leaks', async () => {
    const { a, ticketB } = await twoTeams();
    const res = await f.as(a.reps[0]!.token).get(`/tickets/${ticketB.id}`);
    expectNotFound(res);
    for (const secret of [
      ticketB.ref,
      ticketB.subject as string,
      ticketB.ownerId,
      ticketB.teamId,
      ticketB.customerId,
    ]) {
      expect(res.text).not.toContain(secret);
    }
    expect(res.headers.etag).toBeUndefined();
  });

  it('when a rep of team A reads a ticket of team B, then the answer looks exactly like one for a ticket that does not exist', async () => {
    const { a, ticketB } = await twoTeams();
    const missingId = nowhere();
    const hidden = await f.as(a.reps[0]!.token).get(`/tickets/${ticketB.id}`);
    const missing = await f.as(a.reps[0]!.token).get(`/tickets/${missingId}`);
    expectNotFound(hidden);
    expectNotFound(missing);
    expect(hidden.body.detail.replace(ticketB.id, '<id>')).toBe(
      missing.body.detail.replace(missingId, '<id>'),
    );
    expect({ ...hidden.body, detail: '' }).toEqual({ ...missing.body, detail: '' });
  });

  it('when a rep of team A reads a ticket of team B by its reference, then it is 404', async () => {
    const { a, ticketB } = await twoTeams();
    expectNotFound(await f.as(a.reps[0]!.token).get(`/tickets/${ticketB.ref}`));
  });

  it('when a rep of team A reads the timeline of a ticket of team B, then it is 404', async () => {
    const { a, ticketB } = await twoTeams();
    const res = await f.as(a.reps[0]!.token).get(`/tickets/${ticketB.id}/timeline`);
    expectNotFound(res);
    expect(res.text).not.toContain('created');
  });

  it('when a supervisor of team A reads a ticket or timeline of team B, then both are 404', async () => {
    const { a, ticketB } = await twoTeams();
    expectNotFound(await f.as(a.supervisor.token).get(`/tickets/${ticketB.id}`));
    expectNotFound(await f.as(a.supervisor.token).get(`/tickets/${ticketB.id}/timeline`));
  });
});

describe('Listing tickets', () => {
  it('when a rep of team A lists tickets with teamId of team B, then it is 403', async () => {
    const { a, b } = await twoTeams();
    expectForbidden(await f.as(a.reps[0]!.token).get(`/tickets?teamId=${b.team.id}`));
  });

  it('when a supervisor of team A lists tickets with teamId of team B, then it is 403', async () => {
    const { a, b } = await twoTeams();
    expectForbidden(await f.as(a.supervisor.token).get(`/tickets?teamId=${b.team.id}`));
  });

  it("when a rep lists tickets, then it sees its own team's tickets and never another team's", async () => {
    const { a, ticketA, ticketB } = await twoTeams();
    const res = await f.as(a.reps[1]!.token).get('/tickets?limit=200');
    expect(res.status).toBe(200);
    const ids = res.body.items.map((t: { id: string }) => t.id);
    expect(ids).toContain(ticketA.id);
    expect(ids).not.toContain(ticketB.id);
    expect(new Set(res.body.items.map((t: { teamId: string }) => t.teamId))).toEqual(
      new Set([a.team.id]),
    );
  });

  it('when a rep of team A filters by an owner or customer of team B, then it gets an empty list', async () => {
    const { a, b } = await twoTeams();
    const byOwner = await f.as(a.reps[0]!.token).get(`/tickets?ownerId=${b.reps[0]!.id}`);
    expect(byOwner.status).toBe(200);
    expect(byOwner.body).toEqual({ items: [], nextCursor: null });
    const byCustomer = await f.as(a.reps[0]!.token).get(`/tickets?customerId=${b.customer.id}`);
    expect(byCustomer.status).toBe(200);
    expect(byCustomer.body).toEqual({ items: [], nextCursor: null });
  });

  it('when a rep reads GET /me/queue, then it holds only the tickets that rep owns', async () => {
    const { a, ticketA } = await twoTeams();
    const own = await f.ticket(a.reps[1]!.token, a.customer.id);
    const res = await f.as(a.reps[1]!.token).get('/me/queue');
    expect(res.status).toBe(200);
    expect(res.body.items.map((t: { id: string }) => t.id)).toEqual([own.id]);
    expect(res.body.items.map((t: { id: string }) => t.id)).not.toContain(ticketA.id);
  });
});
