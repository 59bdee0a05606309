import { ManualClock } from '../../src/clock';
import { Fixtures, type AgentFixture, type TicketBody } from '../helpers/factories';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { addPromise, addScore, berlin, churn, parseCsv, setTicket } from './report-fixtures';

/**
 * GET /reports/at-risk-customers (issue 5): customers who have not churned, ranked by a
 * documented score, each with the reasons that add up to it. The clock stands at Monday
 * 16 March 2026, 12:00 Berlin; "n days ago" is counted from there.
 *
 * Team A:
 *   V  vip         3 tickets in 30 days (one breached)        3 + 2×2 + 2        = 9
 *   H  high_value  reopened twice 40 days ago, a promise broken 20 days ago, a score of 1
 *                  100 days ago                               2 + 2 + 3 + 3      = 10
 *   S  standard    8 tickets in 30 days                        2×5 (capped)       = 10
 *   X  churned, 5 broken promises                              not listed
 *   O  vip, one ticket; a breach 100 days ago, a low score 200 days ago: outside the windows,
 *      and tier alone does not list a customer                 not listed
 *   M  one ticket in team A, one breached ticket in team B, both within 30 days
 * Team B: Bc with 2 broken promises (6); M (admin: 2 contacts → 2, breach 2 → 4).
 */
const NOW = berlin('2026-03-16', '12:00');
const daysAgo = (days: number): Date => new Date(NOW.getTime() - days * 86_400_000);

const clock = new ManualClock(NOW);
let app: TestApp;
let f: Fixtures;
let teamA: string;
let supervisorA: AgentFixture;
let supervisorB: AgentFixture;
let repA: AgentFixture;
const ids: Record<string, string> = {};

beforeAll(async () => {
  app = await startTestApp({ clock, isolated: true });
  f = new Fixtures(app);
  const db = app.dataSource;
  const a = await f.staffedTeam({ reps: 1 });
  const b = await f.staffedTeam({ reps: 1 });
  teamA = a.team.id;
  supervisorA = a.supervisor;
  supervisorB = b.supervisor;
  repA = a.reps[0]!;
  const repB = b.reps[0]!;
  const customer = async (key: string, tier = 'standard') => {
    const c = await f.customer({ tier, name: `Customer ${key}` });
    ids[key] = c.id;
    return c.id;
  };
  const ticket = async (
    rep: AgentFixture,
    customerId: string,
    receivedDaysAgo: number,
    values: Record<string, unknown> = {},
  ): Promise<TicketBody> => {
    const t = await f.ticket(rep.token, customerId);
    await setTicket(db, t.id, { received_at: daysAgo(receivedDaysAgo), ...values });
    return t;
  };

  const v = await customer('V', 'vip');
  await ticket(repA, v, 1, { breach_count: 1 });
  await ticket(repA, v, 2);
  await ticket(repA, v, 10);

  const h = await customer('H', 'high_value');
  const h1 = await ticket(repA, h, 40, { reopen_count: 2 });
  await addPromise(db, h1, 'broken', daysAgo(20));
  await addPromise(db, h1, 'kept', daysAgo(25));
  const h2 = await ticket(repA, h, 120);
  await addScore(db, h2, 1, daysAgo(100));

  const s = await customer('S');
  for (let i = 0; i < 8; i++) await ticket(repA, s, 1 + i * 3);

  const x = await customer('X', 'vip');
  const x1 = await ticket(repA, x, 5);
  for (let i = 0; i < 5; i++) await addPromise(db, x1, 'broken', daysAgo(3 + i));
  await churn(db, x, daysAgo(1));

  const o = await customer('O', 'vip');
  await ticket(repA, o, 100, { breach_count: 3 });
  const o2 = await ticket(repA, o, 210);
  await addScore(db, o2, 2, daysAgo(200));
  await ticket(repA, o, 5);

  const m = await customer('M');
  await ticket(repA, m, 3);
  await ticket(repB, m, 4, { breach_count: 1 });

  const bc = await customer('Bc');
  const b1 = await ticket(repB, bc, 50);
  await addPromise(db, b1, 'broken', daysAgo(10));
  await addPromise(db, b1, 'broken', daysAgo(11));
  // A broken promise 100 days ago is outside the window.
  await addPromise(db, b1, 'broken', daysAgo(100));
});
afterAll(() => app.close());

interface Item {
  customerId: string;
  name: string;
  tier: string;
  score: number;
  reasons: Array<{ factor: string; count: number; points: number; text: string }>;
}

const tieBreak = (a: string, b: string): [string, string] => (ids[a]! < ids[b]! ? [a, b] : [b, a]);

describe('GET /reports/at-risk-customers: the ranking', () => {
  it("when the supervisor asks, then their team's customers are ranked by score, ties by id, churned and tier-only customers left out", async () => {
    const res = await f.as(supervisorA.token).get('/reports/at-risk-customers');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      report: 'at-risk-customers',
      teamId: teamA,
      asOf: NOW.toISOString(),
      nextCursor: null,
    });
    const items = res.body.items as Item[];
    expect(items.map((i) => [i.name, i.score])).toEqual([
      ...tieBreak('H', 'S').map((key) => [`Customer ${key}`, 10]),
      ['Customer V', 9],
    ]);
  });

  it('when a customer is listed, then its reasons say what counted and their points add up to the score', async () => {
    const res = await f.as(supervisorA.token).get('/reports/at-risk-customers');
    const byName = (name: string) => (res.body.items as Item[]).find((i) => i.name === name)!;
    expect(byName('Customer V')).toEqual({
      customerId: ids.V,
      name: 'Customer V',
      email: expect.stringContaining('@'),
      tier: 'vip',
      score: 9,
      reasons: [
        { factor: 'tier', count: 1, points: 3, text: 'VIP customer' },
        {
          factor: 'repeat_contacts',
          count: 2,
          points: 4,
          text: '3 tickets in the last 30 days: 2 repeat contacts',
        },
        {
          factor: 'breaches',
          count: 1,
          points: 2,
          text: '1 deadline breached on tickets received in the last 90 days',
        },
      ],
    });
    expect(byName('Customer H').reasons).toEqual([
      { factor: 'tier', count: 1, points: 2, text: 'High-value customer' },
      {
        factor: 'broken_promises',
        count: 1,
        points: 3,
        text: '1 promise broken in the last 90 days',
      },
      {
        factor: 'reopenings',
        count: 2,
        points: 2,
        text: '2 reopenings of tickets received in the last 90 days',
      },
      {
        factor: 'low_satisfaction',
        count: 1,
        points: 3,
        text: '1 satisfaction score of 2 or less in the last 180 days',
      },
    ]);
    expect(byName('Customer S').reasons).toEqual([
      {
        factor: 'repeat_contacts',
        count: 7,
        points: 10,
        text: '8 tickets in the last 30 days: 7 repeat contacts (counted up to 5)',
      },
    ]);
    for (const item of res.body.items as Item[]) {
      expect(item.reasons.reduce((sum, r) => sum + r.points, 0)).toBe(item.score);
    }
  });

  it('when the report is read, then it documents its formula, windows and weights', async () => {
    const res = await f.as(supervisorA.token).get('/reports/at-risk-customers');
    expect(res.body.scoring.formula).toMatch(
      /tier .*repeat contacts .*breaches .*broken promises .*reopenings .*low scores/,
    );
    expect(res.body.scoring.factors).toEqual([
      expect.objectContaining({ factor: 'tier', points: { vip: 3, high_value: 2, standard: 0 } }),
      expect.objectContaining({ factor: 'repeat_contacts', pointsEach: 2, windowDays: 30, cap: 5 }),
      expect.objectContaining({ factor: 'breaches', pointsEach: 2, windowDays: 90 }),
      expect.objectContaining({ factor: 'broken_promises', pointsEach: 3, windowDays: 90 }),
      expect.objectContaining({ factor: 'reopenings', pointsEach: 1, windowDays: 90 }),
      expect.objectContaining({ factor: 'low_satisfaction', pointsEach: 3, windowDays: 180 }),
    ]);
  });

  it("when an admin asks without a team, then every team's signals count for each customer", async () => {
    const res = await f.admin().get('/reports/at-risk-customers');
    expect(res.status).toBe(200);
    expect(res.body.teamId).toBeNull();
    expect((res.body.items as Item[]).map((i) => [i.name, i.score])).toEqual([
      ...tieBreak('H', 'S').map((key) => [`Customer ${key}`, 10]),
      ['Customer V', 9],
      ['Customer Bc', 6],
      ['Customer M', 4],
    ]);
  });

  it('when the list is paged, then the cursor continues the ranking without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `limit=2&cursor=${encodeURIComponent(cursor)}` : 'limit=2';
      const res = await f.admin().get(`/reports/at-risk-customers?${query}`);
      expect(res.status).toBe(200);
      seen.push(...(res.body.items as Item[]).map((i) => i.name));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    const all = await f.admin().get('/reports/at-risk-customers');
    expect(seen).toEqual((all.body.items as Item[]).map((i) => i.name));
  });

  it('when a few customers score far above the rest, then the first page (counted without every contact) equals the full ranking', async () => {
    // A team of its own: floors of 15, 18 and 12 (+10 for contacts), and contacts alone (10).
    const { team, reps } = await f.staffedTeam({ reps: 1 });
    const rep = reps[0]!;
    const make = async (name: string, broken: number, contacts: number) => {
      const c = await f.customer({ name });
      let first: TicketBody | undefined;
      for (let i = 0; i < Math.max(contacts, 1); i++) {
        const t = await f.ticket(rep.token, c.id);
        await setTicket(app.dataSource, t.id, { received_at: daysAgo(contacts ? 1 + i : 60) });
        first ??= t;
      }
      for (let i = 0; i < broken; i++)
        await addPromise(app.dataSource, first!, 'broken', daysAgo(2));
    };
    await make('P1', 5, 0);
    await make('P2', 4, 6);
    await make('P3', 6, 0);
    await make('Q', 0, 6);
    const firstPage = await f.admin().get(`/reports/at-risk-customers?teamId=${team.id}&limit=2`);
    expect((firstPage.body.items as Item[]).map((i) => [i.name, i.score])).toEqual([
      ['P2', 22],
      ['P3', 18],
    ]);
    const next = await f
      .admin()
      .get(
        `/reports/at-risk-customers?teamId=${team.id}&limit=2&cursor=${encodeURIComponent(firstPage.body.nextCursor)}`,
      );
    expect((next.body.items as Item[]).map((i) => [i.name, i.score])).toEqual([
      ['P1', 15],
      ['Q', 10],
    ]);
    const whole = await f.admin().get(`/reports/at-risk-customers?teamId=${team.id}&limit=200`);
    expect((whole.body.items as Item[]).map((i) => i.name)).toEqual(['P2', 'P3', 'P1', 'Q']);
  });
});

describe('GET /reports/at-risk-customers: CSV', () => {
  it('when asked for CSV, then one row per customer with the counts and reasons, and a name that looks like a formula is defused', async () => {
    await app.dataSource.query(`UPDATE customers SET name = $2 WHERE id = $1`, [
      ids.S,
      '=HYPERLINK("http://x")',
    ]);
    try {
      const res = await f
        .as(supervisorA.token)
        .get('/reports/at-risk-customers')
        .set('Accept', 'text/csv');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.text).toContain(`,"'=HYPERLINK(""http://x"")",`);
      const rows = parseCsv(res.text);
      expect(rows[0]).toEqual([
        'customer_id',
        'name',
        'email',
        'tier',
        'score',
        'repeat_contacts',
        'breaches',
        'broken_promises',
        'reopenings',
        'low_satisfaction',
        'reasons',
      ]);
      expect(rows).toHaveLength(4);
      const v = rows.find((row) => row[0] === ids.V)!;
      expect(v.slice(3, 10)).toEqual(['vip', '9', '2', '1', '0', '0', '0']);
      expect(v[10]).toBe(
        'VIP customer (+3); 3 tickets in the last 30 days: 2 repeat contacts (+4); ' +
          '1 deadline breached on tickets received in the last 90 days (+2)',
      );
    } finally {
      await app.dataSource.query(`UPDATE customers SET name = 'Customer S' WHERE id = $1`, [ids.S]);
    }
  });
});

describe('GET /reports/at-risk-customers: access and input', () => {
  it('when a rep asks, then it is 403', async () => {
    const res = await f.as(repA.token).get('/reports/at-risk-customers');
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it("when a supervisor asks for another team's customers, then it is 403", async () => {
    expect(
      (await f.as(supervisorB.token).get(`/reports/at-risk-customers?teamId=${teamA}`)).status,
    ).toBe(403);
  });

  it('when the limit is above 200, then 400 names limit', async () => {
    const res = await f.as(supervisorA.token).get('/reports/at-risk-customers?limit=500');
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'limit' })]);
  });

  it('when the cursor is not one this list gave, then 400 names cursor', async () => {
    const res = await f.as(supervisorA.token).get('/reports/at-risk-customers?cursor=nonsense');
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'cursor' })]);
  });
});
