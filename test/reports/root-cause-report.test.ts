import { ManualClock } from '../../src/clock';
import { Fixtures, type AgentFixture, type TicketBody } from '../helpers/factories';
import { startTestApp, type TestApp } from '../helpers/test-app';
import {
  addPromise,
  addScore,
  berlin,
  churn,
  parseCsv,
  recordBreach,
  resolved,
  setTicket,
} from './report-fixtures';

/**
 * GET /reports/root-causes (issue 5): a Pareto of what tickets resolved in the period were
 * caused by, with reopenings, breaches, broken promises, churned customers and low scores.
 *
 * Team A, resolved 1–15 March 2026 (Berlin):
 *   R1 billing/promo_code_missing   churned C1, reopened, 1 breach, 2 broken promises, score 1
 *   R2 billing/promo_code_missing   C2, a kept promise, score 4
 *   R3 billing/promo_code_missing   churned C1 again, 2 breaches, score 2
 *   R4 field_service/technician_no_show  churned C3, 1 broken promise
 *   R5 field_service/technician_no_show  C2, reopened twice
 *   R6 billing/double_charge        C2
 *   outside: one resolved on 20 March, one on 27 February, one still open
 * Team B: R9 billing/promo_code_missing (C2).
 */
const clock = new ManualClock(berlin('2026-03-16', '12:00'));
const PERIOD = 'from=2026-03-01&to=2026-03-15';
let app: TestApp;
let f: Fixtures;
let teamA: string;
let teamB: string;
let supervisorA: AgentFixture;
let supervisorB: AgentFixture;
let rep: AgentFixture;

beforeAll(async () => {
  app = await startTestApp({ clock, isolated: true });
  f = new Fixtures(app);
  const db = app.dataSource;
  const a = await f.staffedTeam({ reps: 1 });
  const b = await f.staffedTeam({ reps: 1 });
  teamA = a.team.id;
  teamB = b.team.id;
  supervisorA = a.supervisor;
  supervisorB = b.supervisor;
  rep = a.reps[0]!;
  const c1 = await f.customer();
  const c2 = await f.customer();
  const c3 = await f.customer();
  await churn(db, c1.id, berlin('2026-03-14', '10:00'));
  await churn(db, c3.id, berlin('2026-01-10', '10:00'));

  const resolvedTicket = async (
    token: string,
    customerId: string,
    at: Date,
    silo: string,
    category: string,
  ): Promise<TicketBody> => {
    const ticket = await f.ticket(token, customerId);
    await setTicket(db, ticket.id, resolved(at, silo, category));
    return ticket;
  };
  const r1 = await resolvedTicket(
    rep.token,
    c1.id,
    berlin('2026-03-02', '10:00'),
    'billing',
    'promo_code_missing',
  );
  await setTicket(db, r1.id, { reopen_count: 1 });
  await recordBreach(db, r1, 'first_response', berlin('2026-02-27', '17:00'));
  await addPromise(db, r1, 'broken', berlin('2026-03-01', '12:00'), 'billing');
  await addPromise(db, r1, 'broken', berlin('2026-03-01', '13:00'), 'field_service');
  await addScore(db, r1, 1, berlin('2026-03-03', '10:00'));
  const r2 = await resolvedTicket(
    rep.token,
    c2.id,
    berlin('2026-03-05', '10:00'),
    'billing',
    'promo_code_missing',
  );
  await addPromise(db, r2, 'kept', berlin('2026-03-04', '12:00'));
  await addScore(db, r2, 4, berlin('2026-03-06', '10:00'));
  const r3 = await resolvedTicket(
    rep.token,
    c1.id,
    berlin('2026-03-15', '23:30'),
    'billing',
    'promo_code_missing',
  );
  await recordBreach(db, r3, 'first_response', berlin('2026-03-10', '17:00'));
  await recordBreach(db, r3, 'next_update', berlin('2026-03-11', '17:00'));
  await addScore(db, r3, 2, berlin('2026-03-16', '09:00'));
  const r4 = await resolvedTicket(
    rep.token,
    c3.id,
    berlin('2026-03-08', '10:00'),
    'field_service',
    'technician_no_show',
  );
  await addPromise(db, r4, 'broken', berlin('2026-03-07', '12:00'));
  const r5 = await resolvedTicket(
    rep.token,
    c2.id,
    berlin('2026-03-09', '10:00'),
    'field_service',
    'technician_no_show',
  );
  await setTicket(db, r5.id, { reopen_count: 2 });
  await resolvedTicket(rep.token, c2.id, berlin('2026-03-12', '10:00'), 'billing', 'double_charge');
  // Outside the period or not resolved.
  const late = await resolvedTicket(
    rep.token,
    c1.id,
    berlin('2026-03-20', '10:00'),
    'network',
    'outage',
  );
  await addScore(db, late, 1, berlin('2026-03-21', '10:00'));
  await resolvedTicket(rep.token, c1.id, berlin('2026-02-27', '10:00'), 'network', 'outage');
  const open = await f.ticket(rep.token, c1.id);
  await addPromise(db, open, 'broken', berlin('2026-03-05', '10:00'));
  // Team B.
  await resolvedTicket(
    b.reps[0]!.token,
    c2.id,
    berlin('2026-03-03', '10:00'),
    'billing',
    'promo_code_missing',
  );
});
afterAll(() => app.close());

describe('GET /reports/root-causes: the Pareto', () => {
  it('when the supervisor asks for the first half of March, then causes are ranked by tickets with shares, rates and what each cost', async () => {
    const res = await f.as(supervisorA.token).get(`/reports/root-causes?${PERIOD}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      report: 'root-causes',
      teamId: teamA,
      period: { from: '2026-02-28T23:00:00.000Z', to: '2026-03-15T23:00:00.000Z' },
      definitions: expect.objectContaining({ churnedCustomers: expect.any(String) }),
    });
    expect(res.body.causes).toEqual([
      {
        silo: 'billing',
        category: 'promo_code_missing',
        tickets: 3,
        share: 0.5,
        cumulativeShare: 0.5,
        reopened: 1,
        reopenRate: 0.3333,
        breached: 2,
        breachRate: 0.6667,
        brokenPromises: 2,
        churnedCustomers: 1,
        lowScores: 2,
      },
      {
        silo: 'field_service',
        category: 'technician_no_show',
        tickets: 2,
        share: 0.3333,
        cumulativeShare: 0.8333,
        reopened: 1,
        reopenRate: 0.5,
        breached: 0,
        breachRate: 0,
        brokenPromises: 1,
        churnedCustomers: 1,
        lowScores: 0,
      },
      {
        silo: 'billing',
        category: 'double_charge',
        tickets: 1,
        share: 0.1667,
        cumulativeShare: 1,
        reopened: 0,
        reopenRate: 0,
        breached: 0,
        breachRate: 0,
        brokenPromises: 0,
        churnedCustomers: 0,
        lowScores: 0,
      },
    ]);
  });

  it('when read by silo, then silos are ranked too and a churned customer counts once per silo', async () => {
    const res = await f.as(supervisorA.token).get(`/reports/root-causes?${PERIOD}`);
    expect(res.body.silos).toEqual([
      {
        silo: 'billing',
        tickets: 4,
        share: 0.6667,
        cumulativeShare: 0.6667,
        reopened: 1,
        reopenRate: 0.25,
        breached: 2,
        breachRate: 0.5,
        brokenPromises: 2,
        churnedCustomers: 1,
        lowScores: 2,
      },
      {
        silo: 'field_service',
        tickets: 2,
        share: 0.3333,
        cumulativeShare: 1,
        reopened: 1,
        reopenRate: 0.5,
        breached: 0,
        breachRate: 0,
        brokenPromises: 1,
        churnedCustomers: 1,
        lowScores: 0,
      },
    ]);
    expect(res.body.totals).toEqual({
      tickets: 6,
      reopened: 2,
      reopenRate: 0.3333,
      breached: 2,
      breachRate: 0.3333,
      brokenPromises: 3,
      churnedCustomers: 2,
      lowScores: 2,
    });
  });

  it('when an admin asks without a team, then every team counts; naming a team narrows it', async () => {
    const all = await f.admin().get(`/reports/root-causes?${PERIOD}`);
    expect(all.status).toBe(200);
    expect(all.body.teamId).toBeNull();
    expect(all.body.causes[0]).toMatchObject({
      silo: 'billing',
      category: 'promo_code_missing',
      tickets: 4,
    });
    expect(all.body.totals.tickets).toBe(7);
    const b = await f.admin().get(`/reports/root-causes?teamId=${teamB}&${PERIOD}`);
    expect(b.body.totals.tickets).toBe(1);
    expect(b.body.causes).toEqual([
      expect.objectContaining({
        silo: 'billing',
        category: 'promo_code_missing',
        tickets: 1,
        share: 1,
      }),
    ]);
  });

  it('when nothing was resolved in the period, then the lists are empty and rates are null', async () => {
    const res = await f
      .as(supervisorA.token)
      .get('/reports/root-causes?from=2025-06-01&to=2025-06-30');
    expect(res.status).toBe(200);
    expect(res.body.causes).toEqual([]);
    expect(res.body.silos).toEqual([]);
    expect(res.body.totals).toMatchObject({ tickets: 0, reopenRate: null, breachRate: null });
  });
});

describe('GET /reports/root-causes: CSV', () => {
  it('when asked for CSV, then it has a header row and one row per cause in Pareto order', async () => {
    const res = await f.as(supervisorA.token).get(`/reports/root-causes?${PERIOD}&format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(parseCsv(res.text)).toEqual([
      [
        'silo',
        'category',
        'tickets',
        'share',
        'cumulative_share',
        'reopened',
        'reopen_rate',
        'breached',
        'breach_rate',
        'broken_promises',
        'churned_customers',
        'low_scores',
      ],
      [
        'billing',
        'promo_code_missing',
        '3',
        '0.5',
        '0.5',
        '1',
        '0.3333',
        '2',
        '0.6667',
        '2',
        '1',
        '2',
      ],
      [
        'field_service',
        'technician_no_show',
        '2',
        '0.3333',
        '0.8333',
        '1',
        '0.5',
        '0',
        '0',
        '1',
        '1',
        '0',
      ],
      ['billing', 'double_charge', '1', '0.1667', '1', '0', '0', '0', '0', '0', '0', '0'],
    ]);
  });
});

describe('GET /reports/root-causes: access and input', () => {
  it('when a rep asks, then it is 403', async () => {
    const res = await f.as(rep.token).get('/reports/root-causes');
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it("when a supervisor asks for another team's causes, then it is 403", async () => {
    expect((await f.as(supervisorB.token).get(`/reports/root-causes?teamId=${teamA}`)).status).toBe(
      403,
    );
  });

  it('when a supervisor asks without a team, then only their team counts', async () => {
    const res = await f.as(supervisorB.token).get(`/reports/root-causes?${PERIOD}`);
    expect(res.body.teamId).toBe(teamB);
    expect(res.body.totals.tickets).toBe(1);
  });

  it('when from is not a date, then 400 names from', async () => {
    const res = await f.as(supervisorA.token).get('/reports/root-causes?from=March');
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'from' })]);
  });
});
