import { Fixtures, type AgentFixture } from '../helpers/factories';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { eventsOfType, offer, openPeriodsOf, ticketAs } from './ownership-helpers';

/*
 * Every request here is fired at the listening server at once (Promise.all), so the database's
 * locks and constraints, not the order of the test, decide who wins.
 */
let app: TestApp;
let f: Fixtures;

beforeAll(async () => {
  app = await startTestApp();
  f = new Fixtures(app);
});
afterAll(() => app.close());

const statuses = (responses: Array<{ status: number }>) => responses.map((r) => r.status).sort();

async function ticketOwnedByRepA() {
  const staffed = await f.staffedTeam();
  const [repA, repB] = staffed.reps as [AgentFixture, AgentFixture];
  const ticket = await f.ticket(repA.token, staffed.customer.id);
  return { ...staffed, repA, repB, ticket };
}

/** The ticket has exactly one owner, and the periods and the timeline agree on who it is. */
async function expectOneConsistentOwner(token: string, ticketId: string): Promise<string> {
  const ticket = await ticketAs(f, token, ticketId);
  const open = await openPeriodsOf(app, ticketId);
  expect(open).toHaveLength(1);
  expect(open[0]!.agent_id).toBe(ticket.ownerId);
  const changes = await eventsOfType(f, token, ticketId, 'owner_changed');
  const lastOwner = changes.length > 0 ? changes[changes.length - 1]!.data.toAgentId : undefined;
  if (lastOwner !== undefined) expect(lastOwner).toBe(ticket.ownerId);
  return ticket.ownerId;
}

describe('concurrent ownership changes', () => {
  it('when the target accepts the same handoff twice in parallel, then exactly one accept wins', async () => {
    const { repA, repB, ticket } = await ticketOwnedByRepA();
    const handoff = await offer(f, repA.token, ticket.id, repB.id);

    const responses = await Promise.all([
      f.as(repB.token).post(`/handoffs/${handoff.id}/accept`, {}),
      f.as(repB.token).post(`/handoffs/${handoff.id}/accept`, {}),
    ]);

    expect(statuses(responses)).toEqual([200, 409]);
    expect(await expectOneConsistentOwner(repB.token, ticket.id)).toBe(repB.id);
    expect(await eventsOfType(f, repB.token, ticket.id, 'owner_changed')).toHaveLength(1);
    expect(await eventsOfType(f, repB.token, ticket.id, 'handoff_accepted')).toHaveLength(1);
  });

  it('when an accept races a decline of the same handoff, then exactly one answer is recorded', async () => {
    const { repA, repB, ticket } = await ticketOwnedByRepA();
    const handoff = await offer(f, repA.token, ticket.id, repB.id);

    const [accept, decline] = await Promise.all([
      f.as(repB.token).post(`/handoffs/${handoff.id}/accept`, {}),
      f.as(repB.token).post(`/handoffs/${handoff.id}/decline`, {}),
    ]);

    expect(statuses([accept, decline])).toEqual([200, 409]);
    const owner = await expectOneConsistentOwner(repA.token, ticket.id);
    expect(owner).toBe(accept.status === 200 ? repB.id : repA.id);
  });

  it('when an accept races a supervisor reassign, then the ticket ends with one owner and no 500', async () => {
    // Several tickets at once so that both orders of the race are exercised.
    const rounds = await Promise.all(Array.from({ length: 4 }, () => ticketOwnedByRepA()));
    const handoffs = await Promise.all(
      rounds.map((r) => offer(f, r.repA.token, r.ticket.id, r.repB.id)),
    );

    const results = await Promise.all(
      rounds.map(async (r, i) => {
        const [accept, reassign] = await Promise.all([
          f.as(r.repB.token).post(`/handoffs/${handoffs[i]!.id}/accept`, {}),
          f.as(r.supervisor.token).post(`/tickets/${r.ticket.id}/reassign`, {
            toAgentId: r.supervisor.id,
            reason: 'Escalated',
          }),
        ]);
        return { r, accept, reassign };
      }),
    );

    for (const { r, accept, reassign } of results) {
      expect([200, 409]).toContain(accept.status);
      expect(reassign.status).toBe(200);
      expect(await expectOneConsistentOwner(r.supervisor.token, r.ticket.id)).toBe(r.supervisor.id);
      const reasons = (await eventsOfType(f, r.supervisor.token, r.ticket.id, 'owner_changed')).map(
        (e) => e.data.reason,
      );
      expect(reasons).toEqual(accept.status === 200 ? ['handoff', 'reassigned'] : ['reassigned']);
    }
  });

  it('when an accept races a reassign to the same agent, then that agent owns the ticket once', async () => {
    const { repA, repB, supervisor, ticket } = await ticketOwnedByRepA();
    const handoff = await offer(f, repA.token, ticket.id, repB.id);

    const [accept, reassign] = await Promise.all([
      f.as(repB.token).post(`/handoffs/${handoff.id}/accept`, {}),
      f
        .as(supervisor.token)
        .post(`/tickets/${ticket.id}/reassign`, { toAgentId: repB.id, reason: 'Same idea' }),
    ]);

    // Whoever comes second finds the work already done: 409 (answered) or 400 (already owns).
    const outcome = [accept.status, reassign.status];
    expect([
      [200, 400],
      [409, 200],
    ]).toContainEqual(outcome);
    expect(await expectOneConsistentOwner(repB.token, ticket.id)).toBe(repB.id);
    expect(await eventsOfType(f, repB.token, ticket.id, 'owner_changed')).toHaveLength(1);
  });

  it('when the owner sends several offers in parallel, then exactly one is pending', async () => {
    const { team, repA, ticket } = await ticketOwnedByRepA();
    const targets = await Promise.all([1, 2, 3, 4].map(() => f.agent('rep', team.id)));

    const responses = await Promise.all(
      targets.map((t) =>
        f
          .as(repA.token)
          .post(`/tickets/${ticket.id}/handoffs`, { toAgentId: t.id, note: 'Take it' }),
      ),
    );

    expect(statuses(responses)).toEqual([201, 409, 409, 409]);
    const pending = await app.dataSource.query(
      `SELECT id FROM handoffs WHERE ticket_id = $1 AND status = 'pending'`,
      [ticket.id],
    );
    expect(pending).toHaveLength(1);
  });
});

describe('concurrent ticket writes', () => {
  it('when N public updates race with the same If-Match, then exactly one succeeds and the rest get 412', async () => {
    const { repA, ticket } = await ticketOwnedByRepA();
    const n = 6;

    const responses = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        f
          .as(repA.token)
          .post(`/tickets/${ticket.id}/updates`, { body: `Update ${i}`, visibility: 'public' })
          .set('If-Match', `"${ticket.version}"`),
      ),
    );

    expect(statuses(responses)).toEqual([201, ...Array<number>(n - 1).fill(412)]);
    for (const res of responses.filter((r) => r.status === 412)) {
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body.currentVersion).toBe(ticket.version + 1);
    }
    expect((await ticketAs(f, repA.token, ticket.id)).version).toBe(ticket.version + 1);
    expect(await eventsOfType(f, repA.token, ticket.id, 'public_update')).toHaveLength(1);
    const emails = await app.dataSource.query(
      `SELECT 1 FROM outbox_emails WHERE ticket_id = $1 AND template = 'public_update'`,
      [ticket.id],
    );
    expect(emails).toHaveLength(1);
  });

  it('when N PATCHes without If-Match race, then all succeed and the version rises by exactly N', async () => {
    const { repA, supervisor, ticket } = await ticketOwnedByRepA();
    const n = 8;

    const responses = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        f
          .as(i % 2 === 0 ? repA.token : supervisor.token)
          .patch(`/tickets/${ticket.id}`, { category: `cat-${i}` }),
      ),
    );

    expect(statuses(responses)).toEqual(Array<number>(n).fill(200));
    // Each response saw a distinct version: no two writers read the same row.
    expect(new Set(responses.map((r) => r.body.version)).size).toBe(n);
    const after = await ticketAs(f, repA.token, ticket.id);
    expect(after.version).toBe(ticket.version + n);
    const changes = await eventsOfType(f, repA.token, ticket.id, 'field_changed');
    expect(changes).toHaveLength(n);
    // The final category is the one written by the last writer in version order.
    const last = responses.reduce((a, b) => (a.body.version > b.body.version ? a : b));
    expect(after.category).toBe(last.body.category);
  });

  it('when integrations create tickets in parallel for reps with capacity 1, then no rep is overfilled', async () => {
    const { team, supervisor, reps, customer } = await f.staffedTeam({ reps: 3, capacity: 1 });
    const integration = await f.agent('integration', team.id);
    const n = 10;

    const responses = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        f.as(integration.token).post('/tickets', {
          customerId: customer.id,
          subject: `Web form ${i}`,
          description: 'Parallel',
          channel: 'web',
          teamId: team.id,
        }),
      ),
    );

    expect(statuses(responses)).toEqual(Array<number>(n).fill(201));
    const owners = responses.map((r) => r.body.ownerId as string);
    for (const rep of reps) expect(owners.filter((o) => o === rep.id)).toHaveLength(1);
    expect(owners.filter((o) => o === supervisor.id)).toHaveLength(n - reps.length);
    for (const rep of reps) {
      const me = await f.as(rep.token).get('/me');
      expect(me.body.openTicketCount).toBeLessThanOrEqual(1);
    }
    for (const res of responses) expect(await openPeriodsOf(app, res.body.id)).toHaveLength(1);
  });
});

describe('concurrent deactivation', () => {
  it('when a rep is deactivated while integrations create tickets, then no open ticket is left with the inactive rep', async () => {
    const { team, customer } = await f.staffedTeam({ reps: 0 });
    const leaver = await f.agent('rep', team.id);
    const other = await f.agent('rep', team.id);
    // The leaver is the least loaded rep, so the rule keeps choosing it until it is inactive.
    for (let i = 0; i < 3; i++) await f.ticket(other.token, customer.id);
    const integration = await f.agent('integration', team.id);

    const creates = Array.from({ length: 8 }, (_, i) =>
      f.as(integration.token).post('/tickets', {
        customerId: customer.id,
        subject: `Race ${i}`,
        description: 'Parallel',
        channel: 'web',
        teamId: team.id,
      }),
    );
    const [deactivation, ...created] = await Promise.all([
      f.admin().patch(`/agents/${leaver.id}`, { active: false }),
      ...creates,
    ]);

    expect(deactivation.status).toBe(200);
    for (const res of created) expect(res.status).toBe(201);
    const stranded = await app.dataSource.query(
      `SELECT t.ref FROM tickets t WHERE t.owner_id = $1 AND t.status IN ('open', 'waiting_on_customer')`,
      [leaver.id],
    );
    expect(stranded).toEqual([]);
  });

  it('when a supervisor reassigns to a rep while the rep is deactivated, then the ticket is not left with the inactive rep', async () => {
    // A few independent rounds at once, so the race is actually hit.
    const rounds = await Promise.all(Array.from({ length: 3 }, () => ticketOwnedByRepA()));

    const results = await Promise.all(
      rounds.map(async (r) => {
        const [reassign, deactivation] = await Promise.all([
          f
            .as(r.supervisor.token)
            .post(`/tickets/${r.ticket.id}/reassign`, { toAgentId: r.repB.id, reason: 'Cover' }),
          f.admin().patch(`/agents/${r.repB.id}`, { active: false }),
        ]);
        return { r, reassign, deactivation };
      }),
    );

    for (const { r, reassign, deactivation } of results) {
      expect(deactivation.status).toBe(200);
      expect([200, 400]).toContain(reassign.status);
      const owner = await expectOneConsistentOwner(r.supervisor.token, r.ticket.id);
      expect(owner).not.toBe(r.repB.id);
      expect([r.repA.id, r.supervisor.id]).toContain(owner);
    }
  });

  it('when the target accepts a handoff while being deactivated, then no 500 and an active agent owns the ticket', async () => {
    const rounds = await Promise.all(Array.from({ length: 3 }, () => ticketOwnedByRepA()));
    const handoffs = await Promise.all(
      rounds.map((r) => offer(f, r.repA.token, r.ticket.id, r.repB.id)),
    );

    const results = await Promise.all(
      rounds.map(async (r, i) => {
        const [accept, deactivation] = await Promise.all([
          f.as(r.repB.token).post(`/handoffs/${handoffs[i]!.id}/accept`, {}),
          f.admin().patch(`/agents/${r.repB.id}`, { active: false }),
        ]);
        return { r, accept, deactivation };
      }),
    );

    for (const { r, accept, deactivation } of results) {
      expect(deactivation.status).toBe(200);
      // Accepted before the deactivation, or refused because the offer (or the token) is gone.
      expect([200, 401, 409]).toContain(accept.status);
      const owner = await expectOneConsistentOwner(r.supervisor.token, r.ticket.id);
      expect(owner).not.toBe(r.repB.id);
    }
  });
});
