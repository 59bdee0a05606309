import type { DataSource } from 'typeorm';
import type { Clock } from '../../src/clock';
import { createDataSource } from '../../src/db/data-source';
import { startDatabaseClock } from '../../src/db/database-clock';
import { createLogger } from '../../src/logger';
import { testDatabaseUrl } from '../helpers/test-environment';

/** A host whose clock runs ahead must not decide deadlines by it: "now" is Postgres time. */
let dataSource: DataSource;

beforeAll(async () => {
  dataSource = createDataSource(testDatabaseUrl(), 2);
  await dataSource.initialize();
});
afterAll(() => dataSource.destroy());

const offsetHost = (offsetMs: number): Clock => ({
  now: () => new Date(Date.now() + offsetMs),
});

async function databaseNow(): Promise<number> {
  const [row] = await dataSource.query('SELECT clock_timestamp() AS at');
  return new Date(row.at).getTime();
}

describe('time from Postgres', () => {
  it('when the host clock is two minutes fast, then the process clock follows Postgres within a second and says so loudly', async () => {
    const logged: string[] = [];
    const logger = createLogger('error');
    const error = logger.error.bind(logger);
    logger.error = ((...args: unknown[]) => {
      logged.push(String(args[1] ?? args[0]));
      return error(...(args as Parameters<typeof error>));
    }) as typeof logger.error;
    const clock = await startDatabaseClock(dataSource, logger, {
      host: offsetHost(120_000),
      maxSkewMs: 2_000,
    });
    try {
      expect(Math.abs(clock.now().getTime() - (await databaseNow()))).toBeLessThan(1_000);
      expect(clock.offsetMs()).toBeLessThan(-119_000);
      expect(logged.some((line) => /ahead of Postgres/.test(line))).toBe(true);
    } finally {
      clock.stop();
    }
  });

  it('when the host clock agrees with Postgres, then nothing is logged', async () => {
    const logged: unknown[] = [];
    const logger = createLogger('silent');
    logger.error = ((...args: unknown[]) => void logged.push(args)) as typeof logger.error;
    const clock = await startDatabaseClock(dataSource, logger, { maxSkewMs: 2_000 });
    clock.stop();
    expect(Math.abs(clock.offsetMs())).toBeLessThan(2_000);
    expect(logged).toEqual([]);
  });
});
