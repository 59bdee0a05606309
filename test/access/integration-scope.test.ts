import { randomUUID } from 'node:crypto';
import { replyAddress } from '../../src/notifications/email-threading';
import { signTicketToken } from '../../src/notifications/signed-links';
import { Fixtures, type AgentFixture } from '../helpers/factories';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { SseClient } from '../live/sse-client';
import { expectForbidden, expectNotFound, ticketState } from './access-helpers';

/**
 * Issue 9, hole 4: an integration is scoped to its team. It reads and writes its team's tickets
 * (and those its own gateway matched a customer's reply to), creates tickets only there, never
 * sees internal timeline items, and lists no staff email.
 */
let app: TestApp;
let f: Fixtures;
const streams: SseClient[] = [];

beforeAll(async () => {
  app = await startTestApp();
  f = new Fixtures(app);
});
afterEach(() => streams.splice(0).forEach((s) => s.close()));
afterAll(() => app.close());

/** Two staffed teams, each with an integration; a ticket of the first team by its integration. */
async function scene() {
  const mine = await f.staffedTeam({ reps: 2 });
  const theirs = await f.staffedTeam({ reps: 1 });
  const integration = await f.agent('integration', mine.team.id);
  const outsider = await f.agent('integration', theirs.team.id);
  const ticket = await f.ticket(integration.token, mine.customer.id, {
    teamId: mine.team.id,
    channel: 'web',
  });
  const owner = [...mine.reps, mine.supervisor].find((a) => a.id === ticket.ownerId)!;
  return { mine, theirs, integration, outsider, ticket, owner };
}

type Event = { type: string; data: Record<string, unknown> };
async function timeline(token: string, ticketId: string): Promise<Event[]> {
  const res = await f.as(token).get(`/tickets/${ticketId}/timeline?limit=200`);
  expect(res.status).toBe(200);
  return res.body.items as Event[];
}

it("when an integration of the ticket's own team lists its consults, then 403: consult questions are staff talk", async () => {
  const s = await scene();
  const question = `Can field service check the mast? ${randomUUID()}`;
  await f
    .as(s.owner.token)
    .post(`/tickets/${s.ticket.id}/consults`, { teamId: s.theirs.team.id, question })
    .expect(201);
  const res = await f.as(s.integration.token).get(`/tickets/${s.ticket.id}/consults`);
  expectForbidden(res);
  expect(JSON.stringify(res.body)).not.toContain(question);
});

describe("an integration reads and writes only its team's tickets", () => {
  it.each([
    ['GET /tickets/:id', (id: string) => `/tickets/${id}`],
    ['GET /tickets/:id (by ref)', (_id: string, ref: string) => `/tickets/${ref}`],
    ['GET /tickets/:id/timeline', (id: string) => `/tickets/${id}/timeline`],
    ['GET /tickets/:id/deadlines', (id: string) => `/tickets/${id}/deadlines`],
    ['GET /tickets/:id/attachments', (id: string) => `/tickets/${id}/attachments`],
    ['GET /tickets/:id/promises', (id: string) => `/tickets/${id}/promises`],
  ])(
    "when another team's integration reads a ticket (%s), then 404 problem+json",
    async (_name, path) => {
      const s = await scene();
      expectNotFound(await f.as(s.outsider.token).get(path(s.ticket.id, s.ticket.ref)));
      // Its own team's integration still reads it.
      expect((await f.as(s.integration.token).get(path(s.ticket.id, s.ticket.ref))).status).toBe(
        200,
      );
    },
  );

  it("when another team's integration logs a customer message on a ticket, then 404 and nothing is recorded", async () => {
    const s = await scene();
    const before = await ticketState(app.dataSource, s.ticket.id);

    const res = await f
      .as(s.outsider.token)
      .post(`/tickets/${s.ticket.id}/customer-messages`, { body: 'Please cancel everything' });

    expectNotFound(res);
    expect(await ticketState(app.dataSource, s.ticket.id)).toEqual(before);
  });

  it('when an integration creates a ticket in another team, then 403 problem+json and no ticket is created', async () => {
    const s = await scene();
    const subject = `Cross-team ${randomUUID()}`;

    const res = await f.as(s.integration.token).post('/tickets', {
      customerId: s.theirs.customer.id,
      subject,
      description: 'Posted by the other team’s web form',
      channel: 'web',
      teamId: s.theirs.team.id,
    });

    expectForbidden(res);
    const rows = await app.dataSource.query(`SELECT 1 FROM tickets WHERE subject = $1`, [subject]);
    expect(rows).toHaveLength(0);
  });

  it('when an integration creates a ticket without a teamId, then it lands in its own team', async () => {
    const s = await scene();
    const res = await f.as(s.integration.token).post('/tickets', {
      customerId: s.mine.customer.id,
      subject: 'Web form without a team',
      description: 'The form names no team',
      channel: 'web',
    });
    expect(res.status).toBe(201);
    expect(res.body.teamId).toBe(s.mine.team.id);
  });

  it('when an admin creates an integration without a team, then it is an organisation-wide gateway that must name the team of each ticket and still sees no internal notes', async () => {
    const s = await scene();
    const created = await f.admin().post('/agents', {
      name: 'Company-wide mail gateway',
      email: `gateway-${randomUUID()}@example.test`,
      role: 'integration',
    });
    expect(created.status).toBe(201);
    expect(created.body.teamId).toBeNull();
    const gateway = created.body.token as string;

    const noTeam = await f.as(gateway).post('/tickets', {
      customerId: s.mine.customer.id,
      subject: 'Mail to the company address',
      description: 'No team named',
      channel: 'email',
    });
    expect(noTeam.status).toBe(400);
    expect(noTeam.body.errors).toEqual([{ path: 'teamId', message: expect.any(String) }]);

    const inTheirs = await f.as(gateway).post('/tickets', {
      customerId: s.theirs.customer.id,
      subject: 'Mail to the company address',
      description: 'Routed to the other team',
      channel: 'email',
      teamId: s.theirs.team.id,
    });
    expect(inTheirs.status).toBe(201);
    expect(inTheirs.body.teamId).toBe(s.theirs.team.id);

    await f
      .as(s.owner.token)
      .post(`/tickets/${s.ticket.id}/updates`, {
        body: 'Internal: check the line',
        visibility: 'internal',
      })
      .expect(201);
    const seen = await timeline(gateway, s.ticket.id);
    expect(JSON.stringify(seen)).not.toContain('Internal: check the line');
  });

  it("when another team's gateway matches the customer's reply to a ticket, then the reply is recorded and that gateway may read the ticket, but not another team's integration", async () => {
    const s = await scene();
    const otherGateway = await f.agent('integration', s.theirs.team.id);
    const token = signTicketToken(app.ctx.settings.linkSecret, 'reply', s.ticket.id);
    const raw = [
      `From: ${s.mine.customer.email}`,
      `To: ${replyAddress('support@ownit.test', token)}`,
      'Subject: Re: Web form',
      `Message-ID: <${randomUUID()}@customer.test>`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Still no dial tone.',
      '',
    ].join('\r\n');

    const res = await f
      .http()
      .post('/api/v1/inbound/email')
      .set('Content-Type', 'message/rfc822')
      .set('Authorization', `Bearer ${otherGateway.token}`)
      .send(raw);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ result: 'matched', ticketId: s.ticket.id });
    expect((await f.as(otherGateway.token).get(`/tickets/${s.ticket.id}`)).status).toBe(200);
    expectNotFound(await f.as(s.outsider.token).get(`/tickets/${s.ticket.id}`));
  });
});

describe('an integration never sees internal timeline items', () => {
  async function withStaffTalk() {
    const s = await scene();
    const other = s.mine.reps.find((r) => r.id !== s.owner.id) ?? s.mine.supervisor;
    const as = f.as(s.owner.token);
    await as
      .post(`/tickets/${s.ticket.id}/updates`, {
        body: 'Customer sounds angry, check the contract first',
        visibility: 'internal',
      })
      .expect(201);
    await as
      .post(`/tickets/${s.ticket.id}/updates`, { body: 'We are on it.', visibility: 'public' })
      .expect(201);
    const offer = await as
      .post(`/tickets/${s.ticket.id}/handoffs`, {
        toAgentId: other.id,
        note: 'Between us: this one is a churn risk',
      })
      .expect(201);
    await f
      .as(other.token)
      .post(`/handoffs/${offer.body.id}/accept`, {})
      .expect((r) => expect(r.status).toBeLessThan(300));
    return { ...s, newOwner: other };
  }

  it("when an integration reads its team's ticket timeline, then internal notes, handoff notes and the mail log are left out", async () => {
    const s = await withStaffTalk();

    const seen = await timeline(s.integration.token, s.ticket.id);
    const staff = await timeline(s.owner.token, s.ticket.id);

    expect(staff.map((e) => e.type)).toEqual(
      expect.arrayContaining(['internal_note', 'handoff_offered', 'email_queued']),
    );
    expect(seen.map((e) => e.type)).toEqual(
      expect.arrayContaining(['created', 'public_update', 'owner_changed']),
    );
    for (const type of ['internal_note', 'handoff_offered', 'handoff_accepted', 'email_queued'])
      expect(seen.map((e) => e.type)).not.toContain(type);
    const text = JSON.stringify(seen);
    expect(text).not.toContain('check the contract first');
    expect(text).not.toContain('churn risk');
    for (const agent of [...s.mine.reps, s.mine.supervisor])
      expect(text).not.toContain(agent.email);
  });

  it('when an internal note is posted, then the integration hears nothing of it on the live stream while it hears the public update', async () => {
    const s = await scene();
    const stream = await SseClient.open(app.server, {
      Authorization: `Bearer ${s.integration.token}`,
    });
    streams.push(stream);
    expect(stream.status).toBe(200);
    const as = f.as(s.owner.token);
    await as
      .post(`/tickets/${s.ticket.id}/updates`, { body: 'Staff only', visibility: 'internal' })
      .expect(201);
    await as
      .post(`/tickets/${s.ticket.id}/updates`, { body: 'Hello', visibility: 'public' })
      .expect(201);

    // Events arrive in commit order: once the public update is heard, the note would have been.
    await stream.waitFor((e) => e.data.ticketId === s.ticket.id && e.data.type === 'public_update');
    const types = stream.events
      .filter((e) => e.data.ticketId === s.ticket.id)
      .map((e) => e.data.type);
    expect(types).not.toContain('internal_note');
    expect(types).not.toContain('email_queued');
  });
});

describe('an integration never lists staff emails', () => {
  const listed = (items: Array<Record<string, unknown>>, agent: AgentFixture) =>
    items.find((a) => a.id === agent.id);

  it("when an integration lists its team's agents, then each is shown without an email", async () => {
    const s = await scene();

    const res = await f.as(s.integration.token).get('/agents');

    expect(res.status).toBe(200);
    const items = res.body.items as Array<Record<string, unknown>>;
    const rep = listed(items, s.mine.reps[0]!);
    expect(rep).toMatchObject({ id: s.mine.reps[0]!.id, name: s.mine.reps[0]!.name });
    expect(rep).not.toHaveProperty('email');
    for (const agent of [...s.mine.reps, s.mine.supervisor])
      expect(JSON.stringify(items)).not.toContain(agent.email);
    // Staff still see their teammates' addresses.
    const asRep = await f.as(s.mine.reps[0]!.token).get('/agents').expect(200);
    expect(listed(asRep.body.items, s.mine.reps[1]!)).toMatchObject({
      email: s.mine.reps[1]!.email,
    });
  });

  it('when an integration reads one agent, then the email is left out', async () => {
    const s = await scene();
    const res = await f.as(s.integration.token).get(`/agents/${s.mine.supervisor.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: s.mine.supervisor.id, role: 'supervisor' });
    expect(res.body).not.toHaveProperty('email');
  });
});
