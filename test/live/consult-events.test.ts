import { Fixtures, type AgentFixture } from '../helpers/factories';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { SseClient, type ServerSentEvent } from './sse-client';

/** Live events follow who a consult lets in: the named agent only, and only while it is open. */
let app: TestApp;
let f: Fixtures;
const open: SseClient[] = [];

beforeAll(async () => {
  app = await startTestApp();
  f = new Fixtures(app);
});
afterEach(() => open.splice(0).forEach((client) => client.close()));
afterAll(() => app.close());

async function listen(agent: AgentFixture) {
  const client = await SseClient.open(app.server, { Authorization: `Bearer ${agent.token}` });
  open.push(client);
  return client;
}
const about =
  (ticketId: string, type?: string, event = 'ticket') =>
  (e: ServerSentEvent) =>
    e.event === event && e.data.ticketId === ticketId && (!type || e.data.type === type);

describe('live events of a consulted ticket', () => {
  it("when a consult names an agent, then that agent hears of the ticket until the consult is cancelled, and the agent's teammate never does", async () => {
    const care = await f.staffedTeam({ reps: 1 });
    const billing = await f.staffedTeam({ reps: 2 });
    const owner = care.reps[0]!;
    const [named, teammate] = billing.reps as [AgentFixture, AgentFixture];
    const ticket = await f.ticket(owner.token, care.customer.id);
    const namedStream = await listen(named);
    const teammateStream = await listen(teammate);

    const consult = await f
      .as(owner.token)
      .post(`/tickets/${ticket.id}/consults`, { agentId: named.id, question: 'Refund done?' })
      .expect(201);
    await namedStream.waitFor(about(ticket.id, 'consult_asked', 'consult'));
    await f
      .as(owner.token)
      .post(`/tickets/${ticket.id}/updates`, { body: 'Checking billing', visibility: 'internal' })
      .expect(201);
    await namedStream.waitFor(about(ticket.id, 'internal_note'));

    // Events go out in commit order: once the teammate hears of its own team's new ticket, it
    // would already have heard of the consulted ticket's events.
    const own = await f.ticket(teammate.token, billing.customer.id);
    await teammateStream.waitFor(about(own.id, 'created'));
    expect(teammateStream.events.filter((e) => e.data.ticketId === ticket.id)).toEqual([]);

    await f.as(owner.token).post(`/consults/${consult.body.id}/cancel`, {}).expect(200);
    const cancelled = await namedStream.waitFor(about(ticket.id, 'consult_cancelled', 'consult'));
    expect(cancelled.data).toMatchObject({ consultId: consult.body.id });
    const seen = namedStream.events.length;
    await f
      .as(owner.token)
      .post(`/tickets/${ticket.id}/updates`, { body: 'After the consult', visibility: 'internal' })
      .expect(201);
    const later = await f.ticket(named.token, billing.customer.id);
    await namedStream.waitFor(about(later.id, 'created'));
    expect(namedStream.events.slice(seen).filter((e) => e.data.ticketId === ticket.id)).toEqual([]);
  });
});
