/**
 * Benchmark: each report, as an admin over all teams and as one team's supervisor, run several
 * times through its service function (SQL and assembly; no HTTP) against the database seeded by
 * `npm run seed:million` (default `ownit_seed` on DATABASE_URL's server; it is not modified).
 * Prints median and p95 milliseconds per report and the first run (cold) separately.
 * Run: npm run bench:reports [-- --database ownit_seed --runs 20]
 */
import type { Actor } from '../src/actor';
import { systemClock } from '../src/clock';
import { createDataSource } from '../src/db/data-source';
import { atRiskReport } from '../src/reports/at-risk-report';
import type { ReportContext } from '../src/reports/report-scope';
import { rootCauseReport } from '../src/reports/root-cause-report';
import { slaReport } from '../src/reports/sla-report';
import { percentile, progress } from './bench/bench-environment';
import { DEFAULT_SEED_DATABASE, seedDatabaseUrl } from './seed-million-tickets';

function argument(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}

interface Case {
  name: string;
  run: () => Promise<unknown>;
}

async function main(): Promise<void> {
  const database = argument('database', DEFAULT_SEED_DATABASE);
  const runs = Number(argument('runs', '20'));
  if (!Number.isInteger(runs) || runs <= 0) throw new Error('--runs must be a positive number');
  const dataSource = createDataSource(seedDatabaseUrl(database), 10);
  await dataSource.initialize();
  try {
    const [{ tickets }] = await dataSource.query(`SELECT count(*)::int AS tickets FROM tickets`);
    if (tickets === 0) {
      throw new Error(`database ${database} has no tickets; run \`npm run seed:million\` first`);
    }
    const [team] = await dataSource.query(
      `SELECT t.id, (SELECT a.id FROM agents a WHERE a.team_id = t.id AND a.role = 'supervisor' LIMIT 1) AS supervisor
         FROM teams t ORDER BY t.name LIMIT 1`,
    );
    progress(`${database}: ${tickets} tickets; ${runs} runs per report`);
    const ctx: ReportContext = { dataSource, clock: systemClock };
    const admin: Actor = { id: team.supervisor, name: 'Bench admin', role: 'admin', teamId: null };
    const supervisor: Actor = {
      id: team.supervisor,
      name: 'Bench supervisor',
      role: 'supervisor',
      teamId: team.id,
    };
    const page = { limit: 50 };
    // Later pages rank every customer (the first page may skip counting most contacts).
    const first = await atRiskReport(ctx, admin, page);
    const secondPage = { limit: 50, cursor: first.nextCursor ?? undefined };
    const cases: Case[] = [
      { name: 'sla, all teams, 30 days', run: () => slaReport(ctx, admin, {}) },
      { name: 'sla, one team, 30 days', run: () => slaReport(ctx, supervisor, {}) },
      { name: 'root-causes, all teams, 30 days', run: () => rootCauseReport(ctx, admin, {}) },
      {
        name: 'root-causes, one team, 30 days',
        run: () => rootCauseReport(ctx, supervisor, {}),
      },
      { name: 'at-risk, all teams, top 50', run: () => atRiskReport(ctx, admin, page) },
      {
        name: 'at-risk, all teams, second page of 50',
        run: () => atRiskReport(ctx, admin, secondPage),
      },
      { name: 'at-risk, one team, top 50', run: () => atRiskReport(ctx, supervisor, page) },
    ];
    const results = [];
    for (const c of cases) {
      const times: number[] = [];
      for (let i = 0; i <= runs; i++) {
        const started = process.hrtime.bigint();
        await c.run();
        times.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
      const [cold = NaN, ...warm] = times;
      warm.sort((a, b) => a - b);
      const row = {
        report: c.name,
        coldMs: Math.round(cold),
        medianMs: Math.round(percentile(warm, 50)),
        p95Ms: Math.round(percentile(warm, 95)),
        maxMs: Math.round(warm[warm.length - 1] ?? NaN),
      };
      results.push(row);
      progress(
        `${row.report}: median ${row.medianMs} ms, p95 ${row.p95Ms} ms (first run ${row.coldMs} ms)`,
      );
    }
    console.log(JSON.stringify({ database, tickets, runs, results }, null, 2));
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(`benchmark failed: ${(error as Error).message}`);
  process.exit(1);
});
