/**
 * Benchmark: GET /me/queue (first page, 50 items) against a separate API process with `--tickets`
 * open tickets spread over `--reps` reps, each request as a random rep. Latency is measured by the
 * client over loopback keep-alive (an upper bound of the server time). Alone (one client at a
 * time), then while integration creates arrive at `--intake-rate` per second (open loop).
 * Run: npm run bench:queue [-- --tickets 1000000 --reps 500 --requests 3000 --intake-rate 50 --cpu-prof DIR]
 * (--cpu-prof DIR: the API process writes a V8 CPU profile there; summarise it with
 * node dist/scripts/bench/profile-summary.js DIR/*.cpuprofile)
 */
import { generateToken, hashToken } from '../src/agents/tokens';
import {
  createBenchEnvironment,
  insertOpenTickets,
  mib,
  numberArgument,
  progress,
  seedTeam,
} from './bench/bench-environment';
import { emitResult, HttpLoad, summarise, type RequestSpec } from './bench/http-load';
import { load, startOwnit } from './bench/ownit-processes';
import { queuePageSql } from '../src/tickets/queue-page.queries';

async function main(): Promise<void> {
  const tickets = numberArgument('tickets', 1_000_000);
  const reps = numberArgument('reps', 500);
  const requests = numberArgument('requests', 3_000);
  const intakeRate = numberArgument('intake-rate', 50);
  const profileIndex = process.argv.indexOf('--cpu-prof');
  const profileDir = profileIndex >= 0 ? process.argv[profileIndex + 1] : undefined;
  const loadStart = load();
  const env = await createBenchEnvironment('queue', 4);
  try {
    const seeded = await seedTeam(
      env.dataSource,
      { warnBeforeMinutes: 60, reescalateAfterMinutes: 120, autoHoldingUpdate: true, tiers: {} },
      reps,
    );
    await insertOpenTickets(
      env.dataSource,
      seeded,
      tickets,
      new Date(Date.now() + 86_400_000),
      7 * 86_400_000,
      { warnBeforeMs: 3_600_000 },
    );
    progress('VACUUM ANALYZE');
    await env.dataSource.query('VACUUM ANALYZE');
    const tokens = seeded.repIds.map(() => generateToken());
    await env.dataSource.query(
      `UPDATE agents a SET token_hash = v.hash FROM unnest($1::uuid[], $2::text[]) AS v(id, hash) WHERE a.id = v.id`,
      [seeded.repIds, tokens.map(hashToken)],
    );
    // The plan of the query the API runs, for one rep's first page: it should read one page.
    const plan: Array<{ 'QUERY PLAN': string }> = await env.dataSource.query(
      `EXPLAIN (ANALYZE, BUFFERS) ${queuePageSql(false)}`,
      [seeded.repIds[0], 51],
    );
    progress(`queue query plan:\n${plan.map((row) => row['QUERY PLAN']).join('\n')}`);
    const integrationToken = generateToken();
    await env.dataSource.query(
      `INSERT INTO agents (name, email, role, team_id, capacity, token_hash)
       VALUES ('Bench Web Form', 'webform@bench.invalid', 'integration', NULL, 0, $1)`,
      [hashToken(integrationToken)],
    );

    const api = await startOwnit('api', {
      databaseUrl: env.databaseUrl,
      redisUrl: env.redisUrl,
      queuePrefix: env.queuePrefix,
      smtpUrl: 'smtp://127.0.0.1:9',
      env: { DATABASE_POOL_SIZE: '20' },
      ...(profileDir ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] } : {}),
    });
    const http = new HttpLoad([api.port], 64);
    const queueSpec = (): RequestSpec => ({
      method: 'GET',
      path: '/api/v1/me/queue',
      token: tokens[Math.floor(Math.random() * tokens.length)]!,
      expect: 200,
    });
    let n = 0;
    const createSpec = (): RequestSpec => ({
      method: 'POST',
      path: '/api/v1/tickets',
      token: integrationToken,
      body: {
        customerId: seeded.customerId,
        subject: `Queue bench concern ${n++}`,
        description: 'Arrives while reps read their queues.',
        channel: 'web',
        teamId: seeded.teamId,
      },
      expect: 201,
    });
    const sequential = async (count: number) => {
      const latencies: number[] = [];
      const serverLatencies: number[] = [];
      let errors = 0;
      let firstError: string | undefined;
      const started = performance.now();
      for (let i = 0; i < count; i++) {
        const r = await http.send(queueSpec);
        if (r.error) {
          errors += 1;
          firstError ??= r.error;
        } else {
          latencies.push(r.ms);
          if (r.serverMs !== undefined) serverLatencies.push(r.serverMs);
        }
      }
      const seconds = (performance.now() - started) / 1000;
      return {
        ...summarise(latencies, errors, seconds, firstError),
        // The API's own time (Server-Timing): what remains of the client figure is the network.
        server: summarise(serverLatencies, 0, seconds),
      };
    };
    let alone;
    let underIntake;
    let intake;
    let bytes = 0;
    try {
      await sequential(200); // warm-up
      const sample = await fetch(`http://127.0.0.1:${api.port}/api/v1/me/queue`, {
        headers: { authorization: `Bearer ${tokens[0]}` },
      });
      bytes = (await sample.arrayBuffer()).byteLength;
      alone = await sequential(requests);
      progress(
        `GET /me/queue alone: p50 ${alone.p50Ms} ms, p95 ${alone.p95Ms} ms; server p50 ${alone.server.p50Ms} ms, p95 ${alone.server.p95Ms} ms (${bytes} bytes per page)`,
      );
      let done = false;
      const reading = sequential(requests).then((r) => {
        done = true;
        return r;
      });
      const intakeRun = http.openLoop(createSpec, intakeRate, 3_600, () => done);
      underIntake = await reading;
      intake = await intakeRun;
      progress(
        `GET /me/queue while intake runs at ${intakeRate}/s: p50 ${underIntake.p50Ms} ms, p95 ${underIntake.p95Ms} ms; server p50 ${underIntake.server.p50Ms} ms, p95 ${underIntake.server.p95Ms} ms; creates p99 ${intake.p99Ms} ms`,
      );
    } finally {
      http.close();
    }
    const { peakRssBytes } = await api.stop();
    const result = {
      tickets,
      reps,
      requests,
      responseBytes: bytes,
      alone,
      whileIntake: { intakeRatePerSecond: intakeRate, queue: underIntake, creates: intake },
      apiPeakRss: mib(peakRssBytes),
      load: { start: loadStart, end: load() },
    };
    console.log(JSON.stringify(result, null, 2));
    emitResult(result);
  } finally {
    await env.teardown();
  }
}

main().catch((error: unknown) => {
  console.error(`benchmark failed: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
