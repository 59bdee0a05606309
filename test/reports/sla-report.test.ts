import { ManualClock } from '../../src/clock';
import { Fixtures, type AgentFixture, type TicketBody } from '../helpers/factories';
import { startTestApp, type TestApp } from '../helpers/test-app';
import {
  berlin,
  firstResponse,
  parseCsv,
  recordBreach,
  setTicket,
  WEEKDAYS_9_TO_17,
} from './report-fixtures';

/**
 * GET /reports/sla on a small known week (issue 5, docs/reports.md). A Berlin team works 9–17 on
 * weekdays; the clock stands at Monday 16 March 2026, 12:00. Mon 9 … Fri 13 is the week before.
 *
 *   T1 rep A: clock Mon 9 10:00, due Mon 17:00, answered 11:30       met,     90 business minutes
 *   T2 rep A: clock Mon 9 16:00, due Mon 17:00, answered Tue 10:00   missed, 120 (60 + 60)
 *   T3 rep B: clock Fri 13 16:30, due Fri 17:00, answered Mon 9:30   missed,  60 (30 + 30)
 *   T4 rep B: clock Wed 11 9:00, due Wed 17:00, never answered        missed
 *   T5 rep A: clock Thu 12 9:00, due Thu 17:00, answered 10:00       met,     60; a next update
 *             due Fri 13 17:00 breached
 *   T6 rep B: clock Mon 16 11:00, due Tue 17 17:00, not answered      pending
 *   T7 rep A: due Wed 18 17:00                                        after the period
 * The period is from=2026-03-09&to=2026-03-17 (whole Berlin days, the 17th included).
 */
const NOW = berlin('2026-03-16', '12:00');
const PERIOD = 'from=2026-03-09&to=2026-03-17';

const clock = new ManualClock(NOW);
let app: TestApp;
let f: Fixtures;
let teamId: string;
let supervisor: AgentFixture;
let repA: AgentFixture;
let repB: AgentFixture;

beforeAll(async () => {
  // A database of its own: admins' all-team reports then see only this file's teams.
  app = await startTestApp({ clock, isolated: true });
  f = new Fixtures(app);
  const staffed = await f.staffedTeam({
    reps: 2,
    team: { timezone: 'Europe/Berlin', businessHours: WEEKDAYS_9_TO_17 },
  });
  teamId = staffed.team.id;
  supervisor = staffed.supervisor;
  [repA, repB] = staffed.reps as [AgentFixture, AgentFixture];
  const ticket = (rep: AgentFixture) => f.ticket(rep.token, staffed.customer.id);
  const db = app.dataSource;

  const t1 = await ticket(repA);
  await setTicket(
    db,
    t1.id,
    firstResponse(
      berlin('2026-03-09', '10:00'),
      berlin('2026-03-09', '17:00'),
      berlin('2026-03-09', '11:30'),
    ),
  );
  const t2 = await ticket(repA);
  await setTicket(
    db,
    t2.id,
    firstResponse(
      berlin('2026-03-09', '16:00'),
      berlin('2026-03-09', '17:00'),
      berlin('2026-03-10', '10:00'),
    ),
  );
  await recordBreach(db, t2, 'first_response', berlin('2026-03-09', '17:00'));
  const t3 = await ticket(repB);
  await setTicket(
    db,
    t3.id,
    firstResponse(
      berlin('2026-03-13', '16:30'),
      berlin('2026-03-13', '17:00'),
      berlin('2026-03-16', '09:30'),
    ),
  );
  await recordBreach(db, t3, 'first_response', berlin('2026-03-13', '17:00'));
  const t4 = await ticket(repB);
  await setTicket(
    db,
    t4.id,
    firstResponse(berlin('2026-03-11', '09:00'), berlin('2026-03-11', '17:00'), null),
  );
  await recordBreach(db, t4, 'first_response', berlin('2026-03-11', '17:00'));
  const t5: TicketBody = await ticket(repA);
  await setTicket(
    db,
    t5.id,
    firstResponse(
      berlin('2026-03-12', '09:00'),
      berlin('2026-03-12', '17:00'),
      berlin('2026-03-12', '10:00'),
    ),
  );
  await recordBreach(db, t5, 'next_update', berlin('2026-03-13', '17:00'));
  const t6 = await ticket(repB);
  await setTicket(
    db,
    t6.id,
    firstResponse(berlin('2026-03-16', '11:00'), berlin('2026-03-17', '17:00'), null),
  );
  const t7 = await ticket(repA);
  await setTicket(
    db,
    t7.id,
    firstResponse(berlin('2026-03-18', '09:00'), berlin('2026-03-18', '17:00'), null),
  );
});
afterAll(() => app.close());

const figures = (
  due: [number, number, number, number, number | null],
  minutes: [number, number, number | null, number | null],
  updates: [number, number, number, number | null],
  breaches: [number, number],
) => ({
  firstResponse: {
    due: due[0],
    met: due[1],
    missed: due[2],
    pending: due[3],
    compliance: due[4],
  },
  timeToFirstResponse: {
    responded: minutes[0],
    measured: minutes[1],
    medianBusinessMinutes: minutes[2],
    p90BusinessMinutes: minutes[3],
  },
  updates: {
    answered: updates[0],
    onTime: updates[1],
    breached: updates[2],
    compliance: updates[3],
  },
  breaches: {
    firstResponse: breaches[0],
    nextUpdate: breaches[1],
    total: breaches[0] + breaches[1],
  },
});

describe('GET /reports/sla: the figures', () => {
  it('when the supervisor asks for the week, then totals count met, missed and pending first responses, business-minute percentiles, update compliance and breaches', async () => {
    const res = await f.as(supervisor.token).get(`/reports/sla?${PERIOD}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toMatchObject({
      report: 'sla',
      teamId,
      period: {
        from: '2026-03-08T23:00:00.000Z',
        to: '2026-03-17T23:00:00.000Z',
        timezone: 'Europe/Berlin',
      },
      generatedAt: NOW.toISOString(),
      sample: { sampled: false, measured: 4, responded: 4 },
      definitions: expect.objectContaining({ firstResponse: expect.any(String) }),
    });
    // Median of 60, 60, 90, 120 is 75; p90 interpolates 90 + 0.7 × 30.
    expect(res.body.totals).toEqual(
      figures([6, 2, 3, 1, 0.4], [4, 4, 75, 111], [4, 3, 1, 0.75], [3, 1]),
    );
  });

  it('when the report is read per team and per owner, then each owner has their own tickets and breaches', async () => {
    const res = await f.as(supervisor.token).get(`/reports/sla?${PERIOD}`);
    expect(res.body.teams).toEqual([
      expect.objectContaining({
        teamId,
        ...figures([6, 2, 3, 1, 0.4], [4, 4, 75, 111], [4, 3, 1, 0.75], [3, 1]),
      }),
    ]);
    const owner = (id: string) =>
      (res.body.owners as Array<{ ownerId: string }>).find((o) => o.ownerId === id);
    expect(owner(repA.id)).toEqual({
      teamId,
      ownerId: repA.id,
      ownerName: repA.name,
      ...figures([3, 2, 1, 0, 0.6667], [3, 3, 90, 114], [3, 2, 1, 0.6667], [1, 1]),
    });
    expect(owner(repB.id)).toEqual({
      teamId,
      ownerId: repB.id,
      ownerName: repB.name,
      ...figures([3, 0, 2, 1, 0], [1, 1, 60, 60], [1, 1, 0, 1], [2, 0]),
    });
    expect(res.body.owners).toHaveLength(2);
  });

  it('when the report is read per day, then every Berlin day of the period is listed, with the deadlines due and breaches recorded that day', async () => {
    const res = await f.as(supervisor.token).get(`/reports/sla?${PERIOD}`);
    const days = res.body.days as Array<{ day: string }>;
    expect(days.map((d) => d.day)).toEqual([
      '2026-03-09',
      '2026-03-10',
      '2026-03-11',
      '2026-03-12',
      '2026-03-13',
      '2026-03-14',
      '2026-03-15',
      '2026-03-16',
      '2026-03-17',
    ]);
    const day = (d: string) => days.find((x) => x.day === d);
    expect(day('2026-03-09')).toEqual({
      day: '2026-03-09',
      ...figures([2, 1, 1, 0, 0.5], [2, 2, 105, 117], [2, 2, 0, 1], [1, 0]),
    });
    expect(day('2026-03-11')).toMatchObject(
      figures([1, 0, 1, 0, 0], [0, 0, null, null], [0, 0, 0, null], [1, 0]),
    );
    expect(day('2026-03-13')).toMatchObject(
      figures([1, 0, 1, 0, 0], [1, 1, 60, 60], [1, 1, 0, 1], [1, 1]),
    );
    expect(day('2026-03-17')).toMatchObject(
      figures([1, 0, 0, 1, null], [0, 0, null, null], [0, 0, 0, null], [0, 0]),
    );
    expect(day('2026-03-14')).toMatchObject(
      figures([0, 0, 0, 0, null], [0, 0, null, null], [0, 0, 0, null], [0, 0]),
    );
  });

  it('when an admin names the team, then the figures are the same as the supervisor sees', async () => {
    const asSupervisor = await f.as(supervisor.token).get(`/reports/sla?${PERIOD}`);
    const asAdmin = await f.admin().get(`/reports/sla?teamId=${teamId}&${PERIOD}`);
    expect(asAdmin.status).toBe(200);
    expect(asAdmin.body.totals).toEqual(asSupervisor.body.totals);
    expect(asAdmin.body.owners).toEqual(asSupervisor.body.owners);
  });

  it('when an admin asks without a team, then every team is reported and days are UTC days', async () => {
    const other = await f.staffedTeam({ reps: 1 });
    const res = await f.admin().get(`/reports/sla?${PERIOD}`);
    expect(res.status).toBe(200);
    expect(res.body.teamId).toBeNull();
    expect(res.body.period).toEqual({
      from: '2026-03-09T00:00:00.000Z',
      to: '2026-03-18T00:00:00.000Z',
      timezone: 'UTC',
    });
    const ids = (res.body.teams as Array<{ teamId: string }>).map((t) => t.teamId);
    expect(ids).toEqual(expect.arrayContaining([teamId, other.team.id]));
    expect(
      res.body.teams.find((t: { teamId: string }) => t.teamId === teamId).firstResponse,
    ).toEqual({
      due: 6,
      met: 2,
      missed: 3,
      pending: 1,
      compliance: 0.4,
    });
  });

  it('when no period is given, then it is the last 30 days up to now', async () => {
    const res = await f.as(supervisor.token).get('/reports/sla');
    expect(res.status).toBe(200);
    expect(res.body.period.to).toBe(NOW.toISOString());
    expect(res.body.period.from).toBe(new Date(NOW.getTime() - 30 * 86_400_000).toISOString());
    // T6 and T7 fall due after now; the other five fell due within the last 30 days.
    expect(res.body.totals.firstResponse.due).toBe(5);
  });

  it('when the period is given as date-times, then they are taken as given', async () => {
    const res = await f
      .as(supervisor.token)
      .get('/reports/sla?from=2026-03-09T16:00:00Z&to=2026-03-12T16:00:00.000%2B00:00');
    expect(res.status).toBe(200);
    // Due Mon 16:00Z (T1, T2), Wed 16:00Z (T4); Thu 16:00Z (T5) is at the (exclusive) end.
    expect(res.body.totals.firstResponse).toEqual({
      due: 3,
      met: 1,
      missed: 2,
      pending: 0,
      compliance: 0.3333,
    });
  });
});

describe('GET /reports/sla: CSV', () => {
  it('when asked with ?format=csv, then it is RFC 4180 CSV with a header row and a row per total, team, owner and day, names quoted', async () => {
    await app.dataSource.query(`UPDATE agents SET name = 'Doe, "JJ"' WHERE id = $1`, [repA.id]);
    try {
      const res = await f.as(supervisor.token).get(`/reports/sla?${PERIOD}&format=csv`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="?sla\.csv"?$/);
      expect(res.text.endsWith('\r\n')).toBe(true);
      expect(res.text.split('\r\n')[0]).toBe(
        'level,team_id,team_name,owner_id,owner_name,day,first_response_due,first_response_met,' +
          'first_response_missed,first_response_pending,first_response_compliance,responded,measured,' +
          'median_business_minutes,p90_business_minutes,updates_answered,updates_on_time,' +
          'updates_breached,update_compliance,breaches_first_response,breaches_next_update,breaches_total',
      );
      expect(res.text).toContain(
        `,${repA.id},"Doe, ""JJ""",,3,2,1,0,0.6667,3,3,90,114,3,2,1,0.6667,1,1,2\r\n`,
      );
      const rows = parseCsv(res.text);
      expect(rows.every((row) => row.length === rows[0]!.length)).toBe(true);
      expect(rows.map((row) => row[0])).toEqual([
        'level',
        'total',
        'team',
        'owner',
        'owner',
        ...Array(9).fill('day'),
      ]);
      expect(rows[1]!.slice(6, 15)).toEqual(['6', '2', '3', '1', '0.4', '4', '4', '75', '111']);
      const ownerA = rows.find((row) => row[3] === repA.id)!;
      expect(ownerA[4]).toBe('Doe, "JJ"');
    } finally {
      await app.dataSource.query(`UPDATE agents SET name = $2 WHERE id = $1`, [repA.id, repA.name]);
    }
  });

  it('when asked with Accept: text/csv, then it is CSV; ?format=json wins over the header', async () => {
    const csv = await f
      .as(supervisor.token)
      .get(`/reports/sla?${PERIOD}`)
      .set('Accept', 'text/csv');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.text.startsWith('level,team_id,')).toBe(true);
    const json = await f
      .as(supervisor.token)
      .get(`/reports/sla?${PERIOD}&format=json`)
      .set('Accept', 'text/csv');
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(json.body.report).toBe('sla');
  });
});

describe('GET /reports/sla: bad input', () => {
  const badField = async (query: string, path: string) => {
    const res = await f.as(supervisor.token).get(`/reports/sla?${query}`);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors).toEqual([expect.objectContaining({ path })]);
  };

  it('when from is not a date, then 400 names from', () => badField('from=yesterday', 'from'));
  it('when from is an impossible date, then 400 names from', () =>
    badField('from=2026-02-30', 'from'));
  it('when to is a date-time without offset, then 400 names to', () =>
    badField('to=2026-03-01T10:00:00', 'to'));
  it('when to is before from, then 400 names to', () =>
    badField('from=2026-03-10&to=2026-03-01', 'to'));
  it('when the period is longer than 366 days, then 400 names to', () =>
    badField('from=2024-01-01&to=2026-01-01', 'to'));
  it('when teamId is not a UUID, then 400 names teamId', () => badField('teamId=abc', 'teamId'));
  it('when format is neither json nor csv, then 400 names format', () =>
    badField('format=xml', 'format'));
  it('when an unknown parameter is sent, then 400 names it', () => badField('owner=me', 'owner'));
});

describe('GET /reports/sla: who may see it', () => {
  it('when a rep asks, then it is 403 problem+json', async () => {
    const res = await f.as(repA.token).get(`/reports/sla?teamId=${teamId}`);
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 403, title: 'Forbidden' });
  });

  it('when an integration asks, then it is 403', async () => {
    const integration = await f.agent('integration', (await f.team()).id);
    expect((await f.as(integration.token).get('/reports/sla')).status).toBe(403);
  });

  it("when a supervisor asks for another team's report, then it is 403", async () => {
    const other = await f.staffedTeam({ reps: 0 });
    const res = await f.as(other.supervisor.token).get(`/reports/sla?teamId=${teamId}`);
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('when a supervisor asks without teamId, then it is their own team only', async () => {
    const other = await f.staffedTeam({ reps: 0 });
    const res = await f.as(other.supervisor.token).get(`/reports/sla?${PERIOD}`);
    expect(res.status).toBe(200);
    expect(res.body.teamId).toBe(other.team.id);
    expect(res.body.totals.firstResponse.due).toBe(0);
  });

  it('when an admin names a team that does not exist, then it is 404', async () => {
    const res = await f.admin().get('/reports/sla?teamId=00000000-0000-4000-8000-000000000000');
    expect(res.status).toBe(404);
  });

  it('when there is no token, then it is 401', async () => {
    expect((await f.as(undefined).get('/reports/sla')).status).toBe(401);
  });
});
