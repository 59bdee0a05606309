import type { ServiceContext } from '../context';
import type { DeadlineStep } from '../deadline-rules/deadline-jobs';
import type { DeadlineKind } from '../deadline-rules/deadline-policy';
import { planDeadlineJobs, type DeadlineJob } from '../deadline-rules/deadline-jobs';

/**
 * Postgres is the source of truth; Redis only schedules. The reconciler makes sure every pending
 * enforcement step of every active deadline has a job: scheduling is idempotent (job ids are
 * derived from ticket, kind, version and step), steps already taken are skipped, and steps whose
 * moment has passed are queued to run at once. After a Redis flush or a crashed worker, nothing
 * is lost and nothing happens twice.
 *
 * - full pass (worker start): every active deadline;
 * - periodic pass (every minute): deadlines with a step due within the horizon, which catches a
 *   flush while the worker keeps running, at most one period late.
 */
export interface ReconcileReport {
  ticketsScanned: number;
  /** Steps the pass checked against the queue. */
  jobsScheduled: number;
  /** Of those, the ones the queue did not hold (re-created). */
  jobsMissing: number;
  millis: number;
}

/** Moments as epoch milliseconds: parsing 200,000 timestamp strings showed in the profile. */
interface DeadlineRow {
  id: string;
  kind: DeadlineKind;
  deadline_version: number;
  due_ms: number;
  warn_ms: number | null;
  done: DeadlineStep[] | null;
}

const BATCH_SIZE = 5_000;
const FIRST_ID = '00000000-0000-0000-0000-000000000000';
const NOTHING_DONE: ReadonlySet<DeadlineStep> = new Set();

export async function reconcileDeadlines(
  ctx: ServiceContext,
  options: { horizonMs?: number; onProgress?: (report: ReconcileReport) => void } = {},
): Promise<ReconcileReport> {
  const started = Date.now();
  const report: ReconcileReport = {
    ticketsScanned: 0,
    jobsScheduled: 0,
    jobsMissing: 0,
    millis: 0,
  };
  const now = ctx.clock.now();
  const horizon =
    options.horizonMs === undefined ? null : new Date(now.getTime() + options.horizonMs);
  let rows = await readDeadlines(ctx, FIRST_ID, horizon);
  while (rows.length > 0) {
    const jobs = planJobs(rows, now, horizon);
    const last = rows.length < BATCH_SIZE ? null : rows[rows.length - 1]!.id;
    // Postgres reads the next batch while Redis takes this one.
    const [next, missing] = await Promise.all([
      last === null ? Promise.resolve([]) : readDeadlines(ctx, last, horizon),
      ctx.deadlineJobs.scheduleMissing(jobs),
    ]);
    report.ticketsScanned += rows.length;
    report.jobsScheduled += jobs.length;
    report.jobsMissing += missing;
    options.onProgress?.({ ...report, millis: Date.now() - started });
    rows = next;
  }
  report.millis = Date.now() - started;
  return report;
}

/** One keyset page of active deadlines (plain rows, no entities), with the steps already taken. */
function readDeadlines(
  ctx: ServiceContext,
  afterId: string,
  horizon: Date | null,
): Promise<DeadlineRow[]> {
  return ctx.dataSource.query(
    `SELECT t.id, t.deadline_kind AS kind, t.deadline_version,
            floor(extract(epoch FROM t.deadline_due_at) * 1000)::float8 AS due_ms,
            floor(extract(epoch FROM t.deadline_warn_at) * 1000)::float8 AS warn_ms,
            (SELECT array_agg(a.step) FROM deadline_actions a
              WHERE a.ticket_id = t.id AND a.kind = t.deadline_kind
                AND a.due_at = t.deadline_due_at) AS done
       FROM tickets t
      WHERE t.deadline_due_at IS NOT NULL AND t.id > $1
        AND ($2::timestamptz IS NULL
             OR t.deadline_due_at <= $2 OR t.deadline_warn_at <= $2)
      ORDER BY t.id
      LIMIT $3`,
    [afterId, horizon, BATCH_SIZE],
  );
}

function planJobs(rows: DeadlineRow[], now: Date, horizon: Date | null): DeadlineJob[] {
  const jobs: DeadlineJob[] = [];
  for (const row of rows) {
    const planned = planDeadlineJobs(
      {
        ticketId: row.id,
        kind: row.kind,
        version: row.deadline_version,
        dueAt: new Date(row.due_ms),
        warnAt: row.warn_ms === null ? null : new Date(row.warn_ms),
        done: row.done ? new Set(row.done) : NOTHING_DONE,
      },
      now,
    );
    for (const job of planned) if (!horizon || job.runAt <= horizon) jobs.push(job);
  }
  return jobs;
}
