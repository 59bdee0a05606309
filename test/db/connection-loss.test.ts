import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../src/db/data-source';
import { inTransaction } from '../../src/db/transaction';
import { testDatabaseUrl } from '../helpers/test-environment';

/**
 * Postgres terminating connections (57P01: a restart, a failover, an operator's
 * pg_terminate_backend) must cost the queries in flight, never the process.
 */
const applicationName = `ownit-connection-loss-${randomBytes(3).toString('hex')}`;
let dataSource: DataSource;
let killer: Client;
const reported: Error[] = [];

beforeAll(async () => {
  dataSource = createDataSource(testDatabaseUrl(), {
    size: 4,
    applicationName,
    onConnectionError: (error) => reported.push(error),
  });
  await dataSource.initialize();
  killer = new Client({ connectionString: testDatabaseUrl() });
  await killer.connect();
});
afterAll(async () => {
  await killer.end();
  await dataSource.destroy();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function terminateOurConnections(): Promise<number> {
  const result = await killer.query(
    `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
      WHERE application_name = $1`,
    [applicationName],
  );
  return result.rows[0].n;
}

describe('connections terminated by the server', () => {
  it('when connections are terminated between the statements of transactions, then the process survives and the pool recovers', async () => {
    let stop = false;
    let terminated = 0;
    const terminating = (async () => {
      while (!stop) {
        terminated += await terminateOurConnections();
        await sleep(Math.random() * 20);
      }
    })();
    let failed = 0;
    const work = async () => {
      for (let i = 0; i < 80; i++) {
        try {
          await inTransaction(dataSource, async (manager) => {
            await manager.query('SELECT 1');
            await sleep(Math.random() * 8); // idle inside the transaction: the dangerous moment
            await manager.query('SELECT 2');
          });
        } catch {
          failed += 1; // the statement in flight may fail; the caller retries or answers 503
        }
      }
    };
    await Promise.all([work(), work(), work(), work()]);
    stop = true;
    await terminating;

    expect(terminated).toBeGreaterThan(0);
    expect(failed).toBeGreaterThan(0);
    expect(reported.some((e) => /terminat/i.test(e.message))).toBe(true);
    const [row] = await dataSource.query('SELECT 42 AS answer');
    expect(row.answer).toBe(42);
  });
});
