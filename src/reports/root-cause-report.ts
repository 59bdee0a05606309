import type { Actor } from '../actor';
import type { RootCauseReportQuery } from './reports.input';
import {
  inReportSnapshot,
  ratio,
  reportPeriod,
  reportScope,
  type ReportContext,
} from './report-scope';

/**
 * GET /reports/root-causes: a Pareto of the root causes of tickets resolved in the period, by
 * silo and by silo and category, most tickets first, with what each cause cost: reopenings,
 * breaches, broken promises, churned customers and low satisfaction scores.
 */

export const ROOT_CAUSE_DEFINITIONS = {
  population:
    'Tickets resolved in the period (resolved_at), with the root cause recorded at resolution; a reopened ticket counts when it is resolved again.',
  share: 'tickets / all tickets in the report; cumulativeShare adds the shares down the list.',
  reopenRate: 'Share of the tickets reopened at least once.',
  breachRate: 'Share of the tickets with at least one deadline breached.',
  brokenPromises: 'Promises on those tickets that were broken.',
  churnedCustomers:
    'Distinct customers of those tickets who have churned (at any time); a customer can appear under several causes.',
  lowScores: 'Satisfaction scores of 1 or 2 on those tickets.',
};

export interface RootCauseFigures {
  tickets: number;
  share: number | null;
  cumulativeShare: number | null;
  reopened: number;
  reopenRate: number | null;
  breached: number;
  breachRate: number | null;
  brokenPromises: number;
  churnedCustomers: number;
  lowScores: number;
}

export interface RootCauseReport {
  report: 'root-causes';
  teamId: string | null;
  period: { from: string; to: string; timezone: string };
  generatedAt: string;
  definitions: typeof ROOT_CAUSE_DEFINITIONS;
  totals: Omit<RootCauseFigures, 'share' | 'cumulativeShare'>;
  silos: Array<{ silo: string } & RootCauseFigures>;
  causes: Array<{ silo: string; category: string } & RootCauseFigures>;
}

/**
 * GROUPING(silo, category): 0 a cause, 1 a silo, 3 the total. Churned customers are counted
 * apart, over the few tickets of churned customers, so the main aggregate needs no DISTINCT.
 */
const ROOT_CAUSES_SQL = `
WITH resolved AS NOT MATERIALIZED (
  SELECT t.id, t.customer_id, t.root_cause_silo AS silo, t.root_cause_category AS category,
         t.reopen_count, t.breach_count
    FROM tickets t
   WHERE t.team_id = ANY($1) AND t.resolved_at >= $2 AND t.resolved_at < $3
),
figures AS (
  SELECT GROUPING(r.silo, r.category) AS level, r.silo, r.category, count(*)::int AS tickets,
         count(*) FILTER (WHERE r.reopen_count > 0)::int AS reopened,
         count(*) FILTER (WHERE r.breach_count > 0)::int AS breached,
         coalesce(sum(p.broken), 0)::int AS broken_promises,
         count(s.ticket_id)::int AS low_scores
    FROM resolved r
    LEFT JOIN (SELECT p.ticket_id, count(*) AS broken FROM promises p
                WHERE p.status = 'broken' GROUP BY p.ticket_id) p ON p.ticket_id = r.id
    LEFT JOIN satisfaction_scores s ON s.ticket_id = r.id AND s.score <= 2
   GROUP BY GROUPING SETS ((r.silo, r.category), (r.silo), ())
),
churn AS (
  SELECT GROUPING(r.silo, r.category) AS level, r.silo, r.category,
         count(DISTINCT r.customer_id)::int AS churned_customers
    FROM resolved r
    JOIN customers c ON c.id = r.customer_id AND c.churned_at IS NOT NULL
   GROUP BY GROUPING SETS ((r.silo, r.category), (r.silo), ())
)
SELECT f.*, coalesce(c.churned_customers, 0) AS churned_customers
  FROM figures f
  LEFT JOIN churn c ON c.level = f.level AND c.silo IS NOT DISTINCT FROM f.silo
                   AND c.category IS NOT DISTINCT FROM f.category`;

interface Row {
  level: number;
  silo: string | null;
  category: string | null;
  tickets: number;
  reopened: number;
  breached: number;
  broken_promises: number;
  low_scores: number;
  churned_customers: number;
}

export async function rootCauseReport(
  ctx: ReportContext,
  actor: Actor,
  query: RootCauseReportQuery,
): Promise<RootCauseReport> {
  const scope = await reportScope(ctx, actor, query.teamId);
  const now = ctx.clock.now();
  const period = reportPeriod(query, scope.timezone, now);
  const rows = await inReportSnapshot(ctx, (q) =>
    q<Row>(ROOT_CAUSES_SQL, [scope.teams.map((team) => team.id), period.from, period.to]),
  );
  const total = rows.find((row) => row.level === 3);
  const all = total?.tickets ?? 0;
  const pareto = <T extends Row>(items: T[]) => {
    items.sort(
      (a, b) =>
        b.tickets - a.tickets ||
        (a.silo ?? '').localeCompare(b.silo ?? '') ||
        (a.category ?? '').localeCompare(b.category ?? ''),
    );
    let running = 0;
    return items.map((row) => {
      running += row.tickets;
      return { row, figures: figuresOf(row, all, running) };
    });
  };
  return {
    report: 'root-causes',
    teamId: scope.teamId,
    period: {
      from: period.from.toISOString(),
      to: period.to.toISOString(),
      timezone: scope.timezone,
    },
    generatedAt: now.toISOString(),
    definitions: ROOT_CAUSE_DEFINITIONS,
    totals: {
      tickets: all,
      reopened: total?.reopened ?? 0,
      reopenRate: ratio(total?.reopened ?? 0, all),
      breached: total?.breached ?? 0,
      breachRate: ratio(total?.breached ?? 0, all),
      brokenPromises: total?.broken_promises ?? 0,
      churnedCustomers: total?.churned_customers ?? 0,
      lowScores: total?.low_scores ?? 0,
    },
    silos: pareto(rows.filter((row) => row.level === 1)).map(({ row, figures }) => ({
      silo: row.silo ?? '',
      ...figures,
    })),
    causes: pareto(rows.filter((row) => row.level === 0)).map(({ row, figures }) => ({
      silo: row.silo ?? '',
      category: row.category ?? '',
      ...figures,
    })),
  };
}

function figuresOf(row: Row, all: number, running: number): RootCauseFigures {
  return {
    tickets: row.tickets,
    share: ratio(row.tickets, all),
    cumulativeShare: ratio(running, all),
    reopened: row.reopened,
    reopenRate: ratio(row.reopened, row.tickets),
    breached: row.breached,
    breachRate: ratio(row.breached, row.tickets),
    brokenPromises: row.broken_promises,
    churnedCustomers: row.churned_customers,
    lowScores: row.low_scores,
  };
}

/** The Pareto of causes as CSV, one row per silo and category, most tickets first. */
export function rootCauseCsvRows(report: RootCauseReport): { header: string[]; rows: unknown[][] } {
  return {
    header: [
      'silo',
      'category',
      'tickets',
      'share',
      'cumulative_share',
      'reopened',
      'reopen_rate',
      'breached',
      'breach_rate',
      'broken_promises',
      'churned_customers',
      'low_scores',
    ],
    rows: report.causes.map((c) => [
      c.silo,
      c.category,
      c.tickets,
      c.share,
      c.cumulativeShare,
      c.reopened,
      c.reopenRate,
      c.breached,
      c.breachRate,
      c.brokenPromises,
      c.churnedCustomers,
      c.lowScores,
    ]),
  };
}
