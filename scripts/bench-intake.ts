/**
 * Benchmark: POST /tickets against a separate API process (dist/src/api.js), by an integration
 * (auto-assignment) and by a rep, with `--open` open tickets already in the team. Closed loop at
 * each concurrency, then an open loop at half the best rate (p99). Next to it, pgbench running the
 * very same create transaction (captured from one create: same statements, same values).
 * Run: npm run bench:intake [-- --open 10000 --seconds 10 --levels 1,4,8,16,32 --cpu-prof DIR]
 * (--cpu-prof DIR: the API process writes a V8 CPU profile there; summarise it with
 * node dist/scripts/bench/profile-summary.js DIR/*.cpuprofile)
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generateToken, hashToken } from '../src/agents/tokens';
import { createTicket } from '../src/lifecycle/tickets.service';
import { captureStatements, pgbenchScript } from './bench/capture-statements';
import {
  createBenchEnvironment,
  insertOpenTickets,
  mib,
  numberArgument,
  progress,
  seedTeam,
} from './bench/bench-environment';
import { emitResult, HttpLoad, listArgument, type RequestSpec } from './bench/http-load';
import { load, startOwnit } from './bench/ownit-processes';

const run = promisify(execFile);

async function main(): Promise<void> {
  const open = numberArgument('open', 10_000);
  const seconds = numberArgument('seconds', 10);
  const levels = listArgument('levels', [1, 4, 8, 16, 32]);
  const pool = numberArgument('pool', 20);
  const profileIndex = process.argv.indexOf('--cpu-prof');
  const profileDir = profileIndex >= 0 ? process.argv[profileIndex + 1] : undefined;
  const loadStart = load();
  const env = await createBenchEnvironment('intake', 4);
  const tmp = mkdtempSync(join(tmpdir(), 'ownit-pgbench-'));
  try {
    const seeded = await seedTeam(
      env.dataSource,
      { warnBeforeMinutes: 60, reescalateAfterMinutes: 120, autoHoldingUpdate: true, tiers: {} },
      // More reps than the highest concurrency: SKIP LOCKED always finds a free one (the supervisor
      // fallback, a different statement sequence, would end pgbench's replay).
      40,
    );
    await insertOpenTickets(
      env.dataSource,
      seeded,
      open,
      new Date(Date.now() + 86_400_000),
      3_600_000,
      { warnBeforeMs: 3_600_000 },
    );
    await env.dataSource.query('ANALYZE');
    const integrationToken = generateToken();
    const [integration] = await env.dataSource.query(
      `INSERT INTO agents (name, email, role, team_id, capacity, token_hash)
       VALUES ('Bench Web Form', 'webform@bench.invalid', 'integration', NULL, 0, $1) RETURNING id, name`,
      [hashToken(integrationToken)],
    );
    const repToken = generateToken();
    await env.dataSource.query(`UPDATE agents SET token_hash = $1 WHERE id = $2`, [
      hashToken(repToken),
      seeded.repIds[0],
    ]);
    const body = (n: string) => ({
      customerId: seeded.customerId,
      subject: `Benchmark concern ${n}`,
      description: 'The printer on the third floor prints every page twice.',
      channel: 'web',
      teamId: seeded.teamId,
    });

    const existing: Array<{ id: string }> = await env.dataSource.query(
      `SELECT id FROM agents UNION ALL SELECT id FROM teams UNION ALL SELECT id FROM customers`,
    );
    // One create in this process, every statement recorded: the round trips and pgbench's script.
    const { statements } = await captureStatements(() =>
      createTicket(
        env.ctx,
        { id: integration.id, name: integration.name, role: 'integration', teamId: null },
        body('captured') as Parameters<typeof createTicket>[2],
      ),
    );
    const script = join(tmp, 'create-ticket.sql');
    writeFileSync(script, pgbenchScript(statements, new Set(existing.map((r) => r.id))));
    progress(`one auto-assigned create = ${statements.length} statements (script: ${script})`);

    const pgbench: Record<string, number> = {};
    for (const c of levels) {
      const { stdout } = await run(
        'pgbench',
        [
          '-n',
          '-M',
          'simple',
          '-f',
          script,
          '-c',
          String(c),
          '-j',
          String(Math.min(c, 2)),
          '-T',
          String(seconds),
          env.databaseUrl,
        ],
        { maxBuffer: 16 * 1024 * 1024 },
      ).catch((error: { stdout?: string; stderr?: string }) => {
        progress(
          `pgbench failed: ${error.stderr ?? ''}${error.stdout ?? ''}\nscript:\n${readFileSync(script, 'utf8')}`.slice(
            0,
            3000,
          ),
        );
        return { stdout: '' };
      });
      const tps = /tps = ([\d.]+) \(without initial/.exec(stdout);
      pgbench[`c${c}`] = tps ? Math.round(Number(tps[1])) : NaN;
      progress(`pgbench, same create transaction, c=${c}: ${pgbench[`c${c}`]} TPS`);
    }

    const api = await startOwnit('api', {
      databaseUrl: env.databaseUrl,
      redisUrl: env.redisUrl,
      queuePrefix: env.queuePrefix,
      smtpUrl: 'smtp://127.0.0.1:9',
      env: { DATABASE_POOL_SIZE: String(pool) },
      ...(profileDir ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] } : {}),
    });
    const http = new HttpLoad([api.port], 64);
    let counter = 0;
    const specs: Record<'integration' | 'rep', () => RequestSpec> = {
      integration: () => ({
        method: 'POST',
        path: '/api/v1/tickets',
        token: integrationToken,
        body: body(`i${counter++}`),
        expect: 201,
      }),
      rep: () => ({
        method: 'POST',
        path: '/api/v1/tickets',
        token: repToken,
        body: body(`r${counter++}`),
        expect: 201,
      }),
    };
    const closed: Record<string, Record<string, unknown>> = {};
    const openLoop: Record<string, unknown> = {};
    try {
      await http.closedLoop(specs.integration, 4, 2); // warm-up (JIT, pool)
      for (const who of ['integration', 'rep'] as const) {
        closed[who] = {};
        let best = 0;
        for (const c of levels) {
          const r = await http.closedLoop(specs[who], c, seconds);
          closed[who][`c${c}`] = r;
          best = Math.max(best, r.perSecond);
          progress(
            `intake by ${who}, c=${c}: ${r.perSecond} creates/s (p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, errors ${r.errors})${r.firstError ? ` first error: ${r.firstError}` : ''}`,
          );
        }
        const rate = Math.max(1, Math.round(best / 2));
        const r = await http.openLoop(specs[who], rate, seconds);
        openLoop[who] = { ratePerSecond: rate, ...r };
        progress(
          `intake by ${who}, open loop at ${rate}/s (half the best): p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, errors ${r.errors}`,
        );
      }
    } finally {
      http.close();
    }
    const { peakRssBytes } = await api.stop();
    const [{ n: openAtEnd }] = await env.dataSource.query(
      `SELECT count(*)::int AS n FROM tickets WHERE team_id = $1 AND status = 'open'`,
      [seeded.teamId],
    );
    const bestOf = (who: string) =>
      Math.max(...Object.values(closed[who]!).map((r) => (r as { perSecond: number }).perSecond));
    const result = {
      openTicketsAtStart: open,
      openTicketsAtEnd: openAtEnd,
      seconds,
      statementsPerCreate: statements.length,
      pgbenchTps: pgbench,
      closedLoop: closed,
      openLoop,
      best: {
        integration: bestOf('integration'),
        rep: bestOf('rep'),
        pgbench: Math.max(...Object.values(pgbench)),
      },
      apiPeakRss: mib(peakRssBytes),
      load: { start: loadStart, end: load() },
    };
    console.log(JSON.stringify(result, null, 2));
    emitResult(result);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    await env.teardown();
  }
}

main().catch((error: unknown) => {
  console.error(`benchmark failed: ${(error as Error).stack ?? String(error)}`);
  process.exit(1);
});
