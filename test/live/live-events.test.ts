import { Fixtures, type AgentFixture } from '../helpers/factories';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { PASSWORD, signIn } from '../sessions/session-helpers';
import { SseClient, type ServerSentEvent } from './sse-client';

let app: TestApp;
let f: Fixtures;
const open: SseClient[] = [];

beforeAll(async () => {
  app = await startTestApp();
  f = new Fixtures(app);
});
afterEach(() => open.splice(0).forEach((client) => client.close()));
afterAll(() => app.close());

async function listen(headers: Record<string, string>) {
  const client = await SseClient.open(app.server, headers);
  open.push(client);
  return client;
}
const bearer = (agent: AgentFixture | { token: string }) => ({
  Authorization: `Bearer ${agent.token}`,
});
const about =
  (ticketId: string, type?: string, event = 'ticket') =>
  (e: ServerSentEvent) =>
    e.event === event && e.data.ticketId === ticketId && (!type || e.data.type === type);

describe('GET /events', () => {
  it('when an integration creates a ticket for the team, then its rep hears of it and a rep of another team does not', async () => {
    const mine = await f.staffedTeam({ reps: 1 });
    const theirs = await f.staffedTeam({ reps: 1 });
    const integration = await f.agent('integration', mine.team.id);
    const rep = await listen(bearer(mine.reps[0]!));
    const outsider = await listen(bearer(theirs.reps[0]!));
    expect(rep.status).toBe(200);
    expect(rep.contentType).toMatch(/^text\/event-stream/);

    const ticket = await f.ticket(integration.token, mine.customer.id, { teamId: mine.team.id });
    const created = await rep.waitFor(about(ticket.id, 'created'));
    expect(created.id).toMatch(/^\d+$/);
    expect(created.data).toEqual({
      ticketId: ticket.id,
      ref: ticket.ref,
      teamId: mine.team.id,
      ownerId: mine.reps[0]!.id,
      type: 'created',
      at: expect.any(String),
    });

    // Events are handed out in commit order: once the outsider hears of its own team's ticket,
    // it would already have heard of the first one.
    const theirForm = await f.agent('integration', theirs.team.id);
    const own = await f.ticket(theirForm.token, theirs.customer.id, { teamId: theirs.team.id });
    await outsider.waitFor(about(own.id, 'created'));
    expect(outsider.events.some((e) => e.data.ticketId === ticket.id)).toBe(false);
  });

  it('when a ticket changes (public update, customer message, status), then each change is an event with its timeline type', async () => {
    const { reps, customer } = await f.staffedTeam({ reps: 1 });
    const rep = reps[0]!;
    const ticket = await f.ticket(rep.token, customer.id);
    const stream = await listen(bearer(rep));
    await f
      .as(rep.token)
      .post(`/tickets/${ticket.id}/updates`, { body: 'On it', visibility: 'public' })
      .expect(201);
    await f.as(rep.token).post(`/tickets/${ticket.id}/customer-messages`, { body: 'Thanks' });
    await f.as(rep.token).patch(`/tickets/${ticket.id}`, { priority: 'high' }).expect(200);
    await stream.waitFor(about(ticket.id, 'public_update'));
    await stream.waitFor(about(ticket.id, 'customer_message'));
    await stream.waitFor(about(ticket.id, 'field_changed'));
    const ids = stream.events.map((e) => BigInt(e.id!));
    expect([...ids].sort((a, b) => (a < b ? -1 : 1))).toEqual(ids);
  });

  it('when the client reconnects with Last-Event-ID, then it gets what it missed and nothing before', async () => {
    const { reps, customer } = await f.staffedTeam({ reps: 1 });
    const rep = reps[0]!;
    const first = await listen(bearer(rep));
    const ticket = await f.ticket(rep.token, customer.id);
    const seen = await first.waitFor(about(ticket.id, 'created'));
    first.close();

    await f
      .as(rep.token)
      .post(`/tickets/${ticket.id}/updates`, { body: 'Missed', visibility: 'internal' })
      .expect(201);
    const resumed = await listen({ ...bearer(rep), 'Last-Event-ID': seen.id! });
    const missed = await resumed.waitFor(about(ticket.id, 'internal_note'));
    expect(BigInt(missed.id!)).toBeGreaterThan(BigInt(seen.id!));
    expect(resumed.events.some((e) => e.id === seen.id)).toBe(false);
  });

  it('when other teams were busy in between, then the reconnect replays what this rep missed instead of a reset', async () => {
    const { reps, customer } = await f.staffedTeam({ reps: 1 });
    const other = await f.staffedTeam({ reps: 1 });
    const rep = reps[0]!;
    const first = await listen(bearer(rep));
    const ticket = await f.ticket(rep.token, customer.id);
    const seen = await first.waitFor(about(ticket.id, 'created'));
    first.close();

    // Another team's busy hour: more events than one reader's replay limit, none of them its own,
    // some written by a process whose clock lags two days.
    const elsewhere = await f.ticket(other.reps[0]!.token, other.customer.id);
    await app.dataSource.query(
      `INSERT INTO timeline_events (ticket_id, type, at, data)
       SELECT $1, 'internal_note', now() - (CASE WHEN n % 2 = 1 THEN interval '2 days' ELSE interval '0' END), '{}'
         FROM generate_series(1, 2500) AS n`,
      [elsewhere.id],
    );
    await f
      .as(rep.token)
      .post(`/tickets/${ticket.id}/updates`, { body: 'Missed', visibility: 'internal' })
      .expect(201);
    const resumed = await listen({ ...bearer(rep), 'Last-Event-ID': seen.id! });
    await resumed.waitFor(about(ticket.id, 'internal_note'));
    expect(resumed.events.some((e) => e.event === 'reset')).toBe(false);
  });

  it('when a handoff is offered to a rep, then the rep hears an event: handoff addressed to it', async () => {
    const { reps, customer } = await f.staffedTeam({ reps: 2 });
    const [owner, target] = reps as [AgentFixture, AgentFixture];
    const ticket = await f.ticket(owner.token, customer.id);
    const stream = await listen(bearer(target));
    const offer = await f
      .as(owner.token)
      .post(`/tickets/${ticket.id}/handoffs`, { toAgentId: target.id, note: 'Yours?' });
    expect(offer.status).toBe(201);
    const handoff = await stream.waitFor(about(ticket.id, 'handoff_offered', 'handoff'));
    expect(handoff.data).toMatchObject({ handoffId: offer.body.id, toAgentId: target.id });
  });

  it('when signed in with the session cookie, then the stream works the same', async () => {
    const { team, customer } = await f.staffedTeam({ reps: 0 });
    const rep = await f.agent('rep', team.id, { password: PASSWORD });
    const cookie = await signIn(app, rep.email);
    const stream = await listen({ Cookie: cookie });
    const ticket = await f.ticket(rep.token, customer.id);
    await stream.waitFor(about(ticket.id, 'created'));
  });

  it('when no credentials or a forged cookie are sent, then 401', async () => {
    expect((await listen({})).status).toBe(401);
    expect((await listen({ Cookie: 'ownit_session=forged' })).status).toBe(401);
  });
});

describe('Presence', () => {
  it('when two reps open the same ticket, then each heartbeat names the other viewers and changes are pushed as event: presence', async () => {
    const { reps, customer } = await f.staffedTeam({ reps: 2 });
    const [first, second] = reps as [AgentFixture, AgentFixture];
    const ticket = await f.ticket(first.token, customer.id);
    const stream = await listen(bearer(first));

    const alone = await f.as(first.token).post(`/tickets/${ticket.id}/presence`);
    expect(alone.status).toBe(200);
    expect(alone.body).toEqual({ viewers: [] });

    const joined = await f.as(second.token).post(`/tickets/${ticket.id}/presence`);
    expect(joined.body.viewers).toEqual([
      { agentId: first.id, name: first.name, since: expect.any(String) },
    ]);
    const pushed = await stream.waitFor(
      (e) =>
        e.event === 'presence' &&
        e.data.ticketId === ticket.id &&
        (e.data.viewers as Array<{ agentId: string }>).some((v) => v.agentId === second.id),
    );
    expect(pushed.id).toBeUndefined();
    expect((await f.as(first.token).post(`/tickets/${ticket.id}/presence`)).body.viewers).toEqual([
      { agentId: second.id, name: second.name, since: expect.any(String) },
    ]);

    const left = await f
      .http()
      .delete(`/api/v1/tickets/${ticket.id}/presence`)
      .set('Authorization', `Bearer ${second.token}`);
    expect(left.status).toBe(204);
    await stream.waitFor(
      (e) =>
        e.event === 'presence' &&
        e.data.ticketId === ticket.id &&
        !(e.data.viewers as Array<{ agentId: string }>).some((v) => v.agentId === second.id),
    );
    expect((await f.as(first.token).post(`/tickets/${ticket.id}/presence`)).body.viewers).toEqual(
      [],
    );
  });

  it('when a rep of another team heartbeats on a ticket, then 404 and it is not listed as a viewer', async () => {
    const { reps, customer } = await f.staffedTeam({ reps: 1 });
    const other = await f.staffedTeam({ reps: 1 });
    const ticket = await f.ticket(reps[0]!.token, customer.id);
    expect((await f.as(other.reps[0]!.token).post(`/tickets/${ticket.id}/presence`)).status).toBe(
      404,
    );
    expect(
      (await f.as(reps[0]!.token).post(`/tickets/${ticket.id}/presence`)).body.viewers,
    ).toEqual([]);
  });
});
