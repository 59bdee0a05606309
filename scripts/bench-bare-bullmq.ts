/**
 * Baseline for bench:deadlines: bare BullMQ on the same Redis, the same number of delayed jobs
 * due over the same spread (or at one instant), the same worker concurrency, and a processor that
 * does one Postgres round trip (SELECT 1) where OwnIt runs its breach transaction. Reports the
 * lateness (due -> processed).
 * Run: node dist/scripts/bench-bare-bullmq.js [--jobs 10000 --concurrency 16 --spread 60 --lead 20]
 */
import { randomBytes } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { loadConfig } from '../src/config';
import {
  bar,
  deleteKeys,
  mib,
  numberArgument,
  percentile,
  progress,
} from './bench/bench-environment';
import { emitResult } from './bench/http-load';
import { load } from './bench/ownit-processes';

async function main(): Promise<void> {
  const jobs = numberArgument('jobs', 10_000);
  const concurrency = numberArgument('concurrency', 16);
  const leadSeconds = numberArgument('lead', 20);
  const spreadIndex = process.argv.indexOf('--spread');
  const spreadSeconds = spreadIndex >= 0 ? Number(process.argv[spreadIndex + 1]) : 60;
  const loadStart = load();
  const config = loadConfig();
  const prefix = `bare-bullmq-${randomBytes(3).toString('hex')}`;
  const connection = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  const workerConnection = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  const serverUrl = new URL(config.databaseUrl);
  serverUrl.pathname = '/postgres';
  const pool = new Pool({ connectionString: serverUrl.toString(), max: concurrency });
  let failure: Error | undefined;
  const queue = new Queue('deadlines', { connection, prefix });
  const late: number[] = [];
  try {
    const firstDue = Date.now() + leadSeconds * 1000;
    progress(
      `queueing ${jobs} delayed jobs due from ${new Date(firstDue).toISOString()} over ${spreadSeconds} s`,
    );
    for (let offset = 0; offset < jobs; offset += 1000) {
      const now = Date.now();
      await queue.addBulk(
        Array.from({ length: Math.min(1000, jobs - offset) }, (_, k) => {
          const i = offset + k;
          const due = firstDue + Math.floor((i / jobs) * spreadSeconds * 1000);
          return {
            name: 'breach',
            data: { due },
            opts: { delay: due - now, jobId: `j${i}`, removeOnComplete: true },
          };
        }),
      );
    }
    let peakRss = process.memoryUsage().rss;
    const worker = new Worker(
      'deadlines',
      async (job) => {
        await pool.query('SELECT 1');
        late.push(Date.now() - (job.data as { due: number }).due);
      },
      { connection: workerConnection, prefix, concurrency },
    );
    worker.on('failed', (_job, error) => {
      failure ??= error;
    });
    const until = firstDue + spreadSeconds * 1000 + 180_000;
    while (late.length < jobs) {
      bar('jobs processed', late.length, jobs);
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      if (failure) throw failure;
      if (Date.now() > until) throw new Error(`only ${late.length} of ${jobs} processed in time`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    bar('jobs processed', late.length, jobs);
    await worker.close();
    late.sort((a, b) => a - b);
    const result = {
      jobs,
      concurrency,
      spreadSeconds,
      latenessMs: {
        median: Math.round(percentile(late, 50)),
        p99: Math.round(percentile(late, 99)),
        max: Math.round(late[late.length - 1]!),
      },
      peakRss: mib(peakRss),
      load: { start: loadStart, end: load() },
    };
    console.log(JSON.stringify(result, null, 2));
    emitResult(result);
  } finally {
    await queue.close();
    await deleteKeys(connection, prefix);
    connection.disconnect();
    workerConnection.disconnect();
    await pool.end();
  }
}

main().catch((error: unknown) => {
  console.error(`benchmark failed: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
