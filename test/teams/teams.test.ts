import { startTestApp, type TestApp } from '../helpers/test-app';
import { Fixtures, unique } from '../helpers/factories';

let app: TestApp;
let f: Fixtures;

beforeAll(async () => {
  app = await startTestApp();
  f = new Fixtures(app);
});
afterAll(() => app.close());

const WEEKDAYS_9_TO_5 = Object.fromEntries(
  ['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => [day, { open: '09:00', close: '17:00' }]),
);

const validTeam = (overrides: Record<string, unknown> = {}) => ({
  name: unique('Care'),
  timezone: 'Europe/Berlin',
  businessHours: WEEKDAYS_9_TO_5,
  ...overrides,
});

const errorPaths = (res: { body: { errors?: Array<{ path: string }> } }) =>
  (res.body.errors ?? []).map((e) => e.path);

async function expectRejected(body: Record<string, unknown>, path: string) {
  const res = await f.admin().post('/teams', body);
  expect(res.status).toBe(400);
  expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(errorPaths(res)).toContain(path);
  const stored = await app.dataSource.query(`SELECT 1 FROM teams WHERE name = $1`, [body.name]);
  expect(stored).toHaveLength(0);
}

describe('POST /teams validation', () => {
  it('when the timezone is not an IANA zone, then it gets a 400 naming timezone', async () => {
    await expectRejected(validTeam({ timezone: 'Mars/Olympus_Mons' }), 'timezone');
  });

  it('when a day closes before it opens, then it gets a 400 naming businessHours.mon.close', async () => {
    const hours = { ...WEEKDAYS_9_TO_5, mon: { open: '17:00', close: '09:00' } };
    await expectRejected(validTeam({ businessHours: hours }), 'businessHours.mon.close');
  });

  it('when no day is open, then it gets a 400 naming businessHours', async () => {
    await expectRejected(validTeam({ businessHours: {} }), 'businessHours');
  });

  it('when businessHours names an unknown weekday, then it gets a 400 naming that key', async () => {
    const hours = { ...WEEKDAYS_9_TO_5, funday: { open: '09:00', close: '17:00' } };
    await expectRejected(validTeam({ businessHours: hours }), 'businessHours.funday');
  });

  it('when a holiday is not a real date, then it gets a 400 naming holidays.0', async () => {
    await expectRejected(validTeam({ holidays: ['2026-13-45'] }), 'holidays.0');
  });

  it('when sameDayCutoff is not a HH:MM time, then it gets a 400 naming sameDayCutoff', async () => {
    await expectRejected(validTeam({ sameDayCutoff: '25:00' }), 'sameDayCutoff');
    await expectRejected(validTeam({ sameDayCutoff: 'noon' }), 'sameDayCutoff');
  });

  it('when sameDayCutoff is before every opening time, then it gets a 400 naming sameDayCutoff', async () => {
    await expectRejected(validTeam({ sameDayCutoff: '08:00' }), 'sameDayCutoff');
  });

  it('when a non-admin creates a team, then it is forbidden', async () => {
    const { supervisor } = await f.staffedTeam({ reps: 0 });
    const res = await f.as(supervisor.token).post('/teams', validTeam());
    expect(res.status).toBe(403);
  });
});

describe('POST /teams and GET /teams/:id', () => {
  it('when a team is created without a policy, then the documented defaults apply', async () => {
    const body = validTeam({ holidays: ['2026-12-26', '2026-12-25'] });

    const res = await f.admin().post('/teams', body);

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: body.name,
      timezone: 'Europe/Berlin',
      businessHours: WEEKDAYS_9_TO_5,
      holidays: ['2026-12-25', '2026-12-26'],
      sameDayCutoff: null,
      policy: {
        warnBeforeMinutes: 60,
        reescalateAfterMinutes: 120,
        autoHoldingUpdate: true,
        tiers: {},
      },
    });
    const fetched = await f.admin().get(`/teams/${res.body.id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual(res.body);
  });

  it('when a member of another team asks for a team, then it gets a 404', async () => {
    const team = await f.team();
    const other = await f.staffedTeam({ reps: 1 });

    const res = await f.as(other.reps[0]!.token).get(`/teams/${team.id}`);

    expect(res.status).toBe(404);
  });

  it('when a team name is taken (in any letter case), then it gets a 409', async () => {
    const team = await f.team();

    const same = await f.admin().post('/teams', validTeam({ name: team.name }));
    const shouted = await f.admin().post('/teams', validTeam({ name: team.name.toUpperCase() }));

    expect(same.status).toBe(409);
    expect(shouted.status).toBe(409);
    expect(same.headers['content-type']).toMatch(/application\/problem\+json/);
  });
});

describe('PATCH /teams/:id', () => {
  it('when part of the policy is patched, then the rest of the policy and the team are kept', async () => {
    const created = await f.admin().post(
      '/teams',
      validTeam({
        sameDayCutoff: '15:00',
        policy: { warnBeforeMinutes: 30, tiers: { vip: { firstResponseWithinMinutes: 120 } } },
      }),
    );
    expect(created.status).toBe(201);

    const res = await f
      .admin()
      .patch(`/teams/${created.body.id}`, { policy: { reescalateAfterMinutes: 90 } });

    expect(res.status).toBe(200);
    const expected = {
      name: created.body.name,
      sameDayCutoff: '15:00',
      businessHours: WEEKDAYS_9_TO_5,
      policy: {
        warnBeforeMinutes: 30,
        reescalateAfterMinutes: 90,
        autoHoldingUpdate: true,
        tiers: { vip: { firstResponseWithinMinutes: 120 } },
      },
    };
    expect(res.body).toMatchObject(expected);
    expect((await f.admin().get(`/teams/${created.body.id}`)).body).toMatchObject(expected);
  });

  it('when a patch renames a team to a taken name, then it gets a 409 and keeps its name', async () => {
    const taken = await f.team();
    const team = await f.team();

    const res = await f.admin().patch(`/teams/${team.id}`, { name: taken.name });

    expect(res.status).toBe(409);
    expect((await f.admin().get(`/teams/${team.id}`)).body.name).toBe(team.name);
  });
});
