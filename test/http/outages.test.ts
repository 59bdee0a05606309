import { Client } from 'pg';
import { ALWAYS_OPEN, Fixtures } from '../helpers/factories';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy';
import { startTestApp, type TestApp } from '../helpers/test-app';

/**
 * Outages are answered for what they are: 503 problem+json with Retry-After (the request was
 * fine, the database was not), and /readyz reports a database that fails requests.
 */
let proxy: TcpProxy;
let app: TestApp;
let f: Fixtures;

beforeAll(async () => {
  proxy = await startTcpProxy('127.0.0.1', 5432);
  app = await startTestApp({
    isolated: true,
    pool: { size: 3, connectionWaitMs: 1_000 },
    connectThrough: (url) => proxy.rewrite(url),
  });
  f = new Fixtures(app);
});
afterAll(async () => {
  await proxy.restore();
  await app.close();
  await proxy.close();
});

function expectUnavailable(res: {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}) {
  expect(res.status).toBe(503);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  expect(res.body).toMatchObject({ type: '/problems/service-unavailable', status: 503 });
  expect(JSON.stringify(res.body)).not.toMatch(/at .*\.js|ECONNREFUSED|stack/);
}

const teamBody = (name: string) => ({
  name: `${name} ${Math.random().toString(36).slice(2, 8)}`,
  timezone: 'Europe/Berlin',
  businessHours: ALWAYS_OPEN,
});

async function asDatabaseOwner<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: app.databaseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

describe('when Postgres is out of reach', () => {
  it('when the database cannot be reached, then requests answer 503 problem+json with Retry-After, and it recovers', async () => {
    const team = await f.team();
    await proxy.cut();
    try {
      expectUnavailable(await f.admin().get(`/teams/${team.id}`));
      expectUnavailable(await f.admin().post('/teams', teamBody('During the outage')));
      const ready = await f.http().get('/readyz');
      expect(ready.status).toBe(503);
      expect(ready.body.checks.postgres).not.toBe('ok');
    } finally {
      await proxy.restore();
    }
    expect((await f.admin().get(`/teams/${team.id}`)).status).toBe(200);
  });

  it('when every connection is busy, then a request waits at most the pool wait and gets 503', async () => {
    const holders = await Promise.all(
      [0, 1, 2].map(async () => {
        const runner = app.dataSource.createQueryRunner();
        await runner.connect();
        return runner;
      }),
    );
    try {
      const started = Date.now();
      const res = await f.admin().get('/teams');
      expectUnavailable(res);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await Promise.all(holders.map((runner) => runner.release()));
    }
    expect((await f.admin().get('/teams')).status).toBe(200);
  });
});

describe('when Postgres accepts connections but fails requests', () => {
  it('when the database turned read-only (a failover to a standby), then writes answer 503 and /readyz says postgres is failing', async () => {
    const name = new URL(app.databaseUrl).pathname.slice(1);
    const recycle = (client: Client) =>
      client.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE datname = $1 AND pid <> pg_backend_pid()`,
        [name],
      );
    await asDatabaseOwner(async (client) => {
      await client.query(`ALTER DATABASE "${name}" SET default_transaction_read_only = on`);
      await recycle(client);
    });
    try {
      for (let i = 0; i < 3; i++) {
        expectUnavailable(await f.admin().post('/teams', teamBody(`Standby ${i}`)));
      }
      const ready = await f.http().get('/readyz');
      expect(ready.status).toBe(503);
      expect(ready.body.checks).toEqual({ postgres: 'failing', redis: 'ok' });
    } finally {
      await asDatabaseOwner(async (client) => {
        await client.query('SET default_transaction_read_only = off');
        await client.query(`ALTER DATABASE "${name}" RESET default_transaction_read_only`);
        await recycle(client);
      });
    }
  });
});
