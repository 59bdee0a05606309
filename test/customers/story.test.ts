import type { DataSource, QueryRunner, ReplicationMode } from 'typeorm';
import { ManualClock } from '../../src/clock';
import type { ServiceContext } from '../../src/context';
import { enforceDeadlineStep } from '../../src/deadlines/enforce-deadline';
import { recordSatisfactionScore } from '../../src/satisfaction/satisfaction.service';
import { Fixtures, type AgentFixture, type TicketBody } from '../helpers/factories';
import { startTestApp, type TestApp } from '../helpers/test-app';

/**
 * The customer story answers "who lost this customer, and where?": every concern with its owners,
 * breaches, promises, consults and scores, and one time-ordered list of what happened.
 */
const NINE_TO_FIVE = Object.fromEntries(
  ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, { open: '09:00', close: '17:00' }]),
);
const WEDNESDAY_10Z = new Date('2026-03-04T10:00:00Z'); // 11:00 in Berlin; due at 17:00 Berlin

let app: TestApp;
let f: Fixtures;
let clock: ManualClock;
let ctx: ServiceContext;

beforeAll(async () => {
  clock = new ManualClock(WEDNESDAY_10Z);
  app = await startTestApp({ clock });
  f = new Fixtures(app);
  ctx = app.ctx;
});
beforeEach(() => clock.set(WEDNESDAY_10Z));
afterAll(() => app.close());

const at = (iso: string) => clock.set(new Date(iso));

async function breachFirstResponse(ticketId: string) {
  const [t] = await app.dataSource.query(
    `SELECT deadline_kind AS kind, deadline_version AS version FROM tickets WHERE id = $1`,
    [ticketId],
  );
  expect(t.kind).toBe('first_response');
  const outcome = await enforceDeadlineStep(ctx, {
    ticketId,
    kind: 'first_response',
    version: t.version,
    step: 'breached',
  });
  expect(outcome).toEqual({ result: 'done' });
}

/** What the worker records when a promise passes its due time unkept. */
async function brokenPromise(
  ticket: TicketBody,
  madeBy: AgentFixture,
  madeAt: string,
  dueAt: string,
) {
  const [promise] = await app.dataSource.query(
    `INSERT INTO promises (ticket_id, customer_id, team_id, made_by_id, description, due_at, silo,
                           status, closed_at, created_at)
     VALUES ($1, $2, $3, $4, 'A technician visits on Wednesday afternoon', $5, 'field_service',
             'broken', $5, $6)
     RETURNING id`,
    [ticket.id, ticket.customerId, ticket.teamId, madeBy.id, dueAt, madeAt],
  );
  await app.dataSource.query(
    `INSERT INTO timeline_events (ticket_id, type, at, actor_id, data) VALUES
       ($1, 'promise_made', $2, $3, jsonb_build_object('promiseId', $5::text, 'silo', 'field_service')),
       ($1, 'promise_broken', $4, NULL, jsonb_build_object('promiseId', $5::text, 'silo', 'field_service'))`,
    [ticket.id, madeAt, madeBy.id, dueAt, promise.id],
  );
  return promise.id as string;
}

/**
 * A customer who left: a care concern handed from rep 1 to rep 2, answered late, with a broken
 * technician promise and a 1/5 score; then a billing concern reassigned by its supervisor.
 */
async function churnedCustomer() {
  const care = await f.staffedTeam({ team: { businessHours: NINE_TO_FIVE } });
  const [rep1, rep2] = care.reps as [AgentFixture, AgentFixture];
  const billing = await f.staffedTeam();
  const [billing1, billing2] = billing.reps as [AgentFixture, AgentFixture];
  const customer = care.customer;

  at('2026-03-04T10:00:00Z');
  const visit = await f.ticket(rep1.token, customer.id, { subject: 'Technician never came' });
  at('2026-03-04T10:10:00Z');
  const offer = await f
    .as(rep1.token)
    .post(`/tickets/${visit.id}/handoffs`, { toAgentId: rep2.id, note: 'You know the area' });
  expect(offer.status).toBe(201);
  at('2026-03-04T10:15:00Z');
  await f.as(rep2.token).post(`/handoffs/${offer.body.id}/accept`, {}).expect(200);
  at('2026-03-04T10:20:00Z');
  await f
    .as(rep2.token)
    .post(`/tickets/${visit.id}/updates`, { body: 'SECRET-INTERNAL-NOTE', visibility: 'internal' })
    .expect(201);
  const promiseId = await brokenPromise(
    visit,
    rep2,
    '2026-03-04T10:30:00Z',
    '2026-03-04T15:30:00Z',
  );
  await app.dataSource.query(
    `INSERT INTO consults (ticket_id, asked_by_id, team_id, question, due_at, status, answer,
                           answered_by_id, answered_at, created_at)
     VALUES ($1, $2, $3, 'Was the visit booked?', '2026-03-04T16:00:00Z', 'answered', 'No',
             $4, '2026-03-04T11:00:00Z', '2026-03-04T10:40:00Z')`,
    [visit.id, rep2.id, billing.team.id, billing1.id],
  );
  at('2026-03-04T17:00:00Z'); // 18:00 Berlin: an hour past the first-response deadline
  await breachFirstResponse(visit.id);
  at('2026-03-04T17:10:00Z');
  await f
    .as(rep2.token)
    .post(`/tickets/${visit.id}/updates`, { body: 'Sorry, rebooking', visibility: 'public' })
    .expect(201);
  at('2026-03-04T17:30:00Z');
  await f
    .as(rep2.token)
    .post(`/tickets/${visit.id}/resolve`, {
      resolution: 'Visit rebooked',
      rootCause: { silo: 'field_service', category: 'technician_no_show' },
    })
    .expect(200);
  at('2026-03-05T08:00:00Z');
  expect(await recordSatisfactionScore(ctx, visit.id, 1)).toMatchObject({ kind: 'recorded' });

  at('2026-03-05T10:00:00Z');
  const invoice = await f.ticket(billing1.token, customer.id, {
    subject: 'Promo code not applied',
  });
  at('2026-03-05T10:05:00Z');
  await f
    .as(billing.supervisor.token)
    .post(`/tickets/${invoice.id}/reassign`, { toAgentId: billing2.id, reason: 'On leave' })
    .expect(200);
  at('2026-03-05T10:10:00Z');
  await f
    .as(billing2.token)
    .post(`/tickets/${invoice.id}/updates`, { body: 'Credit applied', visibility: 'public' })
    .expect(201);
  at('2026-03-05T10:20:00Z');
  await f
    .as(billing2.token)
    .post(`/tickets/${invoice.id}/resolve`, {
      resolution: 'Credit applied',
      rootCause: { silo: 'billing', category: 'promo_code_missing' },
    })
    .expect(200);

  at('2026-03-06T09:00:00Z');
  await f
    .as(care.supervisor.token)
    .post(`/customers/${customer.id}/churn`, { reason: 'Switched to a competitor' })
    .expect(200);
  return { care, billing, rep1, rep2, billing1, billing2, customer, visit, invoice, promiseId };
}

describe('GET /customers/:id/story', () => {
  it('when a churned customer is read by an admin, then every concern shows its owners, breaches, promises and score', async () => {
    const s = await churnedCustomer();

    const res = await f.admin().get(`/customers/${s.customer.id}/story`);

    expect(res.status).toBe(200);
    const { customer, summary, concerns } = res.body;
    expect(res.body).toMatchObject({ scope: 'all', otherTeams: [] });
    expect(customer).toMatchObject({
      id: s.customer.id,
      churnedAt: '2026-03-06T09:00:00.000Z',
      churnReason: 'Switched to a competitor',
    });
    expect(concerns.map((c: { ref: string }) => c.ref)).toEqual([s.visit.ref, s.invoice.ref]);

    const [visit, invoice] = concerns;
    expect(visit).toMatchObject({
      ticketId: s.visit.id,
      subject: 'Technician never came',
      teamId: s.care.team.id,
      status: 'open', // the 1/5 score reopened it for a recovery follow-up
      reopenCount: 1,
      rootCause: { silo: 'field_service', category: 'technician_no_show' },
      satisfaction: { score: 1, at: '2026-03-05T08:00:00.000Z' },
      // The reopened concern still reports its first answer: an hour and ten minutes late.
      firstResponse: {
        dueAt: '2026-03-04T16:00:00.000Z',
        respondedAt: '2026-03-04T17:10:00.000Z',
        lateMinutes: 70,
      },
      responses: [
        expect.objectContaining({ agentId: s.rep2.id, firstResponse: true, lateMinutes: 70 }),
      ],
    });
    expect(visit.owners).toEqual([
      {
        agentId: s.rep1.id,
        name: s.rep1.name,
        from: '2026-03-04T10:00:00.000Z',
        to: '2026-03-04T10:15:00.000Z',
        reason: 'created',
      },
      {
        agentId: s.rep2.id,
        name: s.rep2.name,
        from: '2026-03-04T10:15:00.000Z',
        to: null,
        reason: 'handoff',
      },
    ]);
    expect(visit.handoffs).toEqual([
      expect.objectContaining({
        fromAgentId: s.rep1.id,
        toAgentId: s.rep2.id,
        toName: s.rep2.name,
        status: 'accepted',
        offeredAt: '2026-03-04T10:10:00.000Z',
        respondedAt: '2026-03-04T10:15:00.000Z',
      }),
    ]);
    expect(visit.breaches).toEqual([
      {
        kind: 'first_response',
        dueAt: '2026-03-04T16:00:00.000Z',
        at: '2026-03-04T17:00:00.000Z',
        ownerId: s.rep2.id,
        ownerName: s.rep2.name,
        lateMinutes: 60,
      },
    ]);
    expect(visit.promises).toEqual([
      expect.objectContaining({
        id: s.promiseId,
        silo: 'field_service',
        status: 'broken',
        dueAt: '2026-03-04T15:30:00.000Z',
        closedAt: '2026-03-04T15:30:00.000Z',
      }),
    ]);
    expect(visit.consults).toEqual([
      expect.objectContaining({
        teamId: s.billing.team.id,
        question: 'Was the visit booked?',
        status: 'answered',
        answeredAt: '2026-03-04T11:00:00.000Z',
      }),
    ]);

    expect(invoice).toMatchObject({
      teamId: s.billing.team.id,
      status: 'resolved',
      rootCause: { silo: 'billing', category: 'promo_code_missing' },
      satisfaction: null,
      firstResponse: {
        respondedAt: '2026-03-05T10:10:00.000Z',
        lateMinutes: null,
      },
      breaches: [],
      promises: [],
    });
    expect(
      invoice.owners.map((o: { agentId: string; reason: string }) => [o.agentId, o.reason]),
    ).toEqual([
      [s.billing1.id, 'created'],
      [s.billing2.id, 'reassigned'],
    ]);

    expect(summary).toMatchObject({
      concerns: 2,
      open: 1,
      breaches: 1,
      brokenPromises: 1,
      keptPromises: 0,
      handoffs: 1,
      ownerChanges: 2,
      consults: 1,
      reopenings: 1,
      lowScores: 1,
      averageScore: 1,
    });
    expect(summary.rootCauses).toEqual(
      expect.arrayContaining([
        { silo: 'field_service', category: 'technician_no_show', count: 1 },
        { silo: 'billing', category: 'promo_code_missing', count: 1 },
      ]),
    );
    expect(summary.ownersInvolved).toHaveLength(4);
    expect(summary.ownersInvolved).toEqual(
      expect.arrayContaining([
        { agentId: s.rep2.id, name: s.rep2.name, teamId: s.care.team.id, concerns: 1 },
        { agentId: s.billing2.id, name: s.billing2.name, teamId: s.billing.team.id, concerns: 1 },
      ]),
    );
  });

  it('when the story is read, then its events are in time order, end with the churn and never show internal notes or email noise', async () => {
    const s = await churnedCustomer();

    const res = await f.admin().get(`/customers/${s.customer.id}/story`);

    expect(res.status).toBe(200);
    const events: Array<{ at: string; type: string; ref: string | null; summary: string }> =
      res.body.events;
    const times = events.map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const visitTypes = events.filter((e) => e.ref === s.visit.ref).map((e) => e.type);
    expect(visitTypes).toEqual([
      'created',
      'handoff_offered',
      'handoff_accepted',
      'owner_changed',
      'promise_made',
      'promise_broken',
      'deadline_breached',
      'escalated',
      'public_update',
      'resolved',
      'satisfaction_scored',
      'reopened',
      'recovery_follow_up',
    ]);
    expect(events.at(-1)).toMatchObject({
      type: 'churned',
      at: '2026-03-06T09:00:00.000Z',
      summary: expect.stringContaining('Switched to a competitor'),
    });
    const byType = (type: string, ref = s.visit.ref) =>
      events.find((e) => e.type === type && e.ref === ref)?.summary;
    expect(byType('deadline_breached')).toBe(
      `First-response deadline missed by ${s.rep2.name} (60 min late)`,
    );
    expect(byType('public_update')).toBe(
      `First response to the customer by ${s.rep2.name}, 70 min late`,
    );
    expect(byType('promise_broken')).toContain('A technician visits on Wednesday afternoon');
    expect(byType('owner_changed', s.invoice.ref)).toBe(
      `Owner changed from ${s.billing1.name} to ${s.billing2.name} (reassigned)`,
    );
    const body = JSON.stringify(res.body);
    expect(body).not.toContain('SECRET-INTERNAL-NOTE');
    expect(body).not.toContain('internal_note');
    expect(body).not.toMatch(/"type":"email_/);
  });

  it('when a customer has no concerns, then the story is empty but complete', async () => {
    const customer = await f.customer();

    const res = await f.admin().get(`/customers/${customer.id}/story`);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      customer: { id: customer.id, churnedAt: null },
      concerns: [],
      events: [],
      summary: { concerns: 0, breaches: 0, averageScore: null, rootCauses: [], ownersInvolved: [] },
    });
  });
});

describe('other teams in the story: facts without text', () => {
  it("when a supervisor of another team reads a churned customer's story, then only counts of that team's concerns: no subjects, notes, promise texts or consult questions", async () => {
    const s = await churnedCustomer();

    const res = await f.as(s.billing.supervisor.token).get(`/customers/${s.customer.id}/story`);

    expect(res.status).toBe(200);
    expect(res.body.scope).toBe('team');
    // Billing's own concern in full, with its events.
    expect(res.body.concerns.map((c: { ref: string }) => c.ref)).toEqual([s.invoice.ref]);
    expect(res.body.concerns[0]).toMatchObject({ subject: 'Promo code not applied' });
    const refs = new Set(res.body.events.map((e: { ref: string | null }) => e.ref));
    expect([...refs]).toEqual(expect.arrayContaining([s.invoice.ref, null]));
    expect(refs.has(s.visit.ref)).toBe(false);
    expect(res.body.summary).toMatchObject({ concerns: 1, breaches: 0, brokenPromises: 0 });
    // Care's concern as facts.
    expect(res.body.otherTeams).toEqual([
      {
        teamId: s.care.team.id,
        teamName: s.care.team.name,
        concerns: 1,
        byStatus: { open: 1, waiting_on_customer: 0, resolved: 0, closed: 0 },
        bySilo: [{ silo: 'field_service', count: 1 }],
        breaches: 1,
        reopenings: 1,
        promises: { kept: 0, broken: 1, open: 0 },
        consults: 1,
        scores: { count: 1, average: 1, low: 1 },
        firstReceivedAt: '2026-03-04T10:00:00.000Z',
        lastReceivedAt: '2026-03-04T10:00:00.000Z',
      },
    ]);
    const body = JSON.stringify(res.body);
    for (const text of [
      s.visit.ref,
      'Technician never came',
      'SECRET-INTERNAL-NOTE',
      'You know the area',
      'A technician visits on Wednesday afternoon',
      'Was the visit booked?',
      'Visit rebooked',
      'technician_no_show',
    ])
      expect(body).not.toContain(text);
    // The churn and the customer's changes are the customer's, not a team's: still told.
    expect(res.body.events.at(-1)).toMatchObject({ type: 'churned' });
  });

  it('when an admin reads the same story, then every team is in full and nothing is only counted', async () => {
    const s = await churnedCustomer();

    const res = await f.admin().get(`/customers/${s.customer.id}/story`);

    expect(res.body).toMatchObject({ scope: 'all', otherTeams: [] });
    expect(res.body.concerns.map((c: { ref: string }) => c.ref)).toEqual([
      s.visit.ref,
      s.invoice.ref,
    ]);
    expect(JSON.stringify(res.body)).toContain('Was the visit booked?');
  });
});

describe('who may read a customer story', () => {
  it("when a rep of a team that served the customer reads it, then its team's concerns are in full and the other team's only counted", async () => {
    const { team, reps, customer } = await f.staffedTeam({ reps: 2 });
    const other = await f.staffedTeam({ reps: 1 });
    const mine = await f.ticket(reps[0]!.token, customer.id, { subject: 'Our own concern' });
    await f.ticket(other.reps[0]!.token, customer.id, { subject: 'THEIR-SUBJECT' });

    const res = await f.as(reps[1]!.token).get(`/customers/${customer.id}/story`);

    expect(res.status).toBe(200);
    expect(res.body.scope).toBe('team');
    expect(res.body.concerns).toEqual([
      expect.objectContaining({ ticketId: mine.id, subject: 'Our own concern', teamId: team.id }),
    ]);
    expect(res.body.summary).toMatchObject({ concerns: 1, open: 1 });
    expect(res.body.otherTeams).toEqual([
      expect.objectContaining({
        teamId: other.team.id,
        concerns: 1,
        byStatus: { open: 1, waiting_on_customer: 0, resolved: 0, closed: 0 },
      }),
    ]);
    expect(JSON.stringify(res.body)).not.toContain('THEIR-SUBJECT');
  });

  it('when a rep of a team that never served the customer reads it, then it gets 404', async () => {
    const { reps, customer } = await f.staffedTeam({ reps: 1 });
    await f.ticket(reps[0]!.token, customer.id);
    const outsider = await f.staffedTeam({ reps: 1 });

    const res = await f.as(outsider.reps[0]!.token).get(`/customers/${customer.id}/story`);

    expect(res.status).toBe(404);
    expect(JSON.stringify(res.body)).not.toContain('Internet down');
  });

  it('when a supervisor of another team reads it, then it gets the story as facts: churn crosses teams', async () => {
    const { team, reps, customer } = await f.staffedTeam({ reps: 1 });
    await f.ticket(reps[0]!.token, customer.id);
    const elsewhere = await f.staffedTeam({ reps: 0 });

    const res = await f.as(elsewhere.supervisor.token).get(`/customers/${customer.id}/story`);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ scope: 'team', concerns: [], events: [] });
    expect(res.body.otherTeams).toEqual([
      expect.objectContaining({ teamId: team.id, concerns: 1 }),
    ]);
  });

  it('when an integration reads it, then it gets 403', async () => {
    const { team, reps, customer } = await f.staffedTeam({ reps: 1 });
    await f.ticket(reps[0]!.token, customer.id);
    const integration = await f.agent('integration', team.id);

    const res = await f.as(integration.token).get(`/customers/${customer.id}/story`);

    expect(res.status).toBe(403);
  });

  it('when the customer does not exist, then it gets 404; without a token, 401', async () => {
    const missing = await f.admin().get('/customers/00000000-0000-4000-8000-000000000000/story');
    const anonymous = await f.as(undefined).get(`/customers/${(await f.customer()).id}/story`);

    expect(missing.status).toBe(404);
    expect(anonymous.status).toBe(401);
  });
});

/** Counts every statement the app sends to Postgres while `work` runs. */
async function countQueries(dataSource: DataSource, work: () => Promise<unknown>): Promise<number> {
  let count = 0;
  const create = dataSource.createQueryRunner.bind(dataSource);
  const spy = jest
    .spyOn(dataSource, 'createQueryRunner')
    .mockImplementation((mode?: ReplicationMode): QueryRunner => {
      const runner = create(mode);
      const query = runner.query.bind(runner);
      runner.query = ((...args: Parameters<typeof query>) => {
        count++;
        return query(...args);
      }) as typeof runner.query;
      return runner;
    });
  try {
    await work();
  } finally {
    spy.mockRestore();
  }
  return count;
}

describe('the story is efficient', () => {
  it('when a customer has many concerns, then the story takes as many queries as for one', async () => {
    const { reps, customer: small } = await f.staffedTeam({ reps: 2 });
    const [a, b] = reps as [AgentFixture, AgentFixture];
    await f.ticket(a.token, small.id);
    const big = await f.customer();
    for (let i = 0; i < 6; i++) {
      const ticket = await f.ticket(a.token, big.id, { subject: `Concern ${i}` });
      const offer = await f
        .as(a.token)
        .post(`/tickets/${ticket.id}/handoffs`, { toAgentId: b.id, note: 'Yours' });
      await f.as(b.token).post(`/handoffs/${offer.body.id}/accept`, {}).expect(200);
    }

    const story = (id: string) => async () =>
      expect((await f.as(a.token).get(`/customers/${id}/story`)).status).toBe(200);
    const forOne = await countQueries(app.dataSource, story(small.id));
    const forMany = await countQueries(app.dataSource, story(big.id));

    expect(forOne).toBeGreaterThan(5); // the counter sees the story's queries
    expect(forMany).toBe(forOne);
    const res = await f.as(a.token).get(`/customers/${big.id}/story`);
    expect(res.body.concerns).toHaveLength(6);
    expect(res.body.summary.handoffs).toBe(6);
  });
});
