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
  jobsScheduled: number;
  millis: number;
}

interface DeadlineRow {
  id: string;
  kind: DeadlineKind;
  deadline_version: number;
  deadline_due_at: Date;
  deadline_warn_at: Date | null;
  done: DeadlineStep[] | null;
}

const BATCH_SIZE = 5_000;

export async function reconcileDeadlines(
  ctx: ServiceContext,
  options: { horizonMs?: number; onProgress?: (report: ReconcileReport) => void } = {},
): Promise<ReconcileReport> {
  const started = Date.now();
  const report: ReconcileReport = { ticketsScanned: 0, jobsScheduled: 0, millis: 0 };
  const now = ctx.clock.now();
  const horizon =
    options.horizonMs === undefined ? null : new Date(now.getTime() + options.horizonMs);
  let afterId = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const rows: DeadlineRow[] = await ctx.dataSource.query(
      `SELECT t.id, t.deadline_kind AS kind, t.deadline_version, t.deadline_due_at,
              t.deadline_warn_at,
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
    if (rows.length === 0) break;
    const jobs: DeadlineJob[] = [];
    for (const row of rows) {
      const planned = planDeadlineJobs(
        {
          ticketId: row.id,
          kind: row.kind,
          version: row.deadline_version,
          dueAt: row.deadline_due_at,
          warnAt: row.deadline_warn_at,
          done: new Set(row.done ?? []),
        },
        now,
      );
      jobs.push(...(horizon ? planned.filter((job) => job.runAt <= horizon) : planned));
    }
    await ctx.deadlineJobs.schedule(jobs);
    report.ticketsScanned += rows.length;
    report.jobsScheduled += jobs.length;
    afterId = rows[rows.length - 1]!.id;
    options.onProgress?.({ ...report, millis: Date.now() - started });
    if (rows.length < BATCH_SIZE) break;
  }
  report.millis = Date.now() - started;
  return report;
}
