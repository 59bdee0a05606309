import { Fixtures } from '../helpers/factories';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { cookieOf } from '../sessions/session-helpers';

/** bull-board at /admin/queues: for admins (token or console session) only, and read-only. */
let app: TestApp;
let f: Fixtures;

beforeAll(async () => {
  app = await startTestApp();
  f = new Fixtures(app);
});
afterAll(() => app.close());

describe('queue inspection at /admin/queues', () => {
  it('when an admin opens it with the admin token, then the board and its queue list answer', async () => {
    const page = await f
      .http()
      .get('/admin/queues')
      .set('Authorization', `Bearer ${app.adminToken}`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('OwnIt queues');

    const queues = await f
      .http()
      .get('/admin/queues/api/queues')
      .set('Authorization', `Bearer ${app.adminToken}`);
    expect(queues.status).toBe(200);
    expect((queues.body.queues as Array<{ name: string }>).map((q) => q.name)).toContain(
      'deadlines',
    );
  });

  it('when an admin is signed in to the console, then the session cookie opens it too', async () => {
    const password = 'a long admin password';
    const admin = await f.agent('admin', null, { password });
    const signIn = await f
      .http()
      .post('/api/v1/session')
      .set('Origin', 'http://ownit.test')
      .send({ email: admin.email, password });
    expect(signIn.status).toBe(200);
    const page = await f.http().get('/admin/queues').set('Cookie', cookieOf(signIn));
    expect(page.status).toBe(200);
  });

  it('when a rep or a supervisor asks, then 403; without credentials, then 401 (problem+json)', async () => {
    const team = await f.team();
    const rep = await f.agent('rep', team.id);
    const supervisor = await f.agent('supervisor', team.id);
    for (const token of [rep.token, supervisor.token]) {
      const res = await f.http().get('/admin/queues').set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    const anonymous = await f.http().get('/admin/queues/api/queues');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('when an admin tries to change a queue, then 405: the board is read-only', async () => {
    const res = await f
      .http()
      .put('/admin/queues/api/queues/deadlines/pause')
      .set('Authorization', `Bearer ${app.adminToken}`);
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
  });
});
