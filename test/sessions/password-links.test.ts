import request from 'supertest';
import { ManualClock } from '../../src/clock';
import { DEFAULT_AUTH_SETTINGS } from '../../src/auth-settings';
import { issueFirstAdminLink } from '../../src/sessions/first-admin-link';
import { Fixtures, unique } from '../helpers/factories';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { cookieOf, PASSWORD, sessionSetCookie, signIn, withCookie } from './session-helpers';

let app: TestApp;
let f: Fixtures;

beforeAll(async () => {
  app = await startTestApp();
  f = new Fixtures(app);
});
afterAll(() => app.close());

const http = () => request(app.server);

interface OutboxRow {
  template: string;
  to_address: string;
  status: string;
  payload: { setPasswordUrl: string; expiresAt: string; agentName: string };
}

async function emailsTo(agentId: string): Promise<OutboxRow[]> {
  return app.dataSource.query(
    `SELECT template, to_address, status, payload FROM outbox_emails WHERE agent_id = $1 ORDER BY created_at`,
    [agentId],
  );
}

const tokenOf = (url: string) => new URL(url).searchParams.get('token')!;

describe('Invitations', () => {
  it('when an admin invites an agent, then a set-password link valid 72 hours is in the outbox for the agent', async () => {
    const team = await f.team();
    const rep = await f.agent('rep', team.id);
    const res = await f.admin().post(`/agents/${rep.id}/invite`);
    expect(res.status).toBe(202);
    const expiresIn = new Date(res.body.expiresAt).getTime() - Date.now();
    expect(expiresIn).toBeGreaterThan(71.9 * 3_600_000);
    expect(expiresIn).toBeLessThanOrEqual(72 * 3_600_000);
    const [email] = await emailsTo(rep.id);
    expect(email).toMatchObject({
      template: 'agent_invitation',
      to_address: rep.email,
      status: 'pending',
    });
    expect(email!.payload.setPasswordUrl).toMatch(
      /^http:\/\/ownit\.test\/set-password\?token=pwl_[A-Za-z0-9_-]{43}$/,
    );
  });

  it('when the invited agent uses the link, then the password is set, it is signed in, and the link never works again', async () => {
    const team = await f.team();
    const rep = await f.agent('rep', team.id);
    await f.admin().post(`/agents/${rep.id}/invite`).expect(202);
    const token = tokenOf((await emailsTo(rep.id))[0]!.payload.setPasswordUrl);

    const res = await http().post('/api/v1/password/set').send({ token, password: PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body.agent).toMatchObject({ id: rep.id, email: rep.email });
    expect(sessionSetCookie(res)).toMatch(/HttpOnly/);
    expect((await withCookie(app, cookieOf(res)).get('/me')).body.id).toBe(rep.id);
    await signIn(app, rep.email);

    const again = await http()
      .post('/api/v1/password/set')
      .send({ token, password: 'someone else’s password' });
    expect(again.status).toBe(410);
    expect(again.type).toBe('application/problem+json');
    await signIn(app, rep.email);
  });

  it('when a link is unknown, then 400 names the token; when the password is short, then 400 names password and the link still works', async () => {
    const unknown = await http()
      .post('/api/v1/password/set')
      .send({ token: 'pwl_not-a-real-token', password: PASSWORD });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].path).toBe('token');

    const team = await f.team();
    const rep = await f.agent('rep', team.id);
    await f.admin().post(`/agents/${rep.id}/invite`).expect(202);
    const token = tokenOf((await emailsTo(rep.id))[0]!.payload.setPasswordUrl);
    const short = await http().post('/api/v1/password/set').send({ token, password: 'short' });
    expect(short.status).toBe(400);
    expect(short.body.errors[0].path).toBe('password');
    await http().post('/api/v1/password/set').send({ token, password: PASSWORD }).expect(200);
  });

  it('when an agent is invited twice, then only the newer link works', async () => {
    const team = await f.team();
    const rep = await f.agent('rep', team.id);
    await f.admin().post(`/agents/${rep.id}/invite`).expect(202);
    await f.admin().post(`/agents/${rep.id}/invite`).expect(202);
    const [first, second] = await emailsTo(rep.id);
    const old = await http()
      .post('/api/v1/password/set')
      .send({ token: tokenOf(first!.payload.setPasswordUrl), password: PASSWORD });
    expect(old.status).toBe(410);
    await http()
      .post('/api/v1/password/set')
      .send({ token: tokenOf(second!.payload.setPasswordUrl), password: PASSWORD })
      .expect(200);
  });

  it('when a rep or supervisor tries to invite, then 403; an integration or deactivated agent cannot be invited (409)', async () => {
    const { team, supervisor, reps } = await f.staffedTeam({ reps: 1 });
    expect((await f.as(supervisor.token).post(`/agents/${reps[0]!.id}/invite`)).status).toBe(403);
    expect((await f.as(reps[0]!.token).post(`/agents/${reps[0]!.id}/invite`)).status).toBe(403);
    const integration = await f.agent('integration', team.id);
    expect((await f.admin().post(`/agents/${integration.id}/invite`)).status).toBe(409);
    const gone = await f.agent('rep', team.id);
    await f.admin().patch(`/agents/${gone.id}`, { active: false }).expect(200);
    expect((await f.admin().post(`/agents/${gone.id}/invite`)).status).toBe(409);
    expect(await emailsTo(gone.id)).toHaveLength(0);
  });

  it('when an invitation link is older than 72 hours, then it is 410 Gone', async () => {
    const clock = new ManualClock(new Date());
    const timed = await startTestApp({ clock });
    try {
      const tf = new Fixtures(timed);
      const team = await tf.team();
      const rep = await tf.agent('rep', team.id);
      await tf.admin().post(`/agents/${rep.id}/invite`).expect(202);
      const [row]: OutboxRow[] = await timed.dataSource.query(
        `SELECT payload FROM outbox_emails WHERE agent_id = $1`,
        [rep.id],
      );
      clock.advance(72 * 3_600_000 + 1000);
      const res = await request(timed.server)
        .post('/api/v1/password/set')
        .send({ token: tokenOf(row!.payload.setPasswordUrl), password: PASSWORD });
      expect(res.status).toBe(410);
    } finally {
      await timed.close();
    }
  });
});

describe('Password reset', () => {
  it('when a reset is asked for an active agent, then 202 and a reset link in the outbox that sets a new password and ends old sessions', async () => {
    const team = await f.team();
    const rep = await f.agent('rep', team.id, { password: PASSWORD });
    const before = await signIn(app, rep.email);
    const res = await http().post('/api/v1/password-reset').send({ email: rep.email });
    expect(res.status).toBe(202);
    const [email] = await emailsTo(rep.id);
    expect(email).toMatchObject({ template: 'password_reset', to_address: rep.email });
    const token = tokenOf(email!.payload.setPasswordUrl);
    await http()
      .post('/api/v1/password/set')
      .send({ token, password: 'my new long password' })
      .expect(200);
    expect((await withCookie(app, before).get('/me')).status).toBe(401);
    await signIn(app, rep.email, 'my new long password');
    const old = await http().post('/api/v1/session').send({ email: rep.email, password: PASSWORD });
    expect(old.status).toBe(401);
  });

  it('when a reset is asked for an unknown or deactivated address, then the same 202 and no email', async () => {
    const team = await f.team();
    const gone = await f.agent('rep', team.id, { password: PASSWORD });
    await f.admin().patch(`/agents/${gone.id}`, { active: false }).expect(200);
    const known = await http().post('/api/v1/password-reset').send({ email: gone.email });
    const unknown = await http()
      .post('/api/v1/password-reset')
      .send({ email: `${unique('nobody')}@example.test` });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(known.body).toEqual(unknown.body);
    expect(await emailsTo(gone.id)).toHaveLength(0);
  });

  it('when resets for one address are asked again and again, then only three emails go out in the window', async () => {
    const team = await f.team();
    const rep = await f.agent('rep', team.id);
    for (let i = 0; i < 5; i++) {
      await http().post('/api/v1/password-reset').send({ email: rep.email }).expect(202);
    }
    expect(await emailsTo(rep.id)).toHaveLength(3);
  });

  it('when one address asks for too many resets, then 429 with Retry-After', async () => {
    const limited = await startTestApp({ isolated: true, auth: { ipResetLimit: 3 } });
    try {
      for (let i = 0; i < 3; i++) {
        await request(limited.server)
          .post('/api/v1/password-reset')
          .send({ email: `x${i}@example.test` })
          .expect(202);
      }
      const res = await request(limited.server)
        .post('/api/v1/password-reset')
        .send({ email: 'y@example.test' });
      expect(res.status).toBe(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });
});

describe("The first admin's link", () => {
  it('when the first admin is created, then its one-time link sets its password and signs it in', async () => {
    const me = await f.admin().get('/me');
    const link = await issueFirstAdminLink(
      app.dataSource,
      'http://ownit.test',
      DEFAULT_AUTH_SETTINGS,
      app.adminToken,
      new Date(),
    );
    expect(link!.url).toMatch(/^http:\/\/ownit\.test\/set-password\?token=pwl_/);
    expect(link!.email).toBe(me.body.email);
    const res = await http()
      .post('/api/v1/password/set')
      .send({ token: tokenOf(link!.url), password: 'first admin password' });
    expect(res.status).toBe(200);
    expect(res.body.agent).toMatchObject({ id: me.body.id, role: 'admin' });
  });
});
