/**
 * Benchmark: 10,000 tickets whose first-response deadlines all fall within the same minute.
 * Reports breach-detection lateness (due time -> breach recorded: median, p99, max), throughput
 * and the worker's memory. `--spread 0` puts every deadline at one instant.
 * `--intake-rate R` runs the worker as its own process while an API process takes R creates per
 * second and reps read their queues (queue read latencies during the herd are reported).
 * Run: npm run bench:deadlines [-- --tickets 10000 --concurrency 4 --spread 60 --intake-rate 70 --show-statements]
 */
import { createLogger } from '../src/logger';
import { startWorkers } from '../src/worker/start-workers';
import {
  bar,
  createBenchEnvironment,
  insertOpenTickets,
  mib,
  percentile,
  progress,
  seedTeam,
  numberArgument,
} from './bench/bench-environment';
import { emitResult } from './bench/http-load';
import { captureStatements } from './bench/capture-statements';
import { enforceDeadlineStep, enforceDeadlineSteps } from '../src/deadlines/enforce-deadline';
import { load } from './bench/ownit-processes';
import { startHerdLoad } from './bench/herd-load';

async function main(): Promise<void> {
  const tickets = numberArgument('tickets', 10_000);
  const concurrency = numberArgument('concurrency', 4);
  const leadSeconds = numberArgument('lead', 45);
  // Creates per second while the herd falls due (0: the worker alone, no other load).
  const intakeRate = process.argv.includes('--intake-rate') ? numberArgument('intake-rate', 1) : 0;
  const spreadIndex = process.argv.indexOf('--spread');
  const spreadSeconds = spreadIndex >= 0 ? Number(process.argv[spreadIndex + 1]) : 60;
  if (!Number.isFinite(spreadSeconds) || spreadSeconds < 0)
    throw new Error('--spread must be >= 0');
  const loadStart = load();
  const env = await createBenchEnvironment('lateness', concurrency + 4);
  try {
    const policy = {
      warnBeforeMinutes: 0,
      reescalateAfterMinutes: 600,
      autoHoldingUpdate: true,
      tiers: {},
    };
    const seeded = await seedTeam(env.dataSource, policy);
    const firstDue = new Date(Date.now() + leadSeconds * 1000);
    await insertOpenTickets(env.dataSource, seeded, tickets, firstDue, spreadSeconds * 1000, {
      warnBeforeMs: null,
    });

    // One breach in this process, every statement recorded: the round trips per breach.
    // Then a batch of 50 the same way (the worker batches jobs that fall due together).
    const probes: Array<{ id: string }> = await env.dataSource.query(
      `SELECT id FROM tickets ORDER BY first_response_due_at LIMIT 51`,
    );
    const probe = probes[0];
    const probeIds = probes.map((row) => row.id);
    await env.dataSource.query(
      `UPDATE tickets SET first_response_due_at = now() - interval '1 second' WHERE id = ANY($1::uuid[])`,
      [probeIds],
    );
    const { result: probeOutcome, statements } = await captureStatements(() =>
      enforceDeadlineStep(env.ctx, {
        ticketId: probe!.id,
        kind: 'first_response',
        version: 1,
        step: 'breached',
      }),
    );
    if (probeOutcome.result !== 'done')
      throw new Error(`the probe breach was ${probeOutcome.result}, not done`);
    progress(`one breach takes ${statements.length} statements (round trips)`);
    const batch = await captureStatements(() =>
      enforceDeadlineSteps(
        env.ctx,
        probeIds.slice(1).map((ticketId) => ({
          ticketId,
          kind: 'first_response' as const,
          version: 1,
          step: 'breached' as const,
        })),
      ),
    );
    if (batch.result.some((outcome) => outcome.result !== 'done'))
      throw new Error('a probe batch breach was not done');
    progress(
      `a batch of ${probeIds.length - 1} breaches takes ${batch.statements.length} statements`,
    );
    if (process.argv.includes('--show-statements')) {
      for (const statement of statements) console.log(statement.text.replace(/\s+/g, ' '));
      console.log('the batch, with the time each statement took:');
      for (const statement of batch.statements) {
        const text = statement.text.replace(/\s+/g, ' ').slice(0, 100);
        console.log(`${statement.ms.toFixed(2).padStart(8)} ms  ${text}`);
      }
    }

    // The herd: every ticket but the probes.
    const herd = tickets - probeIds.length;
    const rssBefore = process.memoryUsage().rss;
    // Alone: the worker runs in this process. Under load: a worker process and an API process
    // taking creates and queue reads, as in production.
    const workers =
      intakeRate > 0
        ? undefined
        : await startWorkers(env.ctx, env.redisUrl, env.queuePrefix, createLogger('warn'), {
            deadlineConcurrency: concurrency,
          });
    const herdLoad = intakeRate > 0 ? await startHerdLoad(env, seeded, intakeRate) : undefined;
    progress(
      `worker started (concurrency ${concurrency}); deadlines fall due from ${firstDue.toISOString()} over ${spreadSeconds} s`,
    );
    let peakRss = herdLoad ? 0 : process.memoryUsage().rss;
    const cpuAtStart = process.cpuUsage();
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, herdLoad ? herdLoad.worker.peakRss() : process.memoryUsage().rss);
    }, 200);

    // Generous: a loaded machine may enforce far slower than deadlines arrive.
    const deadlineEnd =
      Date.now() + leadSeconds * 1000 + spreadSeconds * 1000 + 180_000 + tickets * 100;
    for (;;) {
      const [{ n }] = await env.dataSource.query(
        `SELECT count(*)::int AS n FROM deadline_actions
          WHERE step = 'breached' AND ticket_id <> ALL($1::uuid[])`,
        [probeIds],
      );
      bar('breaches recorded', n, herd);
      if (n >= herd) break;
      if (Date.now() > deadlineEnd)
        throw new Error(`only ${n} of ${tickets} breaches recorded in time`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    clearInterval(sampler);
    // This process's CPU per breach (alone, the worker runs here): a figure the machine's other
    // load hardly moves, unlike lateness.
    const used = process.cpuUsage(cpuAtStart);
    const cpu = herdLoad ? undefined : Number(((used.user + used.system) / 1000 / herd).toFixed(2));

    const rows: Array<{ late_ms: number }> = await env.dataSource.query(
      // The probe was breached by hand before the worker started: not part of the herd.
      `SELECT extract(epoch FROM (acted_at - due_at)) * 1000 AS late_ms FROM deadline_actions
        WHERE step = 'breached' AND ticket_id <> ALL($1::uuid[])`,
      [probeIds],
    );
    const late = rows.map((r) => Number(r.late_ms)).sort((a, b) => a - b);
    const [{ duplicates }] = await env.dataSource.query(
      `SELECT count(*)::int - count(DISTINCT ticket_id)::int AS duplicates FROM outbox_emails WHERE template = 'holding_update'`,
    );
    await workers?.close();
    const underLoad = herdLoad ? await herdLoad.stop() : undefined;

    const result = {
      tickets,
      concurrency,
      spreadSeconds,
      latenessMs: {
        median: Math.round(percentile(late, 50)),
        p99: Math.round(percentile(late, 99)),
        max: Math.round(late[late.length - 1]!),
        min: Math.round(late[0]!),
      },
      statementsPerBreach: statements.length,
      statementsPerBatchOf50: batch.statements.length,
      ...(cpu ? { workerCpuMsPerBreach: cpu } : {}),
      ...(underLoad
        ? {
            underLoad: {
              intakeRatePerSecond: intakeRate,
              creates: underLoad.creates,
              queueReads: underLoad.queue,
              emailsAtSink: underLoad.emailsAtSink,
              apiPeakRss: mib(underLoad.apiPeakRss),
            },
          }
        : {}),
      duplicateHoldingUpdates: duplicates,
      workerRss: { beforeStart: mib(rssBefore), peak: mib(peakRss) },
      load: { start: loadStart, end: load() },
    };
    console.log(JSON.stringify(result, null, 2));
    emitResult(result);
    console.log(
      `breach lateness for ${tickets} same-minute deadlines: median ${result.latenessMs.median} ms, ` +
        `p99 ${result.latenessMs.p99} ms, max ${result.latenessMs.max} ms; peak RSS ${result.workerRss.peak}` +
        (underLoad
          ? `; during the herd GET /me/queue p95 ${underLoad.queue.p95Ms} ms, creates at ${intakeRate}/s p99 ${underLoad.creates.p99Ms} ms`
          : ''),
    );
  } finally {
    await env.teardown();
  }
}

main().catch((error: unknown) => {
  console.error(`benchmark failed: ${(error as Error).message}`);
  process.exit(1);
});
