import { Fixtures, unique, type AgentFixture } from '../helpers/factories';
import { startTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let f: Fixtures;

beforeAll(async () => {
  app = await startTestApp();
  f = new Fixtures(app);
});
afterAll(() => app.close());

/** A word no other test's data contains, so results are this test's alone. */
const word = () => unique('zq').replace('-', '');

describe('GET /tickets?q=', () => {
  it('when words match the subject of one ticket and the conversation of another, then both are found, the subject match ranked first', async () => {
    const { reps, customer } = await f.staffedTeam({ reps: 1 });
    const rep = reps[0]!;
    const term = word();
    const inConversation = await f.ticket(rep.token, customer.id, { subject: 'Billing question' });
    await f
      .as(rep.token)
      .post(`/tickets/${inConversation.id}/customer-messages`, { body: `About ${term} again` })
      .expect(201);
    const inSubject = await f.ticket(rep.token, customer.id, { subject: `Router ${term} broken` });
    await f.ticket(rep.token, customer.id, { subject: 'Unrelated' });

    const res = await f.as(rep.token).get(`/tickets?q=${term}`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((t: { id: string }) => t.id)).toEqual([
      inSubject.id,
      inConversation.id,
    ]);
  });

  it('when the query uses another inflection (English or German), then stemming still finds the ticket', async () => {
    const { reps, customer } = await f.staffedTeam({ reps: 1 });
    const rep = reps[0]!;
    const marker = word();
    const english = await f.ticket(rep.token, customer.id, {
      subject: `${marker} connections dropping`,
    });
    const german = await f.ticket(rep.token, customer.id, {
      subject: `${marker} Rechnungen doppelt`,
      description: 'Die Rechnungen kamen zweimal',
    });
    const found = async (q: string) =>
      (
        await f.as(rep.token).get(`/tickets?q=${encodeURIComponent(`${marker} ${q}`)}`)
      ).body.items.map((t: { id: string }) => t.id);
    expect(await found('connection dropped')).toEqual([english.id]);
    expect(await found('Rechnung')).toEqual([german.id]);
  });

  it('when searching by ref, customer name or customer email, then the ticket is found', async () => {
    const { reps } = await f.staffedTeam({ reps: 1 });
    const rep = reps[0]!;
    const name = `Carla ${word()}`;
    const customer = await f.customer({ name, email: `${word()}@customer.test` });
    const ticket = await f.ticket(rep.token, customer.id);
    for (const q of [ticket.ref, name, customer.email]) {
      const res = await f.as(rep.token).get(`/tickets?q=${encodeURIComponent(q)}`);
      expect(res.body.items.map((t: { id: string }) => t.id)).toContain(ticket.id);
    }
  });

  it("when another team's ticket matches, then a rep or supervisor never finds it; an admin does", async () => {
    const mine = await f.staffedTeam({ reps: 1 });
    const theirs = await f.staffedTeam({ reps: 1 });
    const term = word();
    const ours = await f.ticket(mine.reps[0]!.token, mine.customer.id, { subject: `${term} one` });
    const foreign = await f.ticket(theirs.reps[0]!.token, theirs.customer.id, {
      subject: `${term} two`,
    });
    const ids = async (agent: { token: string }) =>
      (await f.as(agent.token).get(`/tickets?q=${term}`)).body.items.map(
        (t: { id: string }) => t.id,
      );
    expect(await ids(mine.reps[0]!)).toEqual([ours.id]);
    expect(await ids(mine.supervisor)).toEqual([ours.id]);
    expect((await ids({ token: app.adminToken })).sort()).toEqual([ours.id, foreign.id].sort());
    const asked = await f
      .as(mine.reps[0]!.token)
      .get(`/tickets?q=${term}&teamId=${theirs.team.id}`);
    expect(asked.status).toBe(403);
  });

  it('when an internal note matches, then staff find the ticket and an integration does not', async () => {
    const { team, reps, customer } = await f.staffedTeam({ reps: 1 });
    const integration = await f.agent('integration', team.id);
    const term = word();
    const ticket = await f.ticket(integration.token, customer.id, { teamId: team.id });
    const owner = reps.find((r) => r.id === ticket.ownerId) as AgentFixture;
    await f
      .as(owner.token)
      .post(`/tickets/${ticket.id}/updates`, { body: `Internal ${term}`, visibility: 'internal' })
      .expect(201);
    expect((await f.as(owner.token).get(`/tickets?q=${term}`)).body.items).toHaveLength(1);
    expect((await f.as(integration.token).get(`/tickets?q=${term}`)).body.items).toHaveLength(0);
  });

  it('when other filters are given with q, then they still apply, and pages follow the ranking', async () => {
    const { reps, customer } = await f.staffedTeam({ reps: 1 });
    const rep = reps[0]!;
    const term = word();
    const made = [];
    for (let i = 0; i < 3; i++) {
      made.push(await f.ticket(rep.token, customer.id, { subject: `${term} ${i}` }));
    }
    await f
      .as(rep.token)
      .post(`/tickets/${made[0]!.id}/resolve`, {
        resolution: 'Done',
        rootCause: { silo: 'network', category: 'outage' },
      })
      .expect(200);
    const open = await f.as(rep.token).get(`/tickets?q=${term}&status=open`);
    expect(open.body.items.map((t: { id: string }) => t.id).sort()).toEqual(
      [made[1]!.id, made[2]!.id].sort(),
    );
    const first = await f.as(rep.token).get(`/tickets?q=${term}&limit=2`);
    expect(first.body.items).toHaveLength(2);
    const second = await f
      .as(rep.token)
      .get(`/tickets?q=${term}&limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.nextCursor).toBeNull();
    const all = [...first.body.items, ...second.body.items].map((t: { id: string }) => t.id);
    expect(new Set(all).size).toBe(3);
  });

  it('when q is empty, then 400 names q', async () => {
    const { reps } = await f.staffedTeam({ reps: 1 });
    const res = await f.as(reps[0]!.token).get('/tickets?q=');
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('q');
  });
});

describe('GET /search', () => {
  it('when a rep searches, then it gets ranked tickets and the customers its team serves, plus any customer by exact email', async () => {
    const mine = await f.staffedTeam({ reps: 1 });
    const theirs = await f.staffedTeam({ reps: 1 });
    const family = word();
    const served = await f.customer({ name: `Anna ${family}` });
    const notServed = await f.customer({ name: `Bert ${family}` });
    const ticket = await f.ticket(mine.reps[0]!.token, served.id, { subject: `About ${family}` });
    await f.ticket(theirs.reps[0]!.token, notServed.id);

    const res = await f.as(mine.reps[0]!.token).get(`/search?q=${family}`);
    expect(res.status).toBe(200);
    expect(res.body.tickets.map((t: { id: string }) => t.id)).toEqual([ticket.id]);
    expect(res.body.customers).toEqual([
      { id: served.id, name: served.name, email: served.email, tier: 'standard' },
    ]);
    const byEmail = await f
      .as(mine.reps[0]!.token)
      .get(`/search?q=${encodeURIComponent(notServed.email)}`);
    expect(byEmail.body.customers.map((c: { id: string }) => c.id)).toEqual([notServed.id]);
    expect(byEmail.body.tickets).toEqual([]);
  });

  it('when an integration searches, then 403', async () => {
    const integration = await f.agent('integration', (await f.team()).id);
    expect((await f.as(integration.token).get('/search?q=x')).status).toBe(403);
  });
});

describe('List items', () => {
  it('when the queue and the ticket list are read, then each item carries its customer, breach count and current deadline', async () => {
    const { reps } = await f.staffedTeam({ reps: 1 });
    const rep = reps[0]!;
    const customer = await f.customer({ tier: 'vip' });
    const ticket = await f.ticket(rep.token, customer.id);
    const expected = {
      id: ticket.id,
      customer: { id: customer.id, name: customer.name, email: customer.email, tier: 'vip' },
      breachCount: 0,
      currentDeadline: { kind: 'first_response', dueAt: ticket.firstResponseDueAt },
      status: 'open',
      ref: ticket.ref,
      version: ticket.version,
    };
    const queue = await f.as(rep.token).get('/me/queue');
    expect(queue.body.items.find((t: { id: string }) => t.id === ticket.id)).toMatchObject(
      expected,
    );
    const list = await f.as(rep.token).get(`/tickets?customerId=${customer.id}`);
    expect(list.body.items).toEqual([expect.objectContaining(expected)]);
  });
});
