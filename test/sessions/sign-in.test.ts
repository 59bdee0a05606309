import request from 'supertest';
import { ManualClock } from '../../src/clock';
import { Fixtures, unique } from '../helpers/factories';
import { startTestApp, type TestApp } from '../helpers/test-app';
import {
  cookieOf,
  ORIGIN,
  PASSWORD,
  sessionSetCookie,
  signIn,
  withCookie,
} from './session-helpers';

let app: TestApp;
let f: Fixtures;

beforeAll(async () => {
  app = await startTestApp();
  f = new Fixtures(app);
});
afterAll(() => app.close());

const http = () => request(app.server);

async function repWithPassword(password = PASSWORD) {
  const { team, reps, customer } = await f.staffedTeam({ reps: 1 });
  const rep = await f.agent('rep', team.id, { password });
  return { team, rep, customer, other: reps[0]! };
}

describe('Passwords on agents', () => {
  it('when an agent is created with a password shorter than 12 characters, then 400 names password and no agent exists', async () => {
    const team = await f.team();
    const email = `${unique('short')}@example.test`;
    const res = await f.admin().post('/agents', {
      name: 'Short',
      email,
      role: 'rep',
      teamId: team.id,
      password: 'elevenchars',
    });
    expect(res.status).toBe(400);
    expect(res.type).toBe('application/problem+json');
    expect(res.body.errors).toEqual([
      { path: 'password', message: 'must be at least 12 characters' },
    ]);
    const rows: unknown[] = await app.dataSource.query(`SELECT 1 FROM agents WHERE email = $1`, [
      email,
    ]);
    expect(rows).toHaveLength(0);
  });

  it('when an agent has a password, then no response ever contains it or its hash', async () => {
    const { rep, team } = await repWithPassword();
    const cookie = await signIn(app, rep.email);
    const responses = [
      await f.admin().get(`/agents/${rep.id}`),
      await f.admin().get(`/agents?teamId=${team.id}`),
      await f.as(rep.token).get('/me'),
      await withCookie(app, cookie).get('/session'),
      await http().post('/api/v1/session').send({ email: rep.email, password: PASSWORD }),
    ];
    for (const res of responses) {
      expect(res.status).toBe(200);
      expect(res.text).not.toContain(PASSWORD);
      expect(res.text).not.toMatch(/argon2|password_?hash/i);
    }
    const [stored]: Array<{ password_hash: string }> = await app.dataSource.query(
      `SELECT password_hash FROM agents WHERE id = $1`,
      [rep.id],
    );
    expect(stored!.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('when an integration is created with a password, then 400 names password', async () => {
    const res = await f.admin().post('/agents', {
      name: 'Web form',
      email: `${unique('form')}@example.test`,
      role: 'integration',
      password: PASSWORD,
    });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('password');
  });

  it('when an admin sets the password of the ADMIN_TOKEN admin, then that admin signs in with it', async () => {
    const me = await f.admin().get('/me');
    const res = await f
      .http()
      .put(`/api/v1/agents/${me.body.id}/password`)
      .set('Authorization', `Bearer ${app.adminToken}`)
      .send({ password: 'the admin password 2026' });
    expect(res.status).toBe(204);
    const signedIn = await http()
      .post('/api/v1/session')
      .send({ email: me.body.email, password: 'the admin password 2026' });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.agent).toMatchObject({ id: me.body.id, role: 'admin' });
  });

  it("when a rep tries to set another agent's password, then 404 and the password is unchanged", async () => {
    const { rep, other } = await repWithPassword();
    const res = await f
      .http()
      .put(`/api/v1/agents/${other.id}/password`)
      .set('Authorization', `Bearer ${rep.token}`)
      .send({ password: 'an attacker password' });
    expect(res.status).toBe(404);
    const [row]: Array<{ password_hash: string | null }> = await app.dataSource.query(
      `SELECT password_hash FROM agents WHERE id = $1`,
      [other.id],
    );
    expect(row!.password_hash).toBeNull();
  });

  it('when an agent changes its own password, then its other sessions end and the current one stays', async () => {
    const { rep } = await repWithPassword();
    const laptop = await signIn(app, rep.email);
    const phone = await signIn(app, rep.email);
    const res = await f
      .http()
      .put(`/api/v1/agents/${rep.id}/password`)
      .set('Cookie', laptop)
      .set('Origin', ORIGIN)
      .send({ password: 'a brand new password' });
    expect(res.status).toBe(204);
    expect((await withCookie(app, laptop).get('/me')).status).toBe(200);
    expect((await withCookie(app, phone).get('/me')).status).toBe(401);
  });
});

describe('Signing in', () => {
  it('when the password is right, then 200 with the agent as /me shows it and an HttpOnly, SameSite=Lax session cookie on /', async () => {
    const { rep } = await repWithPassword();
    const res = await http().post('/api/v1/session').send({ email: rep.email, password: PASSWORD });
    expect(res.status).toBe(200);
    const me = await f.as(rep.token).get('/me');
    expect(res.body.agent).toEqual(me.body);
    const cookie = sessionSetCookie(res)!;
    expect(cookie).toMatch(/^ownit_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).not.toMatch(/; Secure/);
  });

  it('when the email is typed in another case, then the agent still signs in', async () => {
    const { rep } = await repWithPassword();
    await http()
      .post('/api/v1/session')
      .send({ email: rep.email.toUpperCase(), password: PASSWORD })
      .expect(200);
  });

  it('when the email is unknown or the password wrong, then both are the same 401 problem+json and no cookie', async () => {
    const { rep } = await repWithPassword();
    const wrongPassword = await http()
      .post('/api/v1/session')
      .send({ email: rep.email, password: 'not the password' });
    const unknownEmail = await http()
      .post('/api/v1/session')
      .send({ email: `${unique('nobody')}@example.test`, password: PASSWORD });
    for (const res of [wrongPassword, unknownEmail]) {
      expect(res.status).toBe(401);
      expect(res.type).toBe('application/problem+json');
      expect(sessionSetCookie(res)).toBeUndefined();
    }
    expect(wrongPassword.body).toEqual(unknownEmail.body);
  });

  it('when an agent has no password yet, then signing in is the same 401', async () => {
    const { other } = await repWithPassword();
    const res = await http()
      .post('/api/v1/session')
      .send({ email: other.email, password: PASSWORD });
    expect(res.status).toBe(401);
  });

  it('when the body lacks the password, then 400 names it', async () => {
    const res = await http().post('/api/v1/session').send({ email: 'a@example.test' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'password', message: 'is required' }]);
  });

  it('when an account has 5 failed sign-ins, then the next try is 429 with Retry-After even with the right password', async () => {
    const { rep } = await repWithPassword();
    for (let i = 0; i < 5; i++) {
      await http()
        .post('/api/v1/session')
        .send({ email: rep.email, password: `wrong ${i}` })
        .expect(401);
    }
    const res = await http().post('/api/v1/session').send({ email: rep.email, password: PASSWORD });
    expect(res.status).toBe(429);
    expect(res.type).toBe('application/problem+json');
    const retryAfter = Number(res.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(14 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(sessionSetCookie(res)).toBeUndefined();
  });

  it('when a sign-in succeeds, then earlier failures of that account are forgotten', async () => {
    const { rep } = await repWithPassword();
    for (let i = 0; i < 4; i++) {
      await http()
        .post('/api/v1/session')
        .send({ email: rep.email, password: 'wrong' })
        .expect(401);
    }
    await signIn(app, rep.email);
    for (let i = 0; i < 4; i++) {
      await http()
        .post('/api/v1/session')
        .send({ email: rep.email, password: 'wrong' })
        .expect(401);
    }
    await signIn(app, rep.email);
  });

  it('when a session cookie is sent, then the API treats it like the bearer token: same agent, same access', async () => {
    const { rep, customer, team } = await repWithPassword();
    const cookie = await signIn(app, rep.email);
    const me = await withCookie(app, cookie).get('/me');
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(rep.id);
    const created = await withCookie(app, cookie).post('/tickets', {
      customerId: customer.id,
      subject: 'Made in the console',
      description: 'Signed in with a cookie',
      channel: 'phone',
    });
    expect(created.status).toBe(201);
    expect(created.body.ownerId).toBe(rep.id);
    // Another team's ticket stays invisible through the cookie just as through the token.
    const elsewhere = await f.staffedTeam({ reps: 1 });
    const foreign = await f.ticket(elsewhere.reps[0]!.token, elsewhere.customer.id);
    expect((await withCookie(app, cookie).get(`/tickets/${foreign.id}`)).status).toBe(404);
    // Admin-only actions stay admin-only.
    const patch = await withCookie(app, cookie).patch(`/agents/${rep.id}`, { capacity: 99 });
    expect(patch.status).toBe(403);
    expect(team.id).toBe(created.body.teamId);
  });

  it('when the session cookie is forged or unknown, then 401 problem+json', async () => {
    for (const value of ['forged', 'x'.repeat(43), '']) {
      const res = await http().get('/api/v1/me').set('Cookie', `ownit_session=${value}`);
      expect(res.status).toBe(401);
      expect(res.type).toBe('application/problem+json');
    }
  });

  it('when GET /session is asked with a cookie, then it answers the agent and when the session ends; without one, 401', async () => {
    const { rep } = await repWithPassword();
    const cookie = await signIn(app, rep.email);
    const res = await withCookie(app, cookie).get('/session');
    expect(res.status).toBe(200);
    expect(res.body.agent.id).toBe(rep.id);
    const expiresAt = new Date(res.body.expiresAt).getTime();
    expect(expiresAt - Date.now()).toBeGreaterThan(11.9 * 3_600_000);
    expect(expiresAt - Date.now()).toBeLessThanOrEqual(12 * 3_600_000);
    expect((await http().get('/api/v1/session')).status).toBe(401);
    expect((await f.as(rep.token).get('/session')).status).toBe(401);
  });
});

describe('Ending sessions', () => {
  it('when the agent signs out, then 204, the cookie is cleared and the session no longer works', async () => {
    const { rep } = await repWithPassword();
    const cookie = await signIn(app, rep.email);
    const res = await withCookie(app, cookie).delete('/session');
    expect(res.status).toBe(204);
    expect(sessionSetCookie(res)).toMatch(/^ownit_session=;.*Expires=Thu, 01 Jan 1970/);
    expect((await withCookie(app, cookie).get('/me')).status).toBe(401);
    const rows: unknown[] = await app.dataSource.query(
      `SELECT 1 FROM sessions WHERE agent_id = $1`,
      [rep.id],
    );
    expect(rows).toHaveLength(0);
  });

  it('when an agent is deactivated, then its sessions end at once', async () => {
    const { rep } = await repWithPassword();
    const cookie = await signIn(app, rep.email);
    expect((await withCookie(app, cookie).get('/me')).status).toBe(200);
    await f.admin().patch(`/agents/${rep.id}`, { active: false }).expect(200);
    expect((await withCookie(app, cookie).get('/me')).status).toBe(401);
    const rows: unknown[] = await app.dataSource.query(
      `SELECT 1 FROM sessions WHERE agent_id = $1`,
      [rep.id],
    );
    expect(rows).toHaveLength(0);
    const again = await http()
      .post('/api/v1/session')
      .send({ email: rep.email, password: PASSWORD });
    expect(again.status).toBe(401);
  });
});

describe('Cross-site request forgery', () => {
  it('when a cookie-authenticated write comes from another origin, then 403 problem+json and nothing is written', async () => {
    const { rep, customer } = await repWithPassword();
    const cookie = await signIn(app, rep.email);
    const subject = unique('Forged');
    const res = await withCookie(app, cookie).post(
      '/tickets',
      { customerId: customer.id, subject, description: 'x', channel: 'phone' },
      'https://evil.example',
    );
    expect(res.status).toBe(403);
    expect(res.type).toBe('application/problem+json');
    const rows: unknown[] = await app.dataSource.query(`SELECT 1 FROM tickets WHERE subject = $1`, [
      subject,
    ]);
    expect(rows).toHaveLength(0);
  });

  it('when a cookie-authenticated write has no Origin and no Sec-Fetch-Site, or says cross-site, then 403', async () => {
    const { rep } = await repWithPassword();
    const cookie = await signIn(app, rep.email);
    const bare = await withCookie(app, cookie).patch(`/agents/${rep.id}`, { away: true }, null);
    expect(bare.status).toBe(403);
    const crossSite = await http()
      .patch(`/api/v1/agents/${rep.id}`)
      .set('Cookie', cookie)
      .set('Sec-Fetch-Site', 'cross-site')
      .send({ away: true });
    expect(crossSite.status).toBe(403);
    const nullOrigin = await withCookie(app, cookie).patch(
      `/agents/${rep.id}`,
      { away: true },
      'null',
    );
    expect(nullOrigin.status).toBe(403);
  });

  it('when a cookie-authenticated write comes from the console (PUBLIC_URL, its own host, or Sec-Fetch-Site same-origin), then it goes through', async () => {
    const { rep } = await repWithPassword();
    const cookie = await signIn(app, rep.email);
    const address = app.server.address();
    const ownHost =
      typeof address === 'object' && address ? `http://127.0.0.1:${address.port}` : '';
    expect((await withCookie(app, cookie).patch(`/agents/${rep.id}`, { away: true })).status).toBe(
      200,
    );
    expect(
      (await withCookie(app, cookie).patch(`/agents/${rep.id}`, { away: false }, ownHost)).status,
    ).toBe(200);
    const fetchSite = await http()
      .patch(`/api/v1/agents/${rep.id}`)
      .set('Cookie', cookie)
      .set('Sec-Fetch-Site', 'same-origin')
      .send({ away: true });
    expect(fetchSite.status).toBe(200);
  });

  it('when a cookie-authenticated write sends a form-encoded or text body, then 403 even from the right origin', async () => {
    const { rep } = await repWithPassword();
    const cookie = await signIn(app, rep.email);
    for (const type of ['application/x-www-form-urlencoded', 'text/plain']) {
      const res = await http()
        .patch(`/api/v1/agents/${rep.id}`)
        .set('Cookie', cookie)
        .set('Origin', ORIGIN)
        .set('Content-Type', type)
        .send('away=true');
      expect(res.status).toBe(403);
    }
  });

  it('when a bearer-token request comes with a foreign Origin, then the guard does not apply', async () => {
    const { rep } = await repWithPassword();
    const res = await f
      .http()
      .patch(`/api/v1/agents/${rep.id}`)
      .set('Authorization', `Bearer ${rep.token}`)
      .set('Origin', 'https://integration.example')
      .send({ away: true });
    expect(res.status).toBe(200);
  });

  it('when another site tries to sign a browser in, then 403', async () => {
    const { rep } = await repWithPassword();
    const res = await http()
      .post('/api/v1/session')
      .set('Origin', 'https://evil.example')
      .send({ email: rep.email, password: PASSWORD });
    expect(res.status).toBe(403);
    expect(sessionSetCookie(res)).toBeUndefined();
  });
});

describe('Session lifetime', () => {
  it('when a session is unused past the idle timeout, then it ends; used within it, it lives on until the absolute limit', async () => {
    const clock = new ManualClock(new Date());
    const timed = await startTestApp({
      clock,
      auth: { sessionIdleMinutes: 60, sessionMaxMinutes: 150 },
    });
    try {
      const tf = new Fixtures(timed);
      const team = await tf.team();
      const rep = await tf.agent('rep', team.id, { password: PASSWORD });
      const cookie = await signIn(timed, rep.email);
      const me = () => withCookie(timed, cookie).get('/me');
      clock.advance(59 * 60_000);
      expect((await me()).status).toBe(200);
      clock.advance(59 * 60_000);
      expect((await me()).status).toBe(200);
      clock.advance(59 * 60_000); // 177 minutes after sign-in: past the absolute limit
      expect((await me()).status).toBe(401);

      const idle = await signIn(timed, rep.email);
      clock.advance(61 * 60_000);
      expect((await withCookie(timed, idle).get('/me')).status).toBe(401);
    } finally {
      await timed.close();
    }
  });

  it('when PUBLIC_URL is https, then the session cookie is Secure', async () => {
    const secure = await startTestApp({ publicUrl: 'https://help.example.com' });
    try {
      const tf = new Fixtures(secure);
      const team = await tf.team();
      const rep = await tf.agent('rep', team.id, { password: PASSWORD });
      const res = await request(secure.server)
        .post('/api/v1/session')
        .send({ email: rep.email, password: PASSWORD });
      expect(sessionSetCookie(res)).toMatch(/; Secure/);
      expect(cookieOf(res)).toMatch(/^ownit_session=/);
    } finally {
      await secure.close();
    }
  });

  it('when one address fails 20 sign-ins across accounts, then it gets 429 for any account', async () => {
    // Its own database: the per-address count must not see other test files' failures.
    const limited = await startTestApp({ isolated: true });
    try {
      const tf = new Fixtures(limited);
      const team = await tf.team();
      const rep = await tf.agent('rep', team.id, { password: PASSWORD });
      for (let i = 0; i < 20; i++) {
        await request(limited.server)
          .post('/api/v1/session')
          .send({ email: `guess-${i}@example.test`, password: 'guess' })
          .expect(401);
      }
      const res = await request(limited.server)
        .post('/api/v1/session')
        .send({ email: rep.email, password: PASSWORD });
      expect(res.status).toBe(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });
});
