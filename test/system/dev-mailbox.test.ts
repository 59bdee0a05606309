import request from 'supertest';
import { loadConfig } from '../../src/config';
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

  let items: Array<{ subject: string; to: string; text: string }> = [];
  for (let i = 0; i < 50 && items.length === 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    items = (await http.get('/dev/mailbox').set('Accept', 'application/json')).body.items;
  }
  expect(items).toHaveLength(1);
  expect(items[0]!.subject).toContain(ticket.body.ref);
  expect(items[0]!.to).toContain('nina@example.test');
  expect(items[0]!.text).toContain('Maya');
  const page = await http.get('/dev/mailbox');
  expect(page.headers['content-type']).toMatch(/text\/html/);
  expect(page.text).toContain('First login fails');
});
