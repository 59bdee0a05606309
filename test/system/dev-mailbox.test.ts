import request from 'supertest';
import { loadConfig } from '../../src/config';
import { ensureAdminWithToken } from '../../src/agents/admin-bootstrap';
import { createLogger } from '../../src/logger';
import { startRuntime, type Runtime } from '../../src/runtime';
import { dropDatabase } from '../helpers/cleanup';
import { ALWAYS_OPEN } from '../helpers/factories';
import { redisUrl, testDatabaseUrl, testQueuePrefix } from '../helpers/test-environment';

/**
 * The whole single-process install, as `npm start` runs it, with SMTP_URL unset: a new user
 * creates a ticket and sees the acknowledgement in the development mailbox.
 */
let runtime: Runtime;
let databaseUrl: string;
const adminToken = 'dev-mailbox-test-admin-token-0001';

beforeAll(async () => {
  const url = new URL(testDatabaseUrl());
  url.pathname = `${url.pathname}_devmail`;
  databaseUrl = url.toString();
  const config = loadConfig({
    PORT: '0',
    DEV_SMTP_PORT: '0',
    METRICS_PORT: '0',
    WORKER_METRICS_PORT: '0',
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl(),
    QUEUE_PREFIX: `${testQueuePrefix()}-devmail`,
    ADMIN_TOKEN: adminToken,
    LOG_LEVEL: 'silent',
  });
  runtime = await startRuntime(config, createLogger('silent'), { api: true, worker: true });
});
afterAll(async () => {
  await runtime.stop();
  await dropDatabase(databaseUrl);
});

it('when SMTP_URL is unset and a ticket is created, then the acknowledgement shows in /dev/mailbox', async () => {
  const http = request(`http://127.0.0.1:${runtime.port}`);
  const auth = { Authorization: `Bearer ${adminToken}` };
  const team = await http.post('/api/v1/teams').set(auth).send({
    name: 'Mailbox team',
    timezone: 'Europe/Berlin',
    businessHours: ALWAYS_OPEN,
  });
  const rep = await http
    .post('/api/v1/agents')
    .set(auth)
    .send({ name: 'Maya Mailbox', email: 'maya@example.test', role: 'rep', teamId: team.body.id });
  const customer = await http
    .post('/api/v1/customers')
    .set(auth)
    .send({ name: 'Nina New', email: 'nina@example.test' });
  const ticket = await http
    .post('/api/v1/tickets')
    .set({ Authorization: `Bearer ${rep.body.token}` })
    .send({
      customerId: customer.body.id,
      subject: 'First login fails',
      description: 'x',
      channel: 'web',
    });
  expect(ticket.status).toBe(201);

  // Only the customer's mail: near an always-open team's 23:59 close the owner also gets a
  // "due soon" warning, which is not what this test is about.
  type Caught = { subject: string; to: string; text: string };
  let items: Caught[] = [];
  for (let i = 0; i < 50 && items.length === 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const caught: Caught[] = (
      await http.get('/dev/mailbox').set(auth).set('Accept', 'application/json')
    ).body.items;
    items = caught.filter((item) => item.to.includes('nina@example.test'));
  }
  expect(items).toHaveLength(1);
  expect(items[0]!.subject).toContain(ticket.body.ref);
  expect(items[0]!.to).toContain('nina@example.test');
  expect(items[0]!.text).toContain('Maya');
  const page = await http.get('/dev/mailbox').set(auth);
  expect(page.headers['content-type']).toMatch(/text\/html/);
  expect(page.text).toContain('First login fails');
});

it('when /dev/mailbox is asked from this machine without a token, or by a rep, then it is refused: only admins read it', async () => {
  const http = request(`http://127.0.0.1:${runtime.port}`);
  const auth = { Authorization: `Bearer ${adminToken}` };
  const team = await http.post('/api/v1/teams').set(auth).send({
    name: 'Mailbox team 2',
    timezone: 'Europe/Berlin',
    businessHours: ALWAYS_OPEN,
  });
  const rep = await http.post('/api/v1/agents').set(auth).send({
    name: 'Rita Nosy',
    email: 'rita.nosy@example.test',
    role: 'rep',
    teamId: team.body.id,
  });

  const anonymous = await http.get('/dev/mailbox').set('Accept', 'application/json');
  const byRep = await http
    .get('/dev/mailbox/1')
    .set({ Authorization: `Bearer ${rep.body.token}` })
    .set('Accept', 'application/json');
  const forwarded = await http
    .get('/dev/mailbox')
    .set('X-Forwarded-For', '127.0.0.1')
    .set('Accept', 'application/json');

  expect(anonymous.status).toBe(401);
  expect(anonymous.type).toBe('application/problem+json');
  expect(anonymous.body).not.toHaveProperty('items');
  expect(byRep.status).toBe(404);
  expect(byRep.type).toBe('application/problem+json');
  expect(forwarded.status).toBe(401);
  const admin = await http.get('/dev/mailbox').set(auth).set('Accept', 'application/json');
  expect(admin.status).toBe(200);
});

it('when the bootstrap admin was deactivated on purpose, then a restart with the same ADMIN_TOKEN does not revive it', async () => {
  const http = request(`http://127.0.0.1:${runtime.port}`);
  const auth = { Authorization: `Bearer ${adminToken}` };
  const other = await http
    .post('/api/v1/agents')
    .set(auth)
    .send({ name: 'Second Admin', email: 'second.admin@example.test', role: 'admin' });
  expect(other.status).toBe(201);
  const me = await http.get('/api/v1/me').set(auth).expect(200);
  await http
    .patch(`/api/v1/agents/${me.body.id}`)
    .set({ Authorization: `Bearer ${other.body.token}` })
    .send({ active: false })
    .expect(200);

  // What every start does with ADMIN_TOKEN.
  expect(await ensureAdminWithToken(runtime.dataSource, adminToken)).toBe('deactivated');

  expect((await http.get('/api/v1/me').set(auth)).status).toBe(401);
});
