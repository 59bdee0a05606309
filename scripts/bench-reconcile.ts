/**
 * Benchmark: 100,000 open tickets, Redis flushed, then one full reconciler pass (what a worker
 * does on start). Reports the time to re-create every missing deadline job.
 * Run: npm run bench:reconcile [-- --tickets 100000]
 */
import { reconcileDeadlines } from '../src/deadlines/reconciler';
import { RECONCILE_HORIZON_MS } from '../src/worker/periodic-tasks';
import {
  createBenchEnvironment,
  deleteKeys,
  insertOpenTickets,
  progress,
  redisScriptTime,
  seedTeam,
  numberArgument,
} from './bench/bench-environment';
import { emitResult } from './bench/http-load';
import { load } from './bench/ownit-processes';

async function main(): Promise<void> {
  const tickets = numberArgument('tickets', 100_000);
  const loadStart = load();
  const env = await createBenchEnvironment('reconcile');
  try {
    const policy = {
      warnBeforeMinutes: 60,
      reescalateAfterMinutes: 120,
      autoHoldingUpdate: true,
      tiers: {},
    };
    const seeded = await seedTeam(env.dataSource, policy);
    // Deadlines spread over the next five days, so warn, breach and re-escalate are all ahead.
    await insertOpenTickets(
      env.dataSource,
      seeded,
      tickets,
      new Date(Date.now() + 3_600_000),
      5 * 86_400_000,
      {
        warnBeforeMs: 60 * 60_000,
      },
    );
    await env.dataSource.query('ANALYZE tickets');
    progress('first pass (schedules every job)');
    const first = await reconcileDeadlines(env.ctx);
    progress(
      `flushing this run's Redis keys (${await deleteKeys(env.redis, env.queuePrefix)} deleted)`,
    );

    progress('reconciling after the flush');
    const scriptsBefore = await redisScriptTime(env.redis);
    const report = await reconcileDeadlines(env.ctx, {
      onProgress: (r) =>
        process.stderr.write(
          `\r  ${r.ticketsScanned}/${tickets} tickets, ${r.jobsScheduled} jobs, ${r.millis} ms`,
        ),
    });
    process.stderr.write('\n');
    const scriptsAfter = await redisScriptTime(env.redis);
    const jobsInRedis = await env.deadlineJobs.queue.getDelayedCount();
    progress('second pass with every job present (idempotent re-add)');
    const again = await reconcileDeadlines(env.ctx);
    const after = await env.deadlineJobs.queue.getDelayedCount();
    progress('minute pass with every job present (steps due within the horizon)');
    const minute = await reconcileDeadlines(env.ctx, { horizonMs: RECONCILE_HORIZON_MS });

    const result = {
      openTickets: tickets,
      afterFlush: {
        millis: report.millis,
        jobsScheduled: report.jobsScheduled,
        jobsMissing: report.jobsMissing,
        jobsInRedis,
        // Time Redis spent in BullMQ's per-job scripts (server-wide): the floor of the pass; the
        // bare baseline is bench-bare-add-bulk.
        redisScripts: {
          calls: scriptsAfter.calls - scriptsBefore.calls,
          millis: Math.round(scriptsAfter.millis - scriptsBefore.millis),
        },
      },
      firstPassMillis: first.millis,
      repeatPass: { millis: again.millis, jobsMissing: again.jobsMissing, jobsInRedisAfter: after },
      minutePass: {
        millis: minute.millis,
        ticketsScanned: minute.ticketsScanned,
        jobsScheduled: minute.jobsScheduled,
        jobsMissing: minute.jobsMissing,
      },
      peakRss: `${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`,
      load: { start: loadStart, end: load() },
    };
    emitResult(result);
    console.log(JSON.stringify(result, null, 2));
    console.log(
      `reconciler after a Redis flush: ${tickets} open tickets, ${report.jobsScheduled} jobs re-created in ${(report.millis / 1000).toFixed(1)} s`,
    );
  } finally {
    await env.teardown();
  }
}

main().catch((error: unknown) => {
  console.error(`benchmark failed: ${(error as Error).message}`);
  process.exit(1);
});
