/**
 * Baseline for bench:reconcile: bare BullMQ `addBulk` of the same number of delayed jobs, with the
 * reconciler's ids, payloads, options, chunk size and chunks in flight, on a fresh queue prefix;
 * no Postgres and no existence check. This is the floor the reconciler's pass after a Redis flush
 * can reach while it adds jobs through BullMQ (one addDelayedJob script per job in Redis).
 * Run: node dist/scripts/bench-bare-add-bulk.js [--tickets 100000]
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { loadConfig } from '../src/config';
import { planDeadlineJobs, type DeadlineJob } from '../src/deadline-rules/deadline-jobs';
import {
  DEADLINE_QUEUE,
  JOB_OPTIONS,
  RECONCILE_CHUNKS_IN_FLIGHT,
  SCHEDULE_CHUNK,
} from '../src/worker/deadline-queue';
import { createProducerConnection, waitUntilReady } from '../src/worker/redis-connection';
import { deleteKeys, numberArgument, progress, redisScriptTime } from './bench/bench-environment';
import { emitResult } from './bench/http-load';
import { load } from './bench/ownit-processes';

async function main(): Promise<void> {
  const tickets = numberArgument('tickets', 100_000);
  const loadStart = load();
  const config = loadConfig();
  const redis = createProducerConnection(config.redisUrl);
  await waitUntilReady(redis);
  const prefix = `bare-add-bulk-${randomBytes(3).toString('hex')}`;
  const queue = new Queue(DEADLINE_QUEUE, { connection: redis, prefix });
  try {
    // As bench:reconcile seeds them: deadlines over five days from an hour ahead, a warning an
    // hour before each.
    const now = new Date();
    const jobs: DeadlineJob[] = [];
    for (let i = 0; i < tickets; i++) {
      const dueAt = new Date(now.getTime() + 3_600_000 + (i / tickets) * 5 * 86_400_000);
      const deadline = {
        ticketId: randomUUID(),
        kind: 'first_response' as const,
        version: 1,
        dueAt,
        warnAt: new Date(dueAt.getTime() - 3_600_000),
        done: new Set<never>(),
      };
      for (const job of planDeadlineJobs(deadline, now)) jobs.push(job);
    }
    progress(`adding ${jobs.length} delayed jobs with bare addBulk`);
    const scriptsBefore = await redisScriptTime(redis);
    const started = Date.now();
    let next = 0;
    const lane = async () => {
      while (next < jobs.length) {
        const chunk = jobs.slice(next, (next += SCHEDULE_CHUNK));
        const chunkNow = Date.now();
        await queue.addBulk(
          chunk.map((job) => ({
            name: job.step,
            data: { ticketId: job.ticketId, kind: job.kind, version: job.version, step: job.step },
            opts: {
              ...JOB_OPTIONS,
              jobId: job.id,
              delay: Math.max(0, job.runAt.getTime() - chunkNow),
            },
          })),
        );
      }
    };
    await Promise.all(Array.from({ length: RECONCILE_CHUNKS_IN_FLIGHT }, lane));
    const millis = Date.now() - started;
    const scriptsAfter = await redisScriptTime(redis);
    const result = {
      openTickets: tickets,
      jobs: jobs.length,
      millis,
      jobsInRedis: (await queue.getDelayedCount()) + (await queue.getWaitingCount()),
      // Redis is single-threaded: the pass cannot be shorter than the time it spends in scripts.
      redisScripts: {
        calls: scriptsAfter.calls - scriptsBefore.calls,
        millis: Math.round(scriptsAfter.millis - scriptsBefore.millis),
      },
      load: { start: loadStart, end: load() },
    };
    emitResult(result);
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await queue.close();
    await deleteKeys(redis, prefix);
    redis.disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(`benchmark failed: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
