/**
 * Soak: API and worker processes under steady mixed load for `--minutes` (default 10):
 * integration creates at `--intake-rate`/s, reps reading their queues one request after another,
 * and deadlines falling due all the way through (each breach queues emails, sent to a local
 * sink). Samples each process's resident memory every 10 s and reports whether it grows.
 * Run: npm run bench:soak [-- --minutes 10 --intake-rate 30 --breaches-per-second 20]
 */
import {
  createBenchEnvironment,
  insertOpenTickets,
  mib,
  numberArgument,
  progress,
  seedTeam,
} from './bench/bench-environment';
import { startHerdLoad } from './bench/herd-load';
import { emitResult } from './bench/http-load';
import { load, rssOf } from './bench/ownit-processes';

interface Sample {
  minute: number;
  apiRss: number;
  workerRss: number;
}

/** Least-squares slope of y over x. */
function slope(points: Array<[number, number]>): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  const sxy = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
  const sxx = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return sxx === 0 ? 0 : sxy / sxx;
}

async function main(): Promise<void> {
  const minutes = numberArgument('minutes', 10);
  const intakeRate = numberArgument('intake-rate', 30);
  const breachesPerSecond = numberArgument('breaches-per-second', 20);
  const loadStart = load();
  const env = await createBenchEnvironment('soak', 4);
  try {
    const seeded = await seedTeam(
      env.dataSource,
      { warnBeforeMinutes: 0, reescalateAfterMinutes: 600, autoHoldingUpdate: true, tiers: {} },
      50,
    );
    const seconds = minutes * 60;
    const lead = 20;
    await insertOpenTickets(
      env.dataSource,
      seeded,
      breachesPerSecond * seconds,
      new Date(Date.now() + lead * 1000),
      seconds * 1000,
      { warnBeforeMs: null },
    );
    const herd = await startHerdLoad(env, seeded, intakeRate);
    const api = herd.api;
    const samples: Sample[] = [];
    const started = Date.now();
    while (Date.now() - started < (seconds + lead) * 1000) {
      await new Promise((resolve) => setTimeout(resolve, 10_000));
      const sample = {
        minute: (Date.now() - started) / 60_000,
        apiRss: rssOf(api.child.pid),
        workerRss: rssOf(herd.worker.child.pid),
      };
      samples.push(sample);
      progress(
        `soak ${sample.minute.toFixed(1)} / ${minutes} min: API ${mib(sample.apiRss)}, worker ${mib(sample.workerRss)}`,
      );
    }
    const [{ breached }] = await env.dataSource.query(
      `SELECT count(*)::int AS breached FROM deadline_actions WHERE step = 'breached'`,
    );
    const figures = await herd.stop();
    // The first minute is warm-up (code loaded, pools filled, caches built): growth after it.
    const steady = samples.filter((s) => s.minute >= 1);
    const growth = (pick: (s: Sample) => number) => ({
      afterFirstMinute: mib(pick(steady[0] ?? samples[0]!)),
      atEnd: mib(pick(samples[samples.length - 1]!)),
      max: mib(Math.max(...samples.map(pick))),
      slopeMiBPerMinute:
        Math.round(slope(steady.map((s) => [s.minute, pick(s) / 1024 / 1024])) * 100) / 100,
    });
    const result = {
      minutes,
      intakeRatePerSecond: intakeRate,
      breachesPerSecond,
      breachesRecorded: breached,
      creates: figures.creates,
      queueReads: figures.queue,
      emailsAtSink: figures.emailsAtSink,
      apiRss: growth((s) => s.apiRss),
      workerRss: growth((s) => s.workerRss),
      load: { start: loadStart, end: load() },
    };
    console.log(JSON.stringify(result, null, 2));
    emitResult(result);
    console.log(
      `soak ${minutes} min: API RSS ${result.apiRss.afterFirstMinute} -> ${result.apiRss.atEnd} (${result.apiRss.slopeMiBPerMinute} MiB/min), ` +
        `worker ${result.workerRss.afterFirstMinute} -> ${result.workerRss.atEnd} (${result.workerRss.slopeMiBPerMinute} MiB/min); ` +
        `${breached} breaches, ${figures.creates.requests} creates, ${figures.queue.requests} queue reads, ${figures.emailsAtSink} emails`,
    );
  } finally {
    await env.teardown();
  }
}

main().catch((error: unknown) => {
  console.error(`benchmark failed: ${(error as Error).message}`);
  process.exit(1);
});
