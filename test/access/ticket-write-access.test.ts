import { Fixtures, type AgentFixture, type TicketBody } from '../helpers/factories';
import { startTestApp, type TestApp } from '../helpers/test-app';
import {
  expectForbidden,
  expectNotFound,
  RESOLVE_BODY,
  send,
  ticketState,
  type Write,
} from './access-helpers';

let app: TestApp;
let f: Fixtures;

beforeAll(async () => {
  app = await startTestApp();
  f = new Fixtures(app);
});
afterAll(() => app.close());

interface Scene {
  ticket: TicketBody;
  owner: AgentFixture;
  supervisor: AgentFixture;
  /** A member of the ticket's team other than the owner, eligible as a new owner. */
  colleague: AgentFixture;
}

interface WriteCase {
  name: string;
  /** The write, built against the ticket's own team. */
  write: (s: Scene) => Write;
  /** Who may legitimately send the very same request (proves the refusal is about access). */
  allowedBy: 'owner' | 'supervisor';
  /** Reopen needs a resolved ticket. */
  resolvedFirst?: boolean;
}

const updates = (visibility: string): WriteCase => ({
  name: `POST /tickets/:id/updates (${visibility})`,
  write: (s) => ({
    method: 'post',
    path: `/tickets/${s.ticket.id}/updates`,
    body: { body: 'On it', visibility },
  }),
  allowedBy: 'owner',
});
const patch: WriteCase = {
  name: 'PATCH /tickets/:id',
  write: (s) => ({
    method: 'patch',
    path: `/tickets/${s.ticket.id}`,
    body: { priority: 'urgent', category: 'billing' },
  }),
  allowedBy: 'owner',
};
const resolve: WriteCase = {
  name: 'POST /tickets/:id/resolve',
  write: (s) => ({ method: 'post', path: `/tickets/${s.ticket.id}/resolve`, body: RESOLVE_BODY }),
  allowedBy: 'owner',
};
const handoff: WriteCase = {
  name: 'POST /tickets/:id/handoffs',
  write: (s) => ({
    method: 'post',
    path: `/tickets/${s.ticket.id}/handoffs`,
    body: { toAgentId: s.colleague.id, note: 'Please take this one' },
  }),
  allowedBy: 'owner',
};
const reopen: WriteCase = {
  name: 'POST /tickets/:id/reopen',
  write: (s) => ({
    method: 'post',
    path: `/tickets/${s.ticket.id}/reopen`,
    body: { reason: 'Still broken' },
  }),
  allowedBy: 'owner',
  resolvedFirst: true,
};
const customerMessage: WriteCase = {
  name: 'POST /tickets/:id/customer-messages',
  write: (s) => ({
    method: 'post',
    path: `/tickets/${s.ticket.id}/customer-messages`,
    body: { body: 'Any news?' },
  }),
  allowedBy: 'owner',
};
const reassign: WriteCase = {
  name: 'POST /tickets/:id/reassign',
  write: (s) => ({
    method: 'post',
    path: `/tickets/${s.ticket.id}/reassign`,
    body: { toAgentId: s.colleague.id, reason: 'Balancing load' },
  }),
  allowedBy: 'supervisor',
};

/** A team of a supervisor and three reps; the first rep owns a fresh ticket. */
async function scene(options: { resolvedFirst?: boolean } = {}) {
  const { team, supervisor, reps, customer } = await f.staffedTeam({ reps: 3 });
  const owner = reps[0]!;
  const ticket = await f.ticket(owner.token, customer.id);
  if (options.resolvedFirst) {
    await f.as(owner.token).post(`/tickets/${ticket.id}/resolve`, RESOLVE_BODY).expect(200);
  }
  return { team, ticket, owner, supervisor, colleague: reps[2]!, bystander: reps[1]! };
}

async function expectRefusedThenAllowed(
  s: Scene,
  c: WriteCase,
  refusedToken: string,
  expectRefusal: (res: Awaited<ReturnType<typeof send>>) => void,
) {
  const before = await ticketState(app.dataSource, s.ticket.id);
  expectRefusal(await send(f, refusedToken, c.write(s)));
  expect(await ticketState(app.dataSource, s.ticket.id)).toEqual(before);

  const allowed = await send(
    f,
    (c.allowedBy === 'owner' ? s.owner : s.supervisor).token,
    c.write(s),
  );
  // On failure this shows the body of the unexpected answer.
  expect(`${allowed.status} ${allowed.status >= 300 ? allowed.text : ''}`).toMatch(/^20[01] /);
}

describe('Writes on a ticket of another team', () => {
  it.each([
    updates('public'),
    updates('internal'),
    patch,
    resolve,
    handoff,
    customerMessage,
    reassign,
    reopen,
  ])(
    'when a rep of another team sends $name, then it is 404 and the ticket is unchanged',
    async (c) => {
      const s = await scene({ resolvedFirst: c.resolvedFirst ?? false });
      const outsider = (await f.staffedTeam({ reps: 1 })).reps[0]!;
      await expectRefusedThenAllowed(s, c, outsider.token, expectNotFound);
    },
  );

  it('when a rep of another team sends a write with a stale If-Match, then it is 404 (not 412) and no version leaks', async () => {
    const s = await scene();
    const outsider = (await f.staffedTeam({ reps: 1 })).reps[0]!;
    const res = await f
      .as(outsider.token)
      .patch(`/tickets/${s.ticket.id}`, { priority: 'high' })
      .set('If-Match', '"999"');
    expectNotFound(res);
    expect(res.body.currentVersion).toBeUndefined();
  });

  it('when a rep creates a ticket in another team, then it is 403 and no ticket is written', async () => {
    const s = await scene();
    const outsider = (await f.staffedTeam({ reps: 1 })).reps[0]!;
    const customer = await f.customer();
    const res = await f.as(outsider.token).post('/tickets', {
      customerId: customer.id,
      subject: 'Not my team',
      description: 'D',
      channel: 'phone',
      teamId: s.team.id,
    });
    expectForbidden(res);
    const [row] = await app.dataSource.query(
      `SELECT count(*)::int AS n FROM tickets WHERE customer_id = $1`,
      [customer.id],
    );
    expect(row.n).toBe(0);
  });
});

describe("Writes on a teammate's ticket", () => {
  it.each([updates('public'), updates('internal'), patch, resolve, handoff, reopen])(
    'when a rep of the same team who does not own the ticket sends $name, then it is 403 and the version is unchanged',
    async (c) => {
      const s = await scene({ resolvedFirst: c.resolvedFirst ?? false });
      expect((await f.as(s.bystander.token).get(`/tickets/${s.ticket.id}`)).status).toBe(200);
      await expectRefusedThenAllowed(s, c, s.bystander.token, expectForbidden);
    },
  );

  it('when a rep of the same team who does not own the ticket sends a 403 write, then GET shows the same version as before', async () => {
    const s = await scene();
    await f
      .as(s.bystander.token)
      .post(`/tickets/${s.ticket.id}/updates`, { body: 'x', visibility: 'public' })
      .expect(403);
    await f.as(s.bystander.token).patch(`/tickets/${s.ticket.id}`, { priority: 'low' }).expect(403);
    await f.as(s.bystander.token).post(`/tickets/${s.ticket.id}/resolve`, RESOLVE_BODY).expect(403);
    const after = await f.as(s.bystander.token).get(`/tickets/${s.ticket.id}`);
    expect(after.status).toBe(200);
    expect(after.body).toMatchObject({
      version: s.ticket.version,
      status: 'open',
      priority: s.ticket.priority,
      ownerId: s.owner.id,
    });
  });

  it("when a rep of the same team logs a customer message on a teammate's ticket, then it is accepted (any agent may)", async () => {
    const s = await scene();
    const res = await f
      .as(s.bystander.token)
      .post(`/tickets/${s.ticket.id}/customer-messages`, { body: 'Customer called' });
    expect(res.status).toBe(201);
    expect(res.body.ticket.ownerId).toBe(s.owner.id);
  });
});
