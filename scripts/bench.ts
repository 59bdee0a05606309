/**
 * Every benchmark in one run, each figure next to its baseline: intake (vs pgbench running the same
 * transaction), queue read (alone and under intake), breach lateness (vs bare BullMQ, spread over a
 * minute and at one instant), reconcile, email drain (vs bare nodemailer), scale-out (1+1 vs 2+2
 * processes) and the peak RSS of each process. Each benchmark runs as its own process (its peak
 * RSS is its own); the load average is printed at the start and end of each, since this machine
 * may be busy with other work. Writes docs/benchmarks.md and the README's benchmark table.
 *
 * Run: npm run bench            (full sizes, about 25-40 minutes on 2 cores)
 *      npm run bench -- --quick (small sizes, a few minutes: to try it)
 *      add --only intake,queue  to run some of them (the documents are then not rewritten)
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, loadavg } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { progress } from './bench/bench-environment';

const quick = process.argv.includes('--quick');
const onlyIndex = process.argv.indexOf('--only');
const only = onlyIndex >= 0 ? (process.argv[onlyIndex + 1] ?? '').split(',') : null;
const root = join(__dirname, '..', '..');

interface StepRun {
  name: string;
  command: string;
  seconds: number;
  loadStart: string;
  loadEnd: string;
  result?: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  error?: string;
}

const load = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');

function runStep(name: string, script: string, args: string[]): Promise<StepRun> {
  const command = `node dist/scripts/${script}.js ${args.join(' ')}`;
  const loadStart = load();
  progress(`=== ${name}: ${command} (load average ${loadStart})`);
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(__dirname, `${script}.js`), ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('BENCH-RESULT '));
      const loadEnd = load();
      const run: StepRun = {
        name,
        command,
        seconds: Math.round((Date.now() - started) / 1000),
        loadStart,
        loadEnd,
      };
      if (line) run.result = JSON.parse(line.slice('BENCH-RESULT '.length));
      else run.error = `exit code ${code}: ${out.slice(-500)}`;
      progress(
        `=== ${name} done in ${run.seconds} s (load average ${loadEnd})${run.error ? `: FAILED ${run.error}` : ''}`,
      );
      resolve(run);
    });
  });
}

const sizes = quick
  ? {
      open: 2_000,
      seconds: 3,
      queueTickets: 20_000,
      queueReps: 100,
      queueRequests: 300,
      deadlines: 1_000,
      spread: 10,
      lead: 15,
      reconcile: 10_000,
      emails: 1_000,
      scaleDeadlines: 300,
      scaleSeconds: 8,
    }
  : {
      open: 10_000,
      seconds: 10,
      queueTickets: 200_000,
      queueReps: 500,
      queueRequests: 3_000,
      deadlines: 10_000,
      spread: 60,
      lead: 45,
      reconcile: 100_000,
      emails: 10_000,
      scaleDeadlines: 2_000,
      scaleSeconds: 20,
    };

async function main(): Promise<void> {
  const startedAt = new Date();
  const loadAtStart = load();
  const runs: Record<string, StepRun> = {};
  const want = (name: string) => !only || only.includes(name);
  if (want('intake')) {
    runs.intake = await runStep('intake', 'bench-intake', [
      '--open',
      String(sizes.open),
      '--seconds',
      String(sizes.seconds),
      '--levels',
      '1,4,8,16,32',
    ]);
  }
  const best = runs.intake?.result?.best?.integration as number | undefined;
  const halfRate = Math.max(5, Math.round((best ?? 40) / 2));
  if (want('queue')) {
    runs.queue = await runStep('queue', 'bench-queue-read', [
      '--tickets',
      String(sizes.queueTickets),
      '--reps',
      String(sizes.queueReps),
      '--requests',
      String(sizes.queueRequests),
      '--intake-rate',
      String(halfRate),
    ]);
  }
  for (const spread of [sizes.spread, 0]) {
    const shape = spread === 0 ? 'instant' : 'spread';
    if (want('deadlines')) {
      runs[`deadlines-${shape}`] = await runStep(
        `breach lateness (${shape})`,
        'bench-deadline-lateness',
        [
          '--tickets',
          String(sizes.deadlines),
          '--spread',
          String(spread),
          '--lead',
          String(sizes.lead),
        ],
      );
      runs[`bare-${shape}`] = await runStep(`bare BullMQ (${shape})`, 'bench-bare-bullmq', [
        '--jobs',
        String(sizes.deadlines),
        '--spread',
        String(spread),
        '--lead',
        String(Math.min(20, sizes.lead)),
      ]);
    }
  }
  if (want('deadlines')) {
    runs['deadlines-loaded'] = await runStep(
      'breach lateness under intake and queue reads (spread)',
      'bench-deadline-lateness',
      [
        '--tickets',
        String(sizes.deadlines),
        '--spread',
        String(sizes.spread),
        '--lead',
        String(sizes.lead),
        '--intake-rate',
        String(halfRate),
      ],
    );
  }
  if (want('reconcile')) {
    runs.reconcile = await runStep('reconcile', 'bench-reconcile', [
      '--tickets',
      String(sizes.reconcile),
    ]);
    runs['bare-add-bulk'] = await runStep('bare BullMQ addBulk', 'bench-bare-add-bulk', [
      '--tickets',
      String(sizes.reconcile),
    ]);
  }
  if (want('email')) {
    runs.email = await runStep('email drain', 'bench-email-drain', [
      '--emails',
      String(sizes.emails),
    ]);
  }
  if (want('scale-out')) {
    runs.scaleOut = await runStep('scale-out', 'bench-scale-out', [
      '--deadlines',
      String(sizes.scaleDeadlines),
      '--seconds',
      String(sizes.scaleSeconds),
    ]);
  }
  const report = render(runs, startedAt, loadAtStart);
  process.stdout.write(`${report.summary}\n`);
  if (only) {
    progress('--only: docs/benchmarks.md and README.md left as they are');
    return;
  }
  writeFileSync(join(root, 'docs', 'benchmarks.md'), report.document);
  const readmePath = join(root, 'README.md');
  const readme = readFileSync(readmePath, 'utf8');
  const start = '<!-- bench:start (generated by npm run bench from docs/benchmarks.md) -->';
  const end = '<!-- bench:end -->';
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from >= 0 && to > from) {
    writeFileSync(
      readmePath,
      `${readme.slice(0, from + start.length)}\n\n${report.table}\n\n${readme.slice(to)}`,
    );
    progress('wrote docs/benchmarks.md and the README benchmark table');
  } else {
    progress('wrote docs/benchmarks.md (README has no bench markers: table not updated)');
  }
  try {
    // The repository's format check covers both files: leave them as prettier writes them.
    execFileSync(join(root, 'node_modules', '.bin', 'prettier'), [
      '--write',
      readmePath,
      join(root, 'docs', 'benchmarks.md'),
    ]);
  } catch (error) {
    progress(`prettier failed: ${(error as Error).message}`);
  }
}

function version(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8' }).trim().split('\n')[0]!;
  } catch {
    return 'unknown';
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

function render(
  runs: Record<string, StepRun>,
  startedAt: Date,
  loadAtStart: string,
): { document: string; table: string; summary: string } {
  const r = (key: string): Any => runs[key]?.result;
  const fail = (key: string) => (runs[key]?.error ? `failed: ${runs[key]!.error}` : 'not run');
  const rows: Array<[string, string, string, string, string]> = [];
  const intake = r('intake');
  if (intake) {
    const levels = (who: string) =>
      Object.entries(intake.closedLoop[who] as Record<string, Any>)
        .map(([c, v]) => `${c.slice(1)}: ${v.perSecond}`)
        .join(', ');
    const pg = Object.entries(intake.pgbenchTps as Record<string, number>)
      .map(([c, v]) => `${c.slice(1)}: ${v}`)
      .join(', ');
    rows.push([
      `intake, auto-assigned (integration), creates/s at c=1,4,8,16,32, ${intake.openTicketsAtStart.toLocaleString('en')} open`,
      levels('integration'),
      `pgbench, same ${intake.statementsPerCreate}-statement transaction: ${pg} TPS`,
      '≥ 1,000/s and ≥ 50 % of pgbench; rises with c',
      '107 (c=1), 113-125 (c=4), 83-90 (c=8); 37-47 at c=8-32',
    ]);
    rows.push([
      'intake by a rep (creator owns), creates/s at c=1,4,8,16,32',
      levels('rep'),
      `best pgbench ${intake.best.pgbench} TPS`,
      'as above',
      'about 100/s',
    ]);
    const ol = (who: string) =>
      `${intake.openLoop[who].ratePerSecond}/s: p50 ${intake.openLoop[who].p50Ms} ms, p99 ${intake.openLoop[who].p99Ms} ms`;
    rows.push([
      'intake p99 at half the best rate, open loop',
      `integration ${ol('integration')}; rep ${ol('rep')}`,
      '',
      'p99 < 50 ms',
      '',
    ]);
    rows.push([
      'statements (round trips) per auto-assigned create',
      String(intake.statementsPerCreate),
      '',
      '≤ 8',
      '16',
    ]);
  } else rows.push(['intake', fail('intake'), '', '', '']);
  const queue = r('queue');
  if (queue) {
    rows.push([
      `GET /me/queue, ${queue.tickets.toLocaleString('en')} open tickets / ${queue.reps} reps, client-side over loopback (server-side: Server-Timing)`,
      `alone p50 ${queue.alone.p50Ms} ms, p95 ${queue.alone.p95Ms} ms (server p50 ${queue.alone.server?.p50Ms} ms, p95 ${queue.alone.server?.p95Ms} ms); while intake runs at ${queue.whileIntake.intakeRatePerSecond}/s: p95 ${queue.whileIntake.queue.p95Ms} ms (server ${queue.whileIntake.queue.server?.p95Ms} ms)`,
      `${Math.round(queue.responseBytes / 1024)} KB per page of 50`,
      'p95 < 2 ms alone, < 20 ms under intake (1M / 500)',
      'p95 6.3 ms (1M / 500)',
    ]);
  } else rows.push(['queue read', fail('queue'), '', '', '']);
  for (const shape of ['spread', 'instant']) {
    const own = r(`deadlines-${shape}`);
    const bare = r(`bare-${shape}`);
    const what =
      shape === 'spread'
        ? `breach lateness, ${own?.tickets?.toLocaleString('en') ?? '?'} deadlines spread over ${own?.spreadSeconds ?? '?'} s`
        : `breach lateness, ${own?.tickets?.toLocaleString('en') ?? '?'} deadlines at one instant`;
    rows.push([
      what,
      own
        ? `median ${own.latenessMs.median} ms, p99 ${own.latenessMs.p99} ms, max ${own.latenessMs.max} ms; worker CPU ${own.workerCpuMsPerBreach ?? '?'} ms per breach; worker peak RSS ${own.workerRss.peak}`
        : fail(`deadlines-${shape}`),
      bare
        ? `bare BullMQ (c=16, one SELECT per job): median ${bare.latenessMs.median} ms, p99 ${bare.latenessMs.p99} ms`
        : fail(`bare-${shape}`),
      'p99 < 250 ms (≤ 2.5× bare)',
      shape === 'spread' ? 'p99 2.06 s (bare 100 ms)' : 'p99 882 ms (bare 748 ms)',
    ]);
  }
  const loaded = r('deadlines-loaded');
  const bareSpread = r('bare-spread');
  rows.push([
    `breach lateness, ${loaded?.tickets?.toLocaleString('en') ?? '?'} deadlines spread over ${loaded?.spreadSeconds ?? '?'} s, while intake runs at ${loaded?.underLoad?.intakeRatePerSecond ?? '?'}/s and reps read their queues (worker and API processes)`,
    loaded
      ? `median ${loaded.latenessMs.median} ms, p99 ${loaded.latenessMs.p99} ms; GET /me/queue during the herd p50 ${loaded.underLoad.queueReads.p50Ms} ms, p95 ${loaded.underLoad.queueReads.p95Ms} ms; creates p99 ${loaded.underLoad.creates.p99Ms} ms; ${loaded.underLoad.emailsAtSink} emails sent meanwhile; worker peak RSS ${loaded.workerRss.peak}, API ${loaded.underLoad.apiPeakRss}`
      : fail('deadlines-loaded'),
    bareSpread
      ? `bare BullMQ, spread, alone: p99 ${bareSpread.latenessMs.p99} ms`
      : fail('bare-spread'),
    'p99 < 250 ms; queue read p95 < 20 ms',
    'p99 1,153 ms (bare 100 ms)',
  ]);
  const perBreach = r('deadlines-spread')?.statementsPerBreach as number | undefined;
  const perBatch = r('deadlines-spread')?.statementsPerBatchOf50 as number | undefined;
  rows.push([
    'statements (round trips) per breach (the worker enforces jobs that fall due together in one transaction)',
    perBreach === undefined
      ? fail('deadlines-spread')
      : `${perBreach} for a breach alone; ${perBatch ?? '?'} for a batch of 50`,
    '',
    'fewer',
    '16 (12 at the start of this round)',
  ]);
  const rec = r('reconcile');
  const bareBulk = r('bare-add-bulk');
  rows.push([
    `reconcile after a Redis flush, ${rec?.openTickets?.toLocaleString('en') ?? '?'} open tickets`,
    rec
      ? `${(rec.afterFlush.millis / 1000).toFixed(1)} s (${rec.afterFlush.jobsScheduled.toLocaleString('en')} jobs; Redis busy ${(rec.afterFlush.redisScripts.millis / 1000).toFixed(1)} s in BullMQ's per-job scripts)`
      : fail('reconcile'),
    bareBulk
      ? `bare BullMQ addBulk of the same ${bareBulk.jobs.toLocaleString('en')} jobs (no Postgres, no checks): ${(bareBulk.millis / 1000).toFixed(1)} s, Redis ${(bareBulk.redisScripts.millis / 1000).toFixed(1)} s in scripts`
      : fail('bare-add-bulk'),
    '< 10 s',
    '20.4-22.6 s',
  ]);
  const email = r('email');
  rows.push([
    `outbox drain, ${email?.emails?.toLocaleString('en') ?? '?'} emails to a local SMTP sink`,
    email ? `${email.emailsPerSecond}/s; peak RSS ${email.peakRss}` : fail('email'),
    email
      ? `bare nodemailer, same pool (5) and sink: ${email.bareNodemailerPerSecond[`inFlight${email.parallel}`]}/s with ${email.parallel} in flight, ${email.bareNodemailerPerSecond.inFlight50}/s with 50`
      : '',
    '≥ 50 % of bare (≥ 700/s)',
    '318-386/s (bare 1,216-2,129/s)',
  ]);
  const scale = r('scaleOut');
  if (scale) {
    const entries = Object.entries(scale.layouts as Record<string, Any>);
    rows.push([
      'scale-out: intake creates/s (c=16) with deadlines falling due',
      entries.map(([k, v]) => `${k}: ${v.intake.perSecond}`).join('; '),
      '',
      'more with 2+2',
      '',
    ]);
    rows.push([
      'scale-out: exactly once',
      entries
        .map(
          ([k, v]) =>
            `${k}: ${v.ticketsBreached}/${v.deadlines} deadlines enforced, ${v.enforcedTwice} twice; ${v.emailsSent} emails sent, ${v.sentTwice} twice, ${v.sentButNotAtSink} missing, ${v.ticketsOutOfOrder} tickets out of order`,
        )
        .join('; '),
      '',
      'each once, in order',
      '',
    ]);
  } else rows.push(['scale-out', fail('scaleOut'), '', '', '']);
  const rss: string[] = [];
  if (intake) rss.push(`API under intake ${intake.apiPeakRss}`);
  if (queue) rss.push(`API under queue reads ${queue.apiPeakRss}`);
  const own = r('deadlines-spread');
  if (own) rss.push(`worker during the breach herd ${own.workerRss.peak}`);
  if (scale) {
    for (const [k, v] of Object.entries(scale.layouts as Record<string, Any>)) {
      rss.push(`${k}: ${Object.values(v.peakRss as Record<string, string>).join(', ')}`);
    }
  }
  rows.push([
    'peak RSS of each process (VmHWM)',
    rss.join('; '),
    '',
    'printed',
    '279 MiB (worker)',
  ]);

  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const table = [
    '| what | OwnIt | baseline, same run | target (issue 15) | before |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map((row) => `| ${row.map(esc).join(' | ')} |`),
  ].join('\n');
  const machine = [
    `- CPUs: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}; memory ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `- Node ${process.version}; ${version('psql', ['--version'])}; ${version('pgbench', ['--version'])}; Redis ${version('redis-server', ['--version'])}`,
    `- started ${startedAt.toISOString()}, ${quick ? 'quick mode (small sizes)' : 'full mode'}; load average (1, 5, 15 min) at start ${loadAtStart}, at end ${load()}`,
  ].join('\n');
  const steps = Object.values(runs)
    .map(
      (s) =>
        `| ${s.name} | \`${s.command}\` | ${s.seconds} s | ${s.loadStart} | ${s.loadEnd} |${s.error ? ' failed |' : ''}`,
    )
    .join('\n');
  const document = `# Benchmarks

Generated by \`npm run bench${quick ? ' -- --quick' : ''}\` (scripts/bench.ts); do not edit by hand: run it again.
Each benchmark runs in its own process against a throw-away database and queue prefix on the local
PostgreSQL and Redis; OwnIt's API and worker run as separate processes (\`dist/src/api.js\`,
\`worker.js\`) where a benchmark needs them, driven over HTTP on loopback by a keep-alive client in
the benchmark process (on the same 2 cores). Baselines are measured in the same run.

**Measured under load.** Other sessions ran test suites, linters and builds on this machine during
the run; the load average (runnable processes; 2 means both cores busy) is printed at the start
and end of each benchmark below. Figures taken at a load average well above 2 are lower (and
latencies higher) than this machine gives when quiet; compare a figure with its baseline from the
same run rather than across runs.

## Machine

${machine}

## Results

${table}

Latencies of \`GET /me/queue\` are measured by the client (request written to response read), an
upper bound of the server time. Intake open-loop latencies count from each request's planned start
(coordinated omission avoided). "before" is the figure in issue 15 / the previous README.

## Commands and load average per benchmark

| benchmark | command | took | load at start | load at end |
| --- | --- | --- | --- | --- |
${steps}

## Raw results

\`\`\`json
${JSON.stringify(
  Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, v.result ?? { error: v.error }])),
  null,
  2,
)}
\`\`\`
`;
  return { document, table, summary: table };
}

main().catch((error: unknown) => {
  console.error(`benchmark failed: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
