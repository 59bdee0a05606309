import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type { Clock } from '../../src/clock';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { startRuntime, type Runtime } from '../../src/runtime';
import { dropDatabase } from '../helpers/cleanup';
import { ALWAYS_OPEN, unique } from '../helpers/factories';
import { redisUrl, testDatabaseUrl, testQueuePrefix } from '../helpers/test-environment';

/**
 * Prometheus metrics of a whole install (API + worker in one process, as `npm start` runs it) on
 * their own port: what a monitoring set-up scrapes, checked by promtool as Prometheus reads it.
 * This file has a database of its own: its worker acts on every ticket it sees.
 */

const PROMTOOL = process.env.PROMTOOL ?? '/usr/bin/promtool';
const ADMIN = `metrics-test-admin-${unique('t')}`;

/** Real time, shifted: a ticket "received" in the past falls due a few seconds from now. */
class ShiftedClock implements Clock {
  offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
}

let databaseUrl: string;
let runtime: Runtime;
let clock: ShiftedClock;
let receiver: Server;
let received = 0;

async function scrape(port: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
}

/** The value of one series (all labels given, in any order), or undefined if absent. */
function valueOf(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const wanted = Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`));
    if (wanted) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

/** Scrapes until `ready` holds (the worker acts on its own time), then returns that scrape. */
async function scrapeUntil(
  port: number,
  what: string,
  ready: (text: string) => boolean,
  timeoutMs = 25_000,
): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const text = await scrape(port);
    if (ready(text)) return text;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

beforeAll(async () => {
  const url = new URL(testDatabaseUrl());
  url.pathname = `${url.pathname}_metrics`;
  databaseUrl = url.toString();
  receiver = createServer((req, res) => {
    req.resume();
    received += 1;
    res.writeHead(204).end();
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  clock = new ShiftedClock();
  const config = loadConfig({
    PORT: '0',
    DEV_SMTP_PORT: '0',
    METRICS_PORT: '0',
    WORKER_METRICS_PORT: '0',
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl(),
    QUEUE_PREFIX: `${testQueuePrefix()}-metrics`,
    ADMIN_TOKEN: ADMIN,
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    MAILBOX_POLL_SECONDS: '5',
  });
  runtime = await startRuntime(config, createLogger('silent'), {
    api: true,
    worker: true,
    clock,
  });
});

afterAll(async () => {
  await runtime?.stop();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
  await dropDatabase(databaseUrl);
});

it('when API and worker run in one process, then /metrics is on the metrics port only, labels requests by route pattern, counts the worker outcomes and passes promtool check metrics', async () => {
  const api = request(`http://127.0.0.1:${runtime.port}`);
  const as = (path: string) => ({
    post: (body: object) =>
      api.post(`/api/v1${path}`).set('Authorization', `Bearer ${ADMIN}`).send(body),
    get: () => api.get(`/api/v1${path}`).set('Authorization', `Bearer ${ADMIN}`),
  });
  const team = await as('/teams').post({
    name: unique('Team'),
    timezone: 'Europe/Berlin',
    businessHours: ALWAYS_OPEN,
    policy: {
      warnBeforeMinutes: 0,
      reescalateAfterMinutes: 600,
      tiers: { vip: { firstResponseWithinMinutes: 1 } },
    },
  });
  expect(team.status).toBe(201);
  const supervisor = await as('/agents').post({
    name: 'Sue Supervisor',
    email: `${unique('sue')}@example.test`,
    role: 'supervisor',
    teamId: team.body.id,
  });
  expect(supervisor.status).toBe(201);
  const rep = await as('/agents').post({
    name: 'Rita Rep',
    email: `${unique('rita')}@example.test`,
    role: 'rep',
    teamId: team.body.id,
  });
  expect(rep.status).toBe(201);
  const customer = await as('/customers').post({
    name: 'Carla',
    email: `${unique('carla')}@customer.test`,
    tier: 'vip',
  });
  expect(customer.status).toBe(201);
  const hook = await as('/webhooks').post({
    url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
    events: ['ticket.created'],
    teamId: team.body.id,
  });
  expect(hook.status).toBe(201);
  // A mailbox nobody answers at: the worker's connection fails and says so.
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const closedPort = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const mailbox = await as('/mailboxes').post({
    teamId: team.body.id,
    url: `imap://support:secret@127.0.0.1:${closedPort}/INBOX`,
  });
  expect(mailbox.status).toBe(201);

  // Received 58 s ago with a 1-minute VIP target: the first response is due in 2 s.
  clock.offsetMs = -58_000;
  const ticket = await api
    .post('/api/v1/tickets')
    .set('Authorization', `Bearer ${rep.body.token}`)
    .send({
      customerId: customer.body.id,
      subject: 'Internet down',
      description: 'Router blinks red',
      channel: 'phone',
    });
  clock.offsetMs = 0;
  expect(ticket.status).toBe(201);
  expect((await as(`/tickets/${ticket.body.id}`).get()).status).toBe(200);
  expect((await api.get(`/api/v1/tickets/${ticket.body.id}`)).status).toBe(401);

  const text = await scrapeUntil(
    runtime.metricsPort,
    'the breach, the acknowledgement email, the webhook and the mailbox error',
    (t) =>
      (valueOf(t, 'ownit_deadline_breaches_total', { kind: 'first_response', level: '1' }) ?? 0) >=
        1 &&
      (valueOf(t, 'ownit_emails_total', { outcome: 'sent' }) ?? 0) >= 1 &&
      (valueOf(t, 'ownit_webhook_deliveries_total', {
        event: 'ticket.created',
        outcome: 'delivered',
      }) ?? 0) >= 1 &&
      (valueOf(t, 'ownit_mailbox_poll_errors_total', { mailbox: mailbox.body.id }) ?? 0) >= 1,
  );
  expect(received).toBeGreaterThanOrEqual(1);

  // Requests by route pattern and status, never by raw path.
  const created = { method: 'POST', route: '/api/v1/tickets', status: '201' };
  expect(valueOf(text, 'ownit_http_request_duration_seconds_count', created)).toBe(1);
  const read = { method: 'GET', route: '/api/v1/tickets/:id', status: '200' };
  expect(valueOf(text, 'ownit_http_request_duration_seconds_count', read)).toBe(1);
  const refused = { method: 'GET', route: '/api/v1/tickets/:id', status: '401' };
  expect(valueOf(text, 'ownit_http_request_duration_seconds_count', refused)).toBe(1);
  expect(text).not.toContain(ticket.body.id);
  // The breach: its lateness, the escalation it made, by level and audience.
  expect(
    valueOf(text, 'ownit_deadline_lateness_seconds_count', {
      kind: 'first_response',
      step: 'breached',
    }),
  ).toBe(1);
  expect(
    valueOf(text, 'ownit_escalations_total', { level: '1', audience: 'owner_supervisor' }),
  ).toBe(1);
  // Read at the scrape: backlogs, queue depth, both Postgres pools.
  expect(
    valueOf(text, 'ownit_outbox_backlog', { outbox: 'email', status: 'pending' }),
  ).toBeGreaterThanOrEqual(0);
  expect(
    valueOf(text, 'ownit_outbox_oldest_pending_age_seconds', { outbox: 'webhook' }),
  ).toBeGreaterThanOrEqual(0);
  expect(valueOf(text, 'ownit_queue_jobs', { queue: 'deadlines', state: 'delayed' })).toBeDefined();
  expect(valueOf(text, 'ownit_db_pool_max_connections', { pool: 'api' })).toBe(10);
  expect(valueOf(text, 'ownit_db_pool_max_connections', { pool: 'worker' })).toBe(10);
  expect(
    valueOf(text, 'ownit_db_pool_connections', { pool: 'api', state: 'in_use' }),
  ).toBeGreaterThanOrEqual(0);
  expect(text).toContain('process_cpu_seconds_total{role="all"}');

  // As Prometheus reads it.
  expect(existsSync(PROMTOOL)).toBe(true);
  const check = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8' });
  expect({ status: check.status, output: `${check.stdout}${check.stderr}` }).toEqual({
    status: 0,
    output: '',
  });

  // Not on the public port.
  const publicMetrics = await api.get('/metrics');
  expect(publicMetrics.status).toBe(404);
  expect(publicMetrics.text).not.toContain('ownit_');
});

it('when API and worker run as separate processes, then each serves its own /metrics (the API its requests and pool, the worker its queue, outboxes and pool)', async () => {
  const env = {
    PORT: '0',
    DEV_SMTP_PORT: '0',
    METRICS_PORT: '0',
    WORKER_METRICS_PORT: '0',
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl(),
    QUEUE_PREFIX: `${testQueuePrefix()}-metrics`,
    ADMIN_TOKEN: ADMIN,
  };
  const apiOnly = await startRuntime(loadConfig(env), createLogger('silent'), {
    api: true,
    worker: false,
  });
  const workerOnly = await startRuntime(loadConfig(env), createLogger('silent'), {
    api: false,
    worker: true,
  });
  try {
    expect(apiOnly.metricsPort).not.toBe(workerOnly.metricsPort);
    await request(`http://127.0.0.1:${apiOnly.port}`).get('/healthz').expect(200);

    const apiText = await scrape(apiOnly.metricsPort);
    expect(
      valueOf(apiText, 'ownit_http_request_duration_seconds_count', {
        route: '/healthz',
        role: 'api',
      }),
    ).toBe(1);
    expect(valueOf(apiText, 'ownit_db_pool_max_connections', { pool: 'api' })).toBe(10);
    expect(apiText).not.toContain('ownit_queue_jobs');
    expect(apiText).not.toContain('pool="worker"');

    const workerText = await scrape(workerOnly.metricsPort);
    expect(workerText).toContain('role="worker"');
    expect(workerText).not.toContain('ownit_http_request_duration_seconds');
    expect(valueOf(workerText, 'ownit_db_pool_max_connections', { pool: 'worker' })).toBe(10);
    expect(
      valueOf(workerText, 'ownit_queue_jobs', { queue: 'deadlines', state: 'waiting' }),
    ).toBeGreaterThanOrEqual(0);
    for (const text of [apiText, workerText]) {
      const check = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8' });
      expect(`${check.stdout}${check.stderr}`).toBe('');
      expect(check.status).toBe(0);
    }
  } finally {
    await apiOnly.stop();
    await workerOnly.stop();
  }
});
