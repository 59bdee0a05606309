import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config';
import { createServiceContext, type ServiceContext } from '../../src/context';
import { openDatabase } from '../../src/db/data-source';
import { ensureDatabaseExists } from '../../src/db/ensure-database';
import { createLogger } from '../../src/logger';
import { BullDeadlineQueue } from '../../src/worker/deadline-queue';
import { createProducerConnection, waitUntilReady } from '../../src/worker/redis-connection';

/**
 * A throw-away database and queue prefix for one benchmark run, on the servers named by
 * DATABASE_URL and REDIS_URL (defaults: localhost). Everything is removed at the end.
 */
export interface BenchEnvironment {
  ctx: ServiceContext;
  dataSource: DataSource;
  /** The throw-away database, for OwnIt processes and pgbench started by the benchmark. */
  databaseUrl: string;
  redis: Redis;
  redisUrl: string;
  queuePrefix: string;
  deadlineJobs: BullDeadlineQueue;
  teardown(): Promise<void>;
}

export async function createBenchEnvironment(
  name: string,
  poolSize = 20,
): Promise<BenchEnvironment> {
  const config = loadConfig();
  const suffix = `${name}_${randomBytes(3).toString('hex')}`;
  const url = new URL(config.databaseUrl);
  url.pathname = `/ownit_bench_${suffix}`;
  const databaseUrl = url.toString();
  progress(`creating database ${url.pathname.slice(1)} and migrating`);
  try {
    await ensureDatabaseExists(databaseUrl);
  } catch (error) {
    throw new Error(
      `${(error as Error).message}\nIs PostgreSQL running? Set DATABASE_URL to reach it.`,
      {
        cause: error,
      },
    );
  }
  const dataSource = await openDatabase(databaseUrl, poolSize);
  const redis = createProducerConnection(config.redisUrl);
  try {
    await waitUntilReady(redis);
  } catch (error) {
    throw new Error(`Redis at ${config.redisUrl} did not answer; start it or set REDIS_URL.`, {
      cause: error,
    });
  }
  const queuePrefix = `ownit-bench-${suffix}`;
  const deadlineJobs = new BullDeadlineQueue(redis, queuePrefix);
  const ctx = createServiceContext(config, {
    dataSource,
    deadlineJobs,
    logger: createLogger('warn'),
    linkSecret: randomBytes(32).toString('base64url'),
  });
  return {
    ctx,
    dataSource,
    databaseUrl,
    redis,
    redisUrl: config.redisUrl,
    queuePrefix,
    deadlineJobs,
    async teardown() {
      progress('cleaning up');
      await deadlineJobs.close();
      await deleteKeys(redis, queuePrefix);
      redis.disconnect();
      await dataSource.destroy();
      const admin = new URL(databaseUrl);
      admin.pathname = '/postgres';
      const client = new Client({ connectionString: admin.toString() });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "ownit_bench_${suffix}" WITH (FORCE)`);
      await client.end();
    },
  };
}

export async function deleteKeys(redis: Redis, prefix: string): Promise<number> {
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (keys.length) deleted += await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  return deleted;
}

/**
 * Time Redis has spent running scripts (EVALSHA: BullMQ runs one per added job), from INFO
 * commandstats. Server-wide: on a shared Redis, other clients' scripts count too.
 */
export async function redisScriptTime(redis: Redis): Promise<{ calls: number; millis: number }> {
  const stats = await redis.info('commandstats');
  const match = /cmdstat_evalsha:calls=(\d+),usec=(\d+)/.exec(stats);
  return { calls: Number(match?.[1] ?? 0), millis: Number(match?.[2] ?? 0) / 1000 };
}

export function progress(message: string): void {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

let lastBar = '';

/** A one-line progress bar, redrawn in place when it changes. */
export function bar(label: string, done: number, total: number): void {
  const key = `${label}:${done}`;
  if (key === lastBar) return;
  lastBar = key;
  const width = 30;
  const filled = Math.round((done / total) * width);
  process.stderr.write(
    `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}${done >= total ? '\n' : ''}`,
  );
}

export interface SeededTeam {
  teamId: string;
  repIds: string[];
  customerId: string;
}

/** A 24/7 team (so any instant is business time), a supervisor, reps and one VIP customer. */
export async function seedTeam(
  dataSource: DataSource,
  policy: Record<string, unknown>,
  reps = 20,
): Promise<SeededTeam> {
  const hours = Object.fromEntries(
    ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [
      d,
      { open: '00:00', close: '24:00' },
    ]),
  );
  const [team] = await dataSource.query(
    `INSERT INTO teams (name, timezone, business_hours, policy) VALUES ($1, 'Europe/Berlin', $2, $3) RETURNING id`,
    [`Bench ${randomBytes(3).toString('hex')}`, JSON.stringify(hours), JSON.stringify(policy)],
  );
  const teamId = team.id as string;
  await dataSource.query(
    `INSERT INTO agents (name, email, role, team_id, capacity, token_hash)
     VALUES ('Bench Supervisor', $2, 'supervisor', $1, 0, $3)`,
    [teamId, `sup-${teamId}@bench.invalid`, randomBytes(32).toString('hex')],
  );
  const repRows: Array<{ id: string }> = await dataSource.query(
    `INSERT INTO agents (name, email, role, team_id, capacity, token_hash)
     SELECT 'Bench Rep ' || i, 'rep' || i || '-' || $1::text || '@bench.invalid', 'rep', $1::uuid, 1000000, md5(random()::text) || i
       FROM generate_series(1, $2) AS i
     RETURNING id`,
    [teamId, reps],
  );
  const [customer] = await dataSource.query(
    `INSERT INTO customers (name, email, tier) VALUES ('Bench Customer', 'customer@bench.invalid', 'vip') RETURNING id`,
  );
  return { teamId, repIds: repRows.map((r) => r.id), customerId: customer.id as string };
}

/**
 * Inserts open, unanswered tickets straight into the tables (the API would take minutes for
 * 100,000), with first-response deadlines spread evenly over [firstDue, firstDue + spreadMs).
 */
export async function insertOpenTickets(
  dataSource: DataSource,
  seeded: SeededTeam,
  count: number,
  firstDue: Date,
  spreadMs: number,
  moments: { warnBeforeMs: number | null },
): Promise<void> {
  const batch = 10_000;
  for (let offset = 0; offset < count; offset += batch) {
    const n = Math.min(batch, count - offset);
    await dataSource.query(
      `WITH due AS (
         SELECT i, $2::timestamptz + ((i::float8 / $4) * $5) * interval '1 millisecond' AS at
           FROM generate_series($3::int, $3::int + $6::int - 1) AS i
       )
       INSERT INTO tickets (customer_id, team_id, owner_id, created_by_id, subject, description, channel,
                            received_at, response_clock_started_at, first_response_due_at,
                            deadline_version, deadline_warn_at)
       SELECT $1::uuid, $7::uuid, ($8::uuid[])[1 + (i % array_length($8::uuid[], 1))], ($8::uuid[])[1], 'Bench ' || i, 'Benchmark ticket', 'api',
              now(), now(), due.at, 1,
              CASE WHEN $9::float8 IS NULL THEN NULL ELSE due.at - $9::float8 * interval '1 millisecond' END
         FROM due`,
      [
        seeded.customerId,
        firstDue,
        offset,
        count,
        spreadMs,
        n,
        seeded.teamId,
        seeded.repIds,
        moments.warnBeforeMs,
      ],
    );
    bar('seeding tickets', offset + n, count);
  }
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

export const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

/** A positive number from `--name N` on the command line, or the fallback. */
export function numberArgument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`--${name} must be a positive number (got ${process.argv[index + 1]})`);
  }
  return value;
}
