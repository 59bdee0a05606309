import pino from 'pino';
import { Writable } from 'node:stream';
import request from 'supertest';
import { loadConfig } from '../../src/config';
import { startRuntime } from '../../src/runtime';
import { dropDatabase } from '../helpers/cleanup';
import { redisUrl, testDatabaseUrl, testQueuePrefix } from '../helpers/test-environment';
import { cookieOf } from './session-helpers';

/** `npm start` on an empty database, as a new user meets it: the log says how to get in. */
let databaseUrl: string;

beforeAll(() => {
  const url = new URL(testDatabaseUrl());
  url.pathname = `${url.pathname}_first`;
  databaseUrl = url.toString();
});
afterAll(() => dropDatabase(databaseUrl));

function capturingLogger() {
  const messages: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      messages.push((JSON.parse(chunk.toString()) as { msg: string }).msg);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), messages };
}

// API and worker, as `npm start` runs them.
async function start(messages: ReturnType<typeof capturingLogger>) {
  const config = loadConfig({
    PORT: '0',
    DEV_SMTP_PORT: '0',
    METRICS_PORT: '0',
    WORKER_METRICS_PORT: '0',
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl(),
    QUEUE_PREFIX: `${testQueuePrefix()}-first`,
    PUBLIC_URL: 'http://console.example',
  });
  return startRuntime(config, messages.logger, { api: true, worker: true });
}

it("when OwnIt first starts on an empty database, then the log shows once, next to the admin token, a link to set the first admin's password", async () => {
  const first = capturingLogger();
  const runtime = await start(first);
  try {
    const tokenLine = first.messages.findIndex((m) => m.includes('Admin token (shown once)'));
    const linkLine = first.messages.findIndex((m) =>
      m.startsWith("Set the first admin's password: http://console.example/set-password?token="),
    );
    expect(tokenLine).toBeGreaterThanOrEqual(0);
    expect(linkLine).toBe(tokenLine + 1);
    const url = new URL(first.messages[linkLine]!.split(': ')[1]!);
    const token = url.searchParams.get('token')!;

    const http = request(`http://127.0.0.1:${runtime.port}`);
    const res = await http
      .post('/api/v1/password/set')
      .send({ token, password: 'the first admin password' });
    expect(res.status).toBe(200);
    expect(res.body.agent.role).toBe('admin');
    const me = await http.get('/api/v1/me').set('Cookie', cookieOf(res));
    expect(me.body.role).toBe('admin');
    const signIn = await http
      .post('/api/v1/session')
      .send({ email: res.body.agent.email, password: 'the first admin password' });
    expect(signIn.status).toBe(200);
  } finally {
    await runtime.stop();
  }

  const second = capturingLogger();
  const again = await start(second);
  await again.stop();
  expect(second.messages.some((m) => m.includes('set-password'))).toBe(false);
  expect(second.messages.some((m) => m.includes('Admin token'))).toBe(false);
});
