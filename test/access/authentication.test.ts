import { generateToken } from '../../src/agents/tokens';
import { Fixtures, unique } from '../helpers/factories';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { expectUnauthenticated } from './access-helpers';

let app: TestApp;
let f: Fixtures;

beforeAll(async () => {
  app = await startTestApp();
  f = new Fixtures(app);
});
afterAll(() => app.close());

const withHeader = (path: string, value: string) =>
  f.http().get(`/api/v1${path}`).set('Authorization', value);

describe('Missing or malformed credentials', () => {
  it('when no Authorization header is sent, then GET /me is 401 problem+json with WWW-Authenticate: Bearer', async () => {
    const res = await f.as(undefined).get('/me');
    expectUnauthenticated(res);
  });

  it('when no Authorization header is sent to a ticket, then it is 401 (not 404) and says nothing about the ticket', async () => {
    const { reps, customer } = await f.staffedTeam();
    const ticket = await f.ticket(reps[0]!.token, customer.id);
    const res = await f.as(undefined).get(`/tickets/${ticket.id}`);
    expectUnauthenticated(res);
    expect(res.text).not.toContain(ticket.ref);
    expect(res.text).not.toContain('Internet down');
  });

  it.each([
    [
      'a Basic scheme',
      (token: string) => `Basic ${Buffer.from(`rep:${token}`).toString('base64')}`,
    ],
    ['the bare token without a scheme', (token: string) => token],
    ['the word Bearer and no token', () => 'Bearer'],
    ['Bearer and only spaces', () => 'Bearer    '],
    ['two tokens after Bearer', (token: string) => `Bearer ${token} ${token}`],
    ['another scheme name', (token: string) => `Token ${token}`],
  ])('when the Authorization header is %s, then the request is 401', async (_label, header) => {
    const { reps } = await f.staffedTeam({ reps: 1 });
    const res = await withHeader('/me', header(reps[0]!.token));
    expectUnauthenticated(res);
  });

  it('when the token is unknown, then the request is 401', async () => {
    const res = await f.as(generateToken()).get('/me');
    expectUnauthenticated(res);
  });

  it('when the token is a valid one with one character changed, then the request is 401', async () => {
    const { reps } = await f.staffedTeam({ reps: 1 });
    const token = reps[0]!.token;
    const tampered = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    expectUnauthenticated(await f.as(tampered).get('/me'));
  });

  it('when the scheme is written in lower case, then the token is still accepted (schemes are case-insensitive)', async () => {
    const { reps } = await f.staffedTeam({ reps: 1 });
    const res = await withHeader('/me', `bearer ${reps[0]!.token}`);
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(reps[0]!.id);
  });
});

describe('Unauthenticated writes', () => {
  it('when POST /tickets is sent without a token, then it is 401 and no ticket is created', async () => {
    const { team, customer } = await f.staffedTeam({ reps: 1 });
    const res = await f.as(undefined).post('/tickets', {
      customerId: customer.id,
      subject: 'S',
      description: 'D',
      channel: 'web',
      teamId: team.id,
    });
    expectUnauthenticated(res);
    const [row] = await app.dataSource.query(
      `SELECT count(*)::int AS n FROM tickets WHERE customer_id = $1`,
      [customer.id],
    );
    expect(row.n).toBe(0);
  });

  it('when POST /teams is sent with an unknown token, then it is 401 and no team is created', async () => {
    const name = unique('Team');
    const res = await f.as(generateToken()).post('/teams', {
      name,
      timezone: 'Europe/Berlin',
      businessHours: { mon: { open: '09:00', close: '17:00' } },
    });
    expectUnauthenticated(res);
    const [row] = await app.dataSource.query(
      `SELECT count(*)::int AS n FROM teams WHERE name = $1`,
      [name],
    );
    expect(row.n).toBe(0);
  });
});

describe('Deactivated agents and rotated tokens', () => {
  it("when an admin deactivates an agent, then that agent's token gets 401 on reads and writes", async () => {
    const { reps, customer } = await f.staffedTeam();
    const leaver = reps[0]!;
    const ticket = await f.ticket(leaver.token, customer.id);
    expect((await f.as(leaver.token).get('/me')).status).toBe(200);

    await f.admin().patch(`/agents/${leaver.id}`, { active: false }).expect(200);

    expectUnauthenticated(await f.as(leaver.token).get('/me'));
    expectUnauthenticated(await f.as(leaver.token).get(`/tickets/${ticket.id}`));
    const write = await f.as(leaver.token).post('/tickets', {
      customerId: customer.id,
      subject: 'After leaving',
      description: 'D',
      channel: 'phone',
    });
    expectUnauthenticated(write);
    const [row] = await app.dataSource.query(
      `SELECT count(*)::int AS n FROM tickets WHERE created_by_id = $1`,
      [leaver.id],
    );
    expect(row.n).toBe(1);
  });

  it("when an admin deactivates one agent, then a teammate's token keeps working", async () => {
    const { reps } = await f.staffedTeam();
    await f.admin().patch(`/agents/${reps[0]!.id}`, { active: false }).expect(200);
    const res = await f.as(reps[1]!.token).get('/me');
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(reps[1]!.id);
  });

  it('when an agent rotates its token, then the old token gets 401 and the new one works', async () => {
    const { reps } = await f.staffedTeam({ reps: 1 });
    const rep = reps[0]!;
    const rotated = await f.as(rep.token).post(`/agents/${rep.id}/token`);
    expect(rotated.status).toBe(201);
    expect(rotated.body.token).toEqual(expect.any(String));
    expectUnauthenticated(await f.as(rep.token).get('/me'));
    const me = await f.as(rotated.body.token).get('/me');
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(rep.id);
  });
});
