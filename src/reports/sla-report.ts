import type { Actor } from '../actor';
import type { SlaReportQuery } from './reports.input';
import {
  daysOf,
  inReportSnapshot,
  ratio,
  reportPeriod,
  reportScope,
  type ReportContext,
} from './report-scope';

/**
 * GET /reports/sla: first-response and update compliance, time to first response in business
 * minutes, and breaches, in total and per team, owner and day. docs/reports.md says what each
 * figure means; `SLA_DEFINITIONS` repeats it in every response.
 */

/** Above this many answered tickets, business-minute percentiles come from a uniform sample. */
export const PERCENTILE_SAMPLE_SIZE = 10_000;

export const SLA_DEFINITIONS = {
  population:
    'Tickets whose current first-response deadline falls in the period, counted for their current team and owner and for the day the deadline fell due.',
  firstResponse:
    'met: answered by the deadline; missed: answered late, or not answered and past due now; pending: not answered, not yet due. compliance = met / (met + missed).',
  timeToFirstResponse:
    'Business minutes (the team calendar: opening hours, holidays, timezone) from the start of the response clock (arrival, or the latest reopening) to the first public update. Median and p90 over answered tickets; above 10,000 answered tickets, over a uniform random sample of 10,000 (owners then get no percentiles).',
  updates:
    'Of the answered tickets, those with no next-update deadline breached after the first response (onTime) and those with at least one (breached). compliance = onTime / answered.',
  breaches:
    'Breaches recorded in the period (deadline_actions), by the team and owner on record at the breach and the day it was recorded.',
};

export interface SlaFigures {
  firstResponse: {
    due: number;
    met: number;
    missed: number;
    pending: number;
    compliance: number | null;
  };
  timeToFirstResponse: {
    responded: number;
    /** How many answered tickets the percentiles were computed from. */
    measured: number;
    medianBusinessMinutes: number | null;
    p90BusinessMinutes: number | null;
  };
  updates: { answered: number; onTime: number; breached: number; compliance: number | null };
  breaches: { firstResponse: number; nextUpdate: number; total: number };
}

export interface SlaReport {
  report: 'sla';
  teamId: string | null;
  period: { from: string; to: string; timezone: string };
  generatedAt: string;
  sample: { sampled: boolean; measured: number; responded: number };
  definitions: typeof SLA_DEFINITIONS;
  totals: SlaFigures;
  teams: Array<{ teamId: string; teamName: string } & SlaFigures>;
  owners: Array<{ teamId: string; ownerId: string; ownerName: string } & SlaFigures>;
  days: Array<{ day: string } & SlaFigures>;
}

/** The day a timestamp falls on in the report's timezone; plain arithmetic for UTC (faster). */
const dayOf = (column: string, tz: string) =>
  `(CASE WHEN ${tz} = 'UTC' THEN (date '1970-01-01' + floor(date_part('epoch', ${column}) / 86400)::int)
         ELSE (${column} AT TIME ZONE ${tz})::date END)::text`;

/**
 * Counts over every ticket in scope. GROUPING() tells the level apart: 7 total, 3 team,
 * 1 team and owner, 6 day. A ticket "missed" if answered late or unanswered past due; an update
 * breach counts only after the first response (breach_count says whether to look at all).
 */
const COUNTS_SQL = `
WITH scope AS (
  SELECT t.id, t.team_id, t.owner_id, t.first_response_due_at AS due_at,
         t.first_responded_at AS responded_at, t.breach_count,
         ${dayOf('t.first_response_due_at', '$4')} AS day,
         coalesce(t.first_responded_at > t.first_response_due_at, t.first_response_due_at <= $5) AS missed
    FROM tickets t
   WHERE t.team_id = ANY($1) AND t.first_response_due_at >= $2 AND t.first_response_due_at < $3
)
SELECT GROUPING(s.team_id, s.owner_id, s.day) AS level, s.team_id, s.owner_id, s.day,
       count(*)::int AS due,
       count(*) FILTER (WHERE s.responded_at <= s.due_at)::int AS met,
       count(*) FILTER (WHERE s.missed)::int AS missed,
       count(s.responded_at)::int AS responded,
       count(*) FILTER (WHERE s.responded_at IS NOT NULL AND s.breach_count > s.missed::int AND EXISTS (
         SELECT 1 FROM deadline_actions d
          WHERE d.ticket_id = s.id AND d.kind = 'next_update' AND d.due_at > s.responded_at
            AND d.step = 'breached'))::int AS update_breached
  FROM scope s
 GROUP BY GROUPING SETS ((), (s.team_id), (s.team_id, s.owner_id), (s.day))`;

/**
 * Business minutes from clock start to first response, median and p90, computed in SQL.
 *
 * The team calendar is expanded in SQL for the days the (sampled) tickets span: each local
 * business day's opening interval (weekday hours, holidays skipped, local times turned into
 * instants in the team's zone by Postgres, as calendar.ts does with Luxon), cut at UTC midnight
 * into at most three pieces per UTC day, with the business seconds before each UTC day summed.
 * Then B(x), the business seconds up to instant x, is that running sum plus x's part of its own
 * UTC day, found by an equality join on (team, UTC day): no per-row timezone conversion.
 * Business minutes = (B(responded) - B(started)) / 60, as businessMinutesBetween computes it
 * (test/reports/business-minutes.test.ts checks that they agree).
 *
 * Above $5 answered tickets, a uniform sample is taken by ticket id (random UUIDs), so the
 * percentiles stay fast at any volume.
 */
const PERCENTILES_SQL = `
WITH answered AS (
  SELECT count(*)::int AS n,
         CASE WHEN count(*) > $5 THEN
           (lpad(to_hex(floor($5::float8 / count(*) * 4294967295)::bigint), 8, '0')
             || '-0000-0000-0000-000000000000')::uuid
         END AS below
    FROM tickets t
   WHERE t.team_id = ANY($1) AND t.first_response_due_at >= $2 AND t.first_response_due_at < $3
     AND t.first_responded_at IS NOT NULL
),
sample AS MATERIALIZED (
  SELECT t.team_id, t.owner_id, ${dayOf('t.first_response_due_at', '$4')} AS day,
         t.response_clock_started_at AS started_at, t.first_responded_at AS responded_at,
         date_part('epoch', t.response_clock_started_at) AS started_s,
         date_part('epoch', t.first_responded_at) AS responded_s
    FROM tickets t, answered a
   WHERE t.team_id = ANY($1) AND t.first_response_due_at >= $2 AND t.first_response_due_at < $3
     AND t.first_responded_at IS NOT NULL AND (a.below IS NULL OR t.id < a.below)
),
spans AS (
  SELECT s.team_id, tm.timezone, tm.business_hours, tm.holidays,
         (s.lo AT TIME ZONE tm.timezone)::date - 1 AS lo_day,
         (s.hi AT TIME ZONE tm.timezone)::date + 1 AS hi_day,
         floor(date_part('epoch', s.lo) / 86400)::int AS lo_utc,
         floor(date_part('epoch', s.hi) / 86400)::int AS hi_utc
    FROM (SELECT team_id, min(started_at) AS lo, max(greatest(started_at, responded_at)) AS hi
            FROM sample GROUP BY team_id) s
    JOIN teams tm ON tm.id = s.team_id
),
opening AS (
  SELECT sp.team_id,
         date_part('epoch', (d.day + (d.hours ->> 'open')::time) AT TIME ZONE sp.timezone) AS open_s,
         date_part('epoch', (d.day + (d.hours ->> 'close')::time) AT TIME ZONE sp.timezone) AS close_s
    FROM spans sp
    CROSS JOIN LATERAL generate_series(0, sp.hi_day - sp.lo_day) AS n
    CROSS JOIN LATERAL (
      SELECT sp.lo_day + n AS day,
             CASE WHEN NOT sp.holidays ? (sp.lo_day + n)::text THEN sp.business_hours ->
               (ARRAY['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'])[extract(isodow FROM sp.lo_day + n)::int]
             END AS hours
    ) d
   WHERE d.hours IS NOT NULL
),
pieces AS (
  SELECT o.team_id, p.utc_day, p.s, p.e,
         row_number() OVER (PARTITION BY o.team_id, p.utc_day ORDER BY p.s) AS k
    FROM opening o
    CROSS JOIN (VALUES (0), (1), (2)) AS shift(n)
    CROSS JOIN LATERAL (
      SELECT floor(o.open_s / 86400)::int + shift.n AS utc_day,
             greatest(o.open_s, (floor(o.open_s / 86400) + shift.n) * 86400) AS s,
             least(o.close_s, (floor(o.open_s / 86400) + shift.n + 1) * 86400) AS e
    ) p
   WHERE p.e > p.s
),
days AS (
  SELECT sp.team_id, u.utc_day, coalesce(sum(p.e - p.s), 0) AS seconds,
         coalesce(max(p.s) FILTER (WHERE p.k = 1), 0) AS s1, coalesce(max(p.e) FILTER (WHERE p.k = 1), 0) AS e1,
         coalesce(max(p.s) FILTER (WHERE p.k = 2), 0) AS s2, coalesce(max(p.e) FILTER (WHERE p.k = 2), 0) AS e2,
         coalesce(max(p.s) FILTER (WHERE p.k = 3), 0) AS s3, coalesce(max(p.e) FILTER (WHERE p.k = 3), 0) AS e3
    FROM spans sp
    CROSS JOIN LATERAL generate_series(sp.lo_utc, sp.hi_utc) AS u(utc_day)
    LEFT JOIN pieces p ON p.team_id = sp.team_id AND p.utc_day = u.utc_day
   GROUP BY sp.team_id, u.utc_day
),
calendar AS (
  SELECT d.*, sum(d.seconds) OVER (PARTITION BY d.team_id ORDER BY d.utc_day) - d.seconds AS before
    FROM days d
),
measured AS (
  SELECT s.team_id, s.owner_id, s.day,
         greatest(0,
           (r.before + least(greatest(s.responded_s - r.s1, 0), r.e1 - r.s1)
                     + least(greatest(s.responded_s - r.s2, 0), r.e2 - r.s2)
                     + least(greatest(s.responded_s - r.s3, 0), r.e3 - r.s3))
         - (b.before + least(greatest(s.started_s - b.s1, 0), b.e1 - b.s1)
                     + least(greatest(s.started_s - b.s2, 0), b.e2 - b.s2)
                     + least(greatest(s.started_s - b.s3, 0), b.e3 - b.s3))) / 60 AS minutes
    FROM sample s
    JOIN calendar b ON b.team_id = s.team_id AND b.utc_day = floor(s.started_s / 86400)::int
    JOIN calendar r ON r.team_id = s.team_id AND r.utc_day = floor(s.responded_s / 86400)::int
)
SELECT GROUPING(m.team_id, m.owner_id, m.day) AS level, m.team_id, m.owner_id, m.day,
       (SELECT n FROM answered) AS answered, count(*)::int AS measured,
       percentile_cont(ARRAY[0.5, 0.9]::float8[]) WITHIN GROUP (ORDER BY m.minutes) AS minutes
  FROM measured m
 GROUP BY GROUPING SETS ((), (m.team_id), (m.team_id, m.owner_id), (m.day))`;

/** Breaches recorded in the period, against the team and owner on record at the time. */
const BREACHES_SQL = `
SELECT GROUPING(d.team_id, d.owner_id, d.day) AS level, d.team_id, d.owner_id, d.day,
       count(*) FILTER (WHERE d.kind = 'first_response')::int AS first_response,
       count(*) FILTER (WHERE d.kind = 'next_update')::int AS next_update
  FROM (SELECT a.team_id, a.owner_id, a.kind, ${dayOf('a.acted_at', '$4')} AS day
          FROM deadline_actions a
         WHERE a.team_id = ANY($1) AND a.step = 'breached' AND a.acted_at >= $2 AND a.acted_at < $3) d
 GROUP BY GROUPING SETS ((), (d.team_id), (d.team_id, d.owner_id), (d.day))`;

/** GROUPING(team, owner, day) of each level. */
const LEVEL = { total: 7, team: 3, owner: 1, day: 6 } as const;

interface LevelRow {
  level: number;
  team_id: string | null;
  owner_id: string | null;
  day: string | null;
}
interface CountRow extends LevelRow {
  due: number;
  met: number;
  missed: number;
  responded: number;
  update_breached: number;
}
interface PercentileRow extends LevelRow {
  answered: number;
  measured: number;
  minutes: Array<number | null> | null;
}
interface BreachRow extends LevelRow {
  first_response: number;
  next_update: number;
}

function keyOf(row: LevelRow): string | undefined {
  switch (row.level) {
    case LEVEL.total:
      return 'total';
    case LEVEL.team:
      return `team:${row.team_id}`;
    case LEVEL.owner:
      return `owner:${row.team_id}:${row.owner_id}`;
    case LEVEL.day:
      return `day:${row.day}`;
    default:
      return undefined;
  }
}

function emptyFigures(): SlaFigures {
  return {
    firstResponse: { due: 0, met: 0, missed: 0, pending: 0, compliance: null },
    timeToFirstResponse: {
      responded: 0,
      measured: 0,
      medianBusinessMinutes: null,
      p90BusinessMinutes: null,
    },
    updates: { answered: 0, onTime: 0, breached: 0, compliance: null },
    breaches: { firstResponse: 0, nextUpdate: 0, total: 0 },
  };
}

const minutes = (value: number | null | undefined): number | null =>
  value === null || value === undefined ? null : Math.round(value * 10) / 10;

export async function slaReport(
  ctx: ReportContext,
  actor: Actor,
  query: SlaReportQuery,
): Promise<SlaReport> {
  const scope = await reportScope(ctx, actor, query.teamId);
  const now = ctx.clock.now();
  const period = reportPeriod(query, scope.timezone, now);
  const teamIds = scope.teams.map((team) => team.id);
  const parameters = [teamIds, period.from, period.to, scope.timezone];
  // Three independent reads on their own connections, so they run side by side.
  const [counts, percentiles, breaches] = await Promise.all([
    inReportSnapshot(ctx, (q) => q<CountRow>(COUNTS_SQL, [...parameters, now])),
    inReportSnapshot(
      ctx,
      (q) => q<PercentileRow>(PERCENTILES_SQL, [...parameters, PERCENTILE_SAMPLE_SIZE]),
      { hashJoins: true },
    ),
    inReportSnapshot(ctx, (q) => q<BreachRow>(BREACHES_SQL, parameters)),
  ]);

  const figures = new Map<string, SlaFigures>();
  const at = (row: LevelRow): SlaFigures | undefined => {
    const key = keyOf(row);
    if (!key) return undefined;
    let entry = figures.get(key);
    if (!entry) figures.set(key, (entry = emptyFigures()));
    return entry;
  };
  for (const row of counts) {
    const f = at(row);
    if (!f) continue;
    const pending = row.due - row.met - row.missed;
    f.firstResponse = {
      due: row.due,
      met: row.met,
      missed: row.missed,
      pending,
      compliance: ratio(row.met, row.met + row.missed),
    };
    f.timeToFirstResponse.responded = row.responded;
    f.updates = {
      answered: row.responded,
      onTime: row.responded - row.update_breached,
      breached: row.update_breached,
      compliance: ratio(row.responded - row.update_breached, row.responded),
    };
  }
  const answered = percentiles[0]?.answered ?? 0;
  const sampled = answered > PERCENTILE_SAMPLE_SIZE;
  let measuredTotal = 0;
  for (const row of percentiles) {
    const f = at(row);
    if (!f) continue;
    if (row.level === LEVEL.total) measuredTotal = row.measured;
    // A sample leaves too few of one owner's tickets to speak for that owner.
    if (sampled && row.level === LEVEL.owner) continue;
    f.timeToFirstResponse.measured = row.measured;
    f.timeToFirstResponse.medianBusinessMinutes = minutes(row.minutes?.[0]);
    f.timeToFirstResponse.p90BusinessMinutes = minutes(row.minutes?.[1]);
  }
  for (const row of breaches) {
    const f = at(row);
    if (!f) continue;
    f.breaches = {
      firstResponse: row.first_response,
      nextUpdate: row.next_update,
      total: row.first_response + row.next_update,
    };
  }

  const ownerKeys = [...figures.keys()].filter((key) => key.startsWith('owner:'));
  const ownerIds = [...new Set(ownerKeys.map((key) => key.split(':')[2] ?? ''))];
  const names = await ownerNames(ctx, ownerIds);
  const teamName = new Map(scope.teams.map((team) => [team.id, team.name]));

  const owners = ownerKeys.map((key) => {
    const [, teamId = '', ownerId = ''] = key.split(':');
    return {
      teamId,
      ownerId,
      ownerName: names.get(ownerId) ?? '',
      ...(figures.get(key) ?? emptyFigures()),
    };
  });
  owners.sort(
    (a, b) =>
      (teamName.get(a.teamId) ?? '').localeCompare(teamName.get(b.teamId) ?? '') ||
      a.ownerName.localeCompare(b.ownerName) ||
      a.ownerId.localeCompare(b.ownerId),
  );

  return {
    report: 'sla',
    teamId: scope.teamId,
    period: {
      from: period.from.toISOString(),
      to: period.to.toISOString(),
      timezone: scope.timezone,
    },
    generatedAt: now.toISOString(),
    sample: { sampled, measured: measuredTotal, responded: answered },
    definitions: SLA_DEFINITIONS,
    totals: figures.get('total') ?? emptyFigures(),
    teams: scope.teams.map((team) => ({
      teamId: team.id,
      teamName: team.name,
      ...(figures.get(`team:${team.id}`) ?? emptyFigures()),
    })),
    owners,
    days: daysOf(period, scope.timezone).map((day) => ({
      day,
      ...(figures.get(`day:${day}`) ?? emptyFigures()),
    })),
  };
}

async function ownerNames(ctx: ReportContext, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows: Array<{ id: string; name: string }> = await ctx.dataSource.query(
    `SELECT id, name FROM agents WHERE id = ANY($1)`,
    [ids],
  );
  return new Map(rows.map((row) => [row.id, row.name]));
}

/** One CSV row per figure set: the total, each team, each owner, each day. */
export function slaCsvRows(report: SlaReport): { header: string[]; rows: unknown[][] } {
  const header = [
    'level',
    'team_id',
    'team_name',
    'owner_id',
    'owner_name',
    'day',
    'first_response_due',
    'first_response_met',
    'first_response_missed',
    'first_response_pending',
    'first_response_compliance',
    'responded',
    'measured',
    'median_business_minutes',
    'p90_business_minutes',
    'updates_answered',
    'updates_on_time',
    'updates_breached',
    'update_compliance',
    'breaches_first_response',
    'breaches_next_update',
    'breaches_total',
  ];
  const teamName = new Map(report.teams.map((team) => [team.teamId, team.teamName]));
  const line = (labels: unknown[], f: SlaFigures): unknown[] => [
    ...labels,
    f.firstResponse.due,
    f.firstResponse.met,
    f.firstResponse.missed,
    f.firstResponse.pending,
    f.firstResponse.compliance,
    f.timeToFirstResponse.responded,
    f.timeToFirstResponse.measured,
    f.timeToFirstResponse.medianBusinessMinutes,
    f.timeToFirstResponse.p90BusinessMinutes,
    f.updates.answered,
    f.updates.onTime,
    f.updates.breached,
    f.updates.compliance,
    f.breaches.firstResponse,
    f.breaches.nextUpdate,
    f.breaches.total,
  ];
  return {
    header,
    rows: [
      line(
        [
          'total',
          report.teamId,
          report.teamId ? teamName.get(report.teamId) : null,
          null,
          null,
          null,
        ],
        report.totals,
      ),
      ...report.teams.map((t) => line(['team', t.teamId, t.teamName, null, null, null], t)),
      ...report.owners.map((o) =>
        line(['owner', o.teamId, teamName.get(o.teamId) ?? null, o.ownerId, o.ownerName, null], o),
      ),
      ...report.days.map((d) => line(['day', null, null, null, null, d.day], d)),
    ],
  };
}
