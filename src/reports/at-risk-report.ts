import { z } from 'zod';
import type { Actor } from '../actor';
import { decodeCursor, encodeCursor, type Page } from '../pagination';
import type { AtRiskReportQuery } from './reports.input';
import { inReportSnapshot, reportScope, type ReportContext } from './report-scope';

/**
 * GET /reports/at-risk-customers: customers who have not churned, ranked by a score anyone can
 * recompute from its reasons. The weights and windows live here only; the response's `scoring`
 * and docs/reports.md describe them.
 */

type Tier = 'standard' | 'high_value' | 'vip';
export type AtRiskFactor =
  'tier' | 'repeat_contacts' | 'breaches' | 'broken_promises' | 'reopenings' | 'low_satisfaction';

export const AT_RISK_SCORING = {
  tier: { vip: 3, high_value: 2, standard: 0 },
  repeatContacts: { pointsEach: 2, windowDays: 30, cap: 5 },
  breaches: { pointsEach: 2, windowDays: 90 },
  brokenPromises: { pointsEach: 3, windowDays: 90 },
  reopenings: { pointsEach: 1, windowDays: 90 },
  lowSatisfaction: { pointsEach: 3, windowDays: 180, scoreAtMost: 2 },
} as const;

const S = AT_RISK_SCORING;

export const SCORING_EXPLAINED = {
  formula:
    `score = tier (vip ${S.tier.vip}, high_value ${S.tier.high_value}) ` +
    `+ ${S.repeatContacts.pointsEach} × repeat contacts (at most ${S.repeatContacts.cap}) ` +
    `+ ${S.breaches.pointsEach} × breaches + ${S.brokenPromises.pointsEach} × broken promises ` +
    `+ ${S.reopenings.pointsEach} × reopenings + ${S.lowSatisfaction.pointsEach} × low scores`,
  eligibility:
    'Customers not churned with at least one factor besides tier (tier weighs a customer who is in trouble; it does not make one). A supervisor sees the customers of their team’s tickets, scored on those tickets; an admin all teams or one.',
  ranking: 'score, highest first; ties by customer id',
  factors: [
    {
      factor: 'tier',
      points: S.tier,
      description: 'The customer’s tier.',
    },
    {
      factor: 'repeat_contacts',
      pointsEach: S.repeatContacts.pointsEach,
      windowDays: S.repeatContacts.windowDays,
      cap: S.repeatContacts.cap,
      description: `Tickets received in the last ${S.repeatContacts.windowDays} days beyond the first, counted up to ${S.repeatContacts.cap}.`,
    },
    {
      factor: 'breaches',
      pointsEach: S.breaches.pointsEach,
      windowDays: S.breaches.windowDays,
      description: `Deadlines breached (breach_count) on tickets received in the last ${S.breaches.windowDays} days.`,
    },
    {
      factor: 'broken_promises',
      pointsEach: S.brokenPromises.pointsEach,
      windowDays: S.brokenPromises.windowDays,
      description: `Promises to the customer marked broken in the last ${S.brokenPromises.windowDays} days.`,
    },
    {
      factor: 'reopenings',
      pointsEach: S.reopenings.pointsEach,
      windowDays: S.reopenings.windowDays,
      description: `Reopenings (reopen_count) of tickets received in the last ${S.reopenings.windowDays} days.`,
    },
    {
      factor: 'low_satisfaction',
      pointsEach: S.lowSatisfaction.pointsEach,
      windowDays: S.lowSatisfaction.windowDays,
      description: `Satisfaction scores of ${S.lowSatisfaction.scoreAtMost} or less given in the last ${S.lowSatisfaction.windowDays} days.`,
    },
  ],
};

export interface AtRiskReason {
  factor: AtRiskFactor;
  count: number;
  points: number;
  text: string;
}

export interface AtRiskCustomer {
  customerId: string;
  name: string;
  email: string;
  tier: Tier;
  score: number;
  reasons: AtRiskReason[];
}

export interface AtRiskReport extends Page<AtRiskCustomer> {
  report: 'at-risk-customers';
  teamId: string | null;
  asOf: string;
  scoring: typeof SCORING_EXPLAINED;
}

/**
 * Every signal but contacts as a row (a ticket's breaches and reopenings as points, a broken
 * promise, a low score, a tier, a churn marker that sinks the tier sum below zero), to be summed
 * per customer in one hash aggregate. Parameters: $1 teams, $2 now, $3..$6 window starts
 * (contacts, tickets, promises, scores), $7 all teams, $8.. the weights.
 */
const SIGNAL_ROWS = `
      SELECT t.customer_id, 0 AS contact, $8::int * t.breach_count + $10::int * t.reopen_count AS points,
             0 AS tier
        FROM tickets t
       WHERE t.team_id = ANY($1) AND t.received_at > $4 AND t.received_at <= $2
         AND (t.breach_count > 0 OR t.reopen_count > 0)
      UNION ALL
      SELECT p.customer_id, 0, $9::int, 0
        FROM promises p
       WHERE p.team_id = ANY($1) AND p.status = 'broken' AND p.closed_at > $5 AND p.closed_at <= $2
      UNION ALL
      SELECT s.customer_id, 0, $11::int, 0
        FROM satisfaction_scores s
       WHERE s.score <= $12::int AND s.at > $6 AND s.at <= $2
         AND ($7::boolean OR EXISTS (SELECT 1 FROM tickets t WHERE t.id = s.ticket_id AND t.team_id = ANY($1)))
      UNION ALL
      SELECT c.id, 0, 0, CASE c.tier WHEN 'vip' THEN $13::int ELSE $14::int END
        FROM customers c WHERE c.tier <> 'standard'
      UNION ALL
      SELECT c.id, 0, 0, -1000000 FROM customers c WHERE c.churned_at IS NOT NULL`;

const CONTACT_POINTS = (contacts: string) =>
  `$15::int * least(greatest(${contacts} - 1, 0), $16::int)`;

/** Tickets the customer sent in the contacts window (in scope). */
const CONTACTS_OF = (customer: string) => `(
  SELECT count(*)::int FROM tickets t
   WHERE t.customer_id = ${customer} AND t.received_at > $3 AND t.received_at <= $2
     AND ($7::boolean OR t.team_id = ANY($1)))`;

/** The whole ranking: contacts as rows too, every customer scored. $17/$18 cursor, $19 limit. */
const RANKING_SQL = `
WITH signals AS (
  SELECT x.customer_id, sum(x.contact)::int AS contacts, sum(x.points)::int AS points,
         sum(x.tier)::int AS tier_points
    FROM (
      SELECT t.customer_id, 1 AS contact, 0 AS points, 0 AS tier
        FROM tickets t
       WHERE t.team_id = ANY($1) AND t.received_at > $3 AND t.received_at <= $2
      UNION ALL ${SIGNAL_ROWS}
    ) x
   GROUP BY x.customer_id
),
scored AS (
  SELECT s.customer_id, s.tier_points + s.points + ${CONTACT_POINTS('s.contacts')} AS score
    FROM signals s
   WHERE s.tier_points >= 0 AND (s.points > 0 OR s.contacts > 1)
)
SELECT customer_id, score FROM scored
 WHERE $17::int IS NULL OR score < $17 OR (score = $17 AND customer_id > $18::uuid)
 ORDER BY score DESC, customer_id
 LIMIT $19`;

/**
 * The first page without counting every contact. A customer's score is its floor (tier and the
 * other signals) plus at most $16 × $15 for contacts. The true scores of the 4 × $17 customers
 * with the highest floors give a $17-th best score S; anyone whose floor plus the most contacts
 * can give stays under S cannot make the page, nor can a customer with only contacts when S is
 * above $18 (the most tier and contacts alone give). So contacts are counted, per customer by
 * index, only for the few left. Returns no rows when S does not clear $18: then RANKING_SQL.
 */
const FIRST_PAGE_SQL = `
WITH other AS (
  SELECT x.customer_id, sum(x.points)::int AS points, sum(x.tier)::int AS tier_points
    FROM (${SIGNAL_ROWS}) x
   GROUP BY x.customer_id
),
floors AS MATERIALIZED (
  SELECT customer_id, tier_points + points AS floor FROM other WHERE tier_points >= 0 AND points > 0
),
probe AS (
  SELECT f.customer_id, f.floor + ${CONTACT_POINTS(CONTACTS_OF('f.customer_id'))} AS score
    FROM (SELECT * FROM floors ORDER BY floor DESC, customer_id LIMIT 4 * $17::int) f
),
bar AS (SELECT score FROM probe ORDER BY score DESC OFFSET $17::int - 1 LIMIT 1),
candidates AS (
  SELECT f.* FROM floors f, bar
   WHERE bar.score > $18::int AND f.floor + $15::int * $16::int >= bar.score
)
SELECT c.customer_id, c.floor + ${CONTACT_POINTS(CONTACTS_OF('c.customer_id'))} AS score
  FROM candidates c
 ORDER BY score DESC, c.customer_id
 LIMIT $17`;

/** The counts behind each listed customer's score, per factor, in the same windows. */
const REASONS_SQL = `
SELECT c.id, c.name, c.email, c.tier,
       (SELECT count(*) FROM tickets t
         WHERE t.customer_id = c.id AND t.team_id = ANY($1)
           AND t.received_at > $3 AND t.received_at <= $2)::int AS contacts,
       trouble.breaches, trouble.reopenings,
       (SELECT count(*) FROM promises p
         WHERE p.customer_id = c.id AND p.team_id = ANY($1) AND p.status = 'broken'
           AND p.closed_at > $5 AND p.closed_at <= $2)::int AS broken,
       (SELECT count(*) FROM satisfaction_scores s
         WHERE s.customer_id = c.id AND s.score <= $9::int AND s.at > $6 AND s.at <= $2
           AND ($7::boolean OR EXISTS (SELECT 1 FROM tickets t WHERE t.id = s.ticket_id AND t.team_id = ANY($1))))::int
         AS low
  FROM customers c
  CROSS JOIN LATERAL (
    SELECT coalesce(sum(t.breach_count), 0)::int AS breaches, coalesce(sum(t.reopen_count), 0)::int AS reopenings
      FROM tickets t
     WHERE t.customer_id = c.id AND t.team_id = ANY($1) AND t.received_at > $4 AND t.received_at <= $2
  ) trouble
 WHERE c.id = ANY($8::uuid[])`;

interface ReasonRow {
  id: string;
  name: string;
  email: string;
  tier: Tier;
  contacts: number;
  breaches: number;
  reopenings: number;
  broken: number;
  low: number;
}

/** Any stored UUID (not only RFC 4122 versions): the id comes from our own database. */
const rankCursor = z.object({
  score: z.number().int(),
  id: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i),
});
const DAY_MS = 86_400_000;

export async function atRiskReport(
  ctx: ReportContext,
  actor: Actor,
  query: AtRiskReportQuery,
): Promise<AtRiskReport> {
  const scope = await reportScope(ctx, actor, query.teamId);
  const now = ctx.clock.now();
  const after = query.cursor ? decodeCursor(query.cursor, rankCursor) : null;
  const since = (days: number) => new Date(now.getTime() - days * DAY_MS);
  const windows = [
    scope.teams.map((team) => team.id),
    now,
    since(S.repeatContacts.windowDays),
    since(S.breaches.windowDays),
    since(S.brokenPromises.windowDays),
    since(S.lowSatisfaction.windowDays),
    scope.teamId === null,
  ];
  const weights = [
    S.breaches.pointsEach,
    S.brokenPromises.pointsEach,
    S.reopenings.pointsEach,
    S.lowSatisfaction.pointsEach,
    S.lowSatisfaction.scoreAtMost,
    S.tier.vip,
    S.tier.high_value,
    S.repeatContacts.pointsEach,
    S.repeatContacts.cap,
  ];
  const contactsAlone = S.tier.vip + S.repeatContacts.pointsEach * S.repeatContacts.cap;
  const { ranked, details } = await inReportSnapshot(
    ctx,
    async (q) => {
      type Ranked = { customer_id: string; score: number };
      let ranked: Ranked[] = [];
      if (!after) {
        ranked = await q<Ranked>(FIRST_PAGE_SQL, [
          ...windows,
          ...weights,
          query.limit + 1,
          contactsAlone,
        ]);
      }
      if (ranked.length === 0) {
        ranked = await q<Ranked>(RANKING_SQL, [
          ...windows,
          ...weights,
          after?.score ?? null,
          after?.id ?? null,
          query.limit + 1,
        ]);
      }
      const ids = ranked.slice(0, query.limit).map((row) => row.customer_id);
      const details = ids.length
        ? await q<ReasonRow>(REASONS_SQL, [...windows, ids, S.lowSatisfaction.scoreAtMost])
        : [];
      return { ranked, details };
    },
    { serial: true },
  );
  const byId = new Map(details.map((row) => [row.id, row]));
  const items: AtRiskCustomer[] = [];
  for (const { customer_id: id } of ranked.slice(0, query.limit)) {
    const row = byId.get(id);
    if (row) items.push(explain(row));
  }
  const last = ranked[query.limit - 1];
  return {
    report: 'at-risk-customers',
    teamId: scope.teamId,
    asOf: now.toISOString(),
    scoring: SCORING_EXPLAINED,
    items,
    nextCursor:
      ranked.length > query.limit && last
        ? encodeCursor({ score: last.score, id: last.customer_id })
        : null,
  };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The reasons behind a score; their points add up to it. */
export function explain(row: ReasonRow): AtRiskCustomer {
  const reasons: AtRiskReason[] = [];
  const tierPoints = S.tier[row.tier];
  if (tierPoints > 0) {
    reasons.push({
      factor: 'tier',
      count: 1,
      points: tierPoints,
      text: row.tier === 'vip' ? 'VIP customer' : 'High-value customer',
    });
  }
  const repeats = Math.max(0, row.contacts - 1);
  if (repeats > 0) {
    const counted = Math.min(repeats, S.repeatContacts.cap);
    reasons.push({
      factor: 'repeat_contacts',
      count: repeats,
      points: counted * S.repeatContacts.pointsEach,
      text:
        `${plural(row.contacts, 'ticket')} in the last ${S.repeatContacts.windowDays} days: ` +
        `${plural(repeats, 'repeat contact')}` +
        (repeats > counted ? ` (counted up to ${S.repeatContacts.cap})` : ''),
    });
  }
  const add = (factor: AtRiskFactor, count: number, each: number, text: string) => {
    if (count > 0) reasons.push({ factor, count, points: count * each, text });
  };
  add(
    'breaches',
    row.breaches,
    S.breaches.pointsEach,
    `${plural(row.breaches, 'deadline')} breached on tickets received in the last ${S.breaches.windowDays} days`,
  );
  add(
    'broken_promises',
    row.broken,
    S.brokenPromises.pointsEach,
    `${plural(row.broken, 'promise')} broken in the last ${S.brokenPromises.windowDays} days`,
  );
  add(
    'reopenings',
    row.reopenings,
    S.reopenings.pointsEach,
    `${plural(row.reopenings, 'reopening')} of tickets received in the last ${S.reopenings.windowDays} days`,
  );
  add(
    'low_satisfaction',
    row.low,
    S.lowSatisfaction.pointsEach,
    `${plural(row.low, 'satisfaction score')} of ${S.lowSatisfaction.scoreAtMost} or less in the last ${S.lowSatisfaction.windowDays} days`,
  );
  return {
    customerId: row.id,
    name: row.name,
    email: row.email,
    tier: row.tier,
    score: reasons.reduce((sum, reason) => sum + reason.points, 0),
    reasons,
  };
}

/** One CSV row per customer; the reasons in one field, "; "-separated. */
export function atRiskCsvRows(report: AtRiskReport): { header: string[]; rows: unknown[][] } {
  const count = (item: AtRiskCustomer, factor: AtRiskFactor) =>
    item.reasons.find((reason) => reason.factor === factor)?.count ?? 0;
  return {
    header: [
      'customer_id',
      'name',
      'email',
      'tier',
      'score',
      'repeat_contacts',
      'breaches',
      'broken_promises',
      'reopenings',
      'low_satisfaction',
      'reasons',
    ],
    rows: report.items.map((item) => [
      item.customerId,
      item.name,
      item.email,
      item.tier,
      item.score,
      count(item, 'repeat_contacts'),
      count(item, 'breaches'),
      count(item, 'broken_promises'),
      count(item, 'reopenings'),
      count(item, 'low_satisfaction'),
      item.reasons.map((reason) => `${reason.text} (+${reason.points})`).join('; '),
    ]),
  };
}
