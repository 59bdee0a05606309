/**
 * Seeds a database with a year of helpdesk history for the reports: teams, agents, customers and
 * (by default) one million tickets with first responses, breaches, reopenings, root causes,
 * promises (some broken), satisfaction scores and churned customers.
 *
 * The target is always named explicitly and never the DATABASE_URL database itself: the database
 * `ownit_seed` (or --database NAME) on the server DATABASE_URL points at (default localhost). It is
 * created and migrated if missing; a database that already holds tickets is refused unless
 * --reset is given, which drops and recreates it. The database is left in place for
 * `npm run bench:reports`; drop it with `dropdb ownit_seed`.
 *
 * Rows are generated inside Postgres (INSERT … SELECT generate_series) in batches. Secondary
 * indexes of the bulk-loaded tables are dropped first and rebuilt at the end (faster than
 * maintaining them row by row), then VACUUM ANALYZE sets statistics and the visibility map.
 *
 * Run: npm run seed:million [-- --tickets 1000000 --teams 20 --agents 400 --customers 100000
 *                              --database ownit_seed --reset]
 */
import { Client } from 'pg';
import { ensureAdminWithToken } from '../src/agents/admin-bootstrap';
import { generateToken } from '../src/agents/tokens';
import { loadConfig } from '../src/config';
import { openDatabase } from '../src/db/data-source';
import { ensureDatabaseExists } from '../src/db/ensure-database';
import { DEFAULT_POLICY } from '../src/deadline-rules/business-calendar';
import { bar, progress } from './bench/bench-environment';

export const DEFAULT_SEED_DATABASE = 'ownit_seed';

interface SeedOptions {
  tickets: number;
  teams: number;
  agents: number;
  customers: number;
  database: string;
  reset: boolean;
  batch: number;
}

function numberArgument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`--${name} must be a positive whole number`);
  }
  return value;
}

function stringArgument(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? (process.argv[index + 1] ?? '') : fallback;
}

function parseOptions(): SeedOptions {
  const database = stringArgument('database', DEFAULT_SEED_DATABASE);
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(database)) {
    throw new Error('--database must be a plain identifier (letters, digits, underscore)');
  }
  const options = {
    tickets: numberArgument('tickets', 1_000_000),
    teams: numberArgument('teams', 20),
    agents: numberArgument('agents', 400),
    customers: numberArgument('customers', 100_000),
    database,
    reset: process.argv.includes('--reset'),
    batch: numberArgument('batch', 50_000),
  };
  if (options.agents < options.teams * 2) {
    throw new Error('--agents must allow a supervisor and at least one rep per team');
  }
  return options;
}

/** The database URL of the seed target: DATABASE_URL's server, the seed database's name. */
export function seedDatabaseUrl(database = DEFAULT_SEED_DATABASE): string {
  const url = new URL(loadConfig().databaseUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

const BULK_TABLES = ['tickets', 'deadline_actions', 'promises', 'satisfaction_scores'];
const TIMEZONES = [
  'Europe/Berlin',
  'America/New_York',
  'Europe/London',
  'Asia/Tokyo',
  'Australia/Sydney',
];
const WEEKDAY_HOURS = { open: '08:00', close: '18:00' };

/**
 * A deterministic id: the md5 of a name, with the version and variant bits of a random (v4)
 * UUID, so seeded ids pass the API's UUID validation like real ones.
 */
const seedId = (name: string) =>
  `overlay(overlay(md5(${name}) placing '4' from 13) placing '8' from 17)::uuid`;

/**
 * One batch of tickets, numbered lo..hi-1. Every random draw of a row is made once (the
 * materialised `draw`), then turned into a consistent history: a reopened ticket's clock
 * restarts after its arrival; a first response is on time (90 %), late (7 %) or missing; a
 * ticket is resolved with a root cause once old enough; breach_count matches the breaches that
 * the next statements record in deadline_actions.
 */
const TICKETS_SQL = `
WITH draw AS MATERIALIZED (
  SELECT i,
         floor(random() * $3)::int AS team_n,
         floor(random() * $4)::int AS rep_n,
         floor($5 * power(random(), 1.3))::int AS customer_n,
         $6::timestamptz - random() * interval '365 days' AS received_at,
         random() AS r_reopen, random() AS r_due, random() AS r_answer, random() AS r_answer_at,
         random() AS r_resolve, random() AS r_resolve_at, random() AS r_silo, random() AS r_category,
         random() AS r_update, random() AS r_wait
    FROM generate_series($1::int, $2::int - 1) AS i
),
clock AS (
  SELECT d.*, c.reopen_count, d.received_at + c.reopen_count * interval '2 days' AS clock_at
    FROM draw d,
         LATERAL (SELECT CASE
                           WHEN d.received_at > $6::timestamptz - interval '6 days' THEN 0
                           WHEN d.r_reopen < 0.05 THEN 1
                           WHEN d.r_reopen < 0.06 THEN 2
                           ELSE 0
                         END AS reopen_count) c
),
due AS (
  SELECT c.*, c.clock_at + (1 + 9 * c.r_due) * interval '1 hour' AS due_at FROM clock c
),
answer AS (
  SELECT d.*,
         CASE WHEN candidate <= $6::timestamptz THEN candidate END AS responded_at
    FROM due d,
         LATERAL (SELECT CASE
                           WHEN d.r_answer < 0.9 THEN d.clock_at + (d.due_at - d.clock_at) * d.r_answer_at
                           WHEN d.r_answer < 0.97 THEN d.due_at + (0.5 + 40 * d.r_answer_at) * interval '1 hour'
                           WHEN d.received_at < $6::timestamptz - interval '14 days'
                             THEN d.due_at + (2 + 60 * d.r_answer_at) * interval '1 hour'
                         END AS candidate) a
),
outcome AS (
  SELECT a.*,
         a.responded_at IS NOT NULL AND a.r_resolve < CASE
           WHEN a.received_at < $6::timestamptz - interval '14 days' THEN 0.97
           WHEN a.received_at < $6::timestamptz - interval '2 days' THEN 0.7
           ELSE 0.2 END AS resolved,
         coalesce(a.responded_at > a.due_at, a.due_at < $6::timestamptz)::int
           AS first_response_breaches,
         CASE
           WHEN a.responded_at IS NULL OR a.responded_at > $6::timestamptz - interval '3 days' THEN 0
           WHEN a.r_update < 0.03 THEN 1
           WHEN a.r_update < 0.04 THEN 2
           ELSE 0
         END AS update_breaches
    FROM answer a
),
final AS (
  SELECT o.*,
         CASE WHEN o.resolved
           THEN least($6::timestamptz, o.responded_at + (1 + 120 * o.r_resolve_at * o.r_resolve_at) * interval '1 hour')
         END AS resolved_at,
         CASE
           WHEN o.r_silo < 0.28 THEN 'billing'
           WHEN o.r_silo < 0.50 THEN 'field_service'
           WHEN o.r_silo < 0.65 THEN 'network'
           WHEN o.r_silo < 0.77 THEN 'customer_care'
           WHEN o.r_silo < 0.87 THEN 'product'
           WHEN o.r_silo < 0.93 THEN 'sales'
           WHEN o.r_silo < 0.97 THEN 'marketing'
           ELSE 'other'
         END AS silo,
         1 + floor(4 * power(o.r_category, 1.7))::int AS category_n
    FROM outcome o
)
INSERT INTO tickets (customer_id, team_id, owner_id, created_by_id, subject, description, channel,
                     priority, status, received_at, response_clock_started_at,
                     first_response_due_at, first_responded_at, next_update_due_at,
                     last_public_update_at, escalation_level, resolved_at, resolution,
                     root_cause_silo, root_cause_category, closed_at, reopen_count, breach_count,
                     deadline_version)
SELECT ${seedId("'seed-customer-' || f.customer_n")},
       ${seedId("'seed-team-' || f.team_n")},
       ${seedId("'seed-rep-' || (f.team_n * $4 + f.rep_n)")},
       ${seedId("'seed-rep-' || (f.team_n * $4 + f.rep_n)")},
       'Seeded concern ' || f.i,
       'Seeded for the reports benchmark',
       (ARRAY['phone', 'email', 'web', 'chat', 'api'])[1 + f.i % 5],
       (ARRAY['normal', 'normal', 'normal', 'high', 'low', 'urgent'])[1 + f.i % 6],
       CASE
         WHEN f.resolved AND f.resolved_at < $6::timestamptz - interval '30 days' AND f.r_wait < 0.5
           THEN 'closed'
         WHEN f.resolved THEN 'resolved'
         WHEN f.responded_at IS NOT NULL AND f.r_wait < 0.2 THEN 'waiting_on_customer'
         ELSE 'open'
       END,
       f.received_at, f.clock_at, f.due_at, f.responded_at,
       CASE WHEN NOT f.resolved AND f.responded_at IS NOT NULL AND f.r_wait >= 0.2
         THEN $6::timestamptz + (1 + 20 * f.r_update) * interval '1 hour' END,
       f.responded_at,
       least(f.first_response_breaches + f.update_breaches, 1),
       f.resolved_at,
       CASE WHEN f.resolved THEN 'Seeded resolution' END,
       CASE WHEN f.resolved THEN f.silo END,
       CASE WHEN f.resolved THEN (CASE f.silo
         WHEN 'billing' THEN ARRAY['promo_code_missing', 'double_charge', 'wrong_tariff', 'late_refund']
         WHEN 'field_service' THEN ARRAY['technician_no_show', 'late_installation', 'faulty_install', 'missing_equipment']
         WHEN 'network' THEN ARRAY['outage', 'slow_speed', 'intermittent_drop', 'dns']
         WHEN 'customer_care' THEN ARRAY['wrong_information', 'callback_missed', 'rude_agent', 'lost_request']
         WHEN 'product' THEN ARRAY['router_defect', 'app_bug', 'feature_missing', 'firmware']
         WHEN 'sales' THEN ARRAY['missold_plan', 'contract_terms', 'wrong_address', 'upsell']
         WHEN 'marketing' THEN ARRAY['misleading_offer', 'spam', 'unclear_pricing', 'expired_offer']
         ELSE ARRAY['unknown', 'customer_error', 'duplicate', 'other']
       END)[f.category_n] END,
       CASE WHEN f.resolved AND f.resolved_at < $6::timestamptz - interval '30 days' AND f.r_wait < 0.5
         THEN f.resolved_at + interval '7 days' END,
       f.reopen_count,
       f.first_response_breaches + f.update_breaches,
       1 + f.reopen_count
  FROM final f`;

/** Breaches of the tickets numbered in (lo, hi]: the first response, then next updates. */
const BREACHES_SQL = `
INSERT INTO deadline_actions (ticket_id, team_id, kind, deadline_version, step, due_at, acted_at,
                              owner_id, escalation_level)
SELECT t.id, t.team_id, 'first_response', t.deadline_version, 'breached', t.first_response_due_at,
       t.first_response_due_at + interval '2 seconds', t.owner_id, 1
  FROM tickets t
 WHERE t.number > $1 AND t.number <= $2
   AND (t.first_responded_at > t.first_response_due_at
        OR (t.first_responded_at IS NULL AND t.first_response_due_at < $3::timestamptz))
UNION ALL
SELECT t.id, t.team_id, 'next_update', t.deadline_version + n, 'breached',
       t.first_responded_at + n * interval '25 hours',
       t.first_responded_at + n * interval '25 hours' + interval '2 seconds', t.owner_id, 1
  FROM tickets t,
       LATERAL generate_series(1, t.breach_count - coalesce(
         t.first_responded_at > t.first_response_due_at, t.first_response_due_at < $3::timestamptz)::int) AS n
 WHERE t.number > $1 AND t.number <= $2 AND t.breach_count > 0`;

/**
 * Promises on about 8 % of the tickets (a tenth of those get two): mostly field service and
 * billing; still open when due in the future, otherwise kept, cancelled or broken (about 18 %,
 * more often when the ticket was breached). Broken promises close at their due time, as the
 * worker marks them.
 */
const PROMISES_SQL = `
WITH made AS (
  SELECT t.id AS ticket_id, t.customer_id, t.team_id, t.owner_id,
         coalesce(t.first_responded_at, t.received_at) + random() * interval '2 hours' AS created_at,
         t.breach_count, random() AS r_silo, random() AS r_status, random() AS r_due
    FROM tickets t,
         LATERAL generate_series(1, CASE WHEN random() < 0.1 THEN 2 ELSE 1 END) AS n
   WHERE t.number > $1 AND t.number <= $2 AND random() < 0.08
),
dated AS (
  SELECT m.*, m.created_at + (1 + 96 * m.r_due) * interval '1 hour' AS due_at FROM made m
),
decided AS (
  SELECT d.*,
         CASE
           WHEN d.due_at > $3::timestamptz THEN 'open'
           WHEN d.r_status < CASE WHEN d.breach_count > 0 THEN 0.35 ELSE 0.15 END THEN 'broken'
           WHEN d.r_status > 0.94 THEN 'cancelled'
           ELSE 'kept'
         END AS status
    FROM dated d
)
INSERT INTO promises (ticket_id, customer_id, team_id, made_by_id, description, due_at, silo,
                      status, note, closed_at, closed_by_id, created_at)
SELECT ticket_id, customer_id, team_id, owner_id,
       CASE WHEN r_silo < 0.45 THEN 'Technician visit' WHEN r_silo < 0.75 THEN 'Credit on the next bill'
            ELSE 'Call back with an answer' END,
       due_at,
       CASE WHEN r_silo < 0.45 THEN 'field_service' WHEN r_silo < 0.75 THEN 'billing'
            WHEN r_silo < 0.85 THEN 'network' WHEN r_silo < 0.95 THEN 'customer_care' ELSE 'sales' END,
       status,
       CASE status WHEN 'cancelled' THEN 'Customer no longer needs it' END,
       CASE status
         WHEN 'open' THEN NULL
         WHEN 'broken' THEN due_at
         WHEN 'kept' THEN due_at - (due_at - created_at) * r_status
         ELSE created_at + interval '1 hour'
       END,
       CASE WHEN status IN ('kept', 'cancelled') THEN owner_id END,
       created_at
  FROM decided`;

/** Scores for about 35 % of resolved tickets; breached or reopened tickets score lower. */
const SCORES_SQL = `
WITH rated AS (
  SELECT t.id, t.customer_id, t.owner_id, t.resolved_at, random() AS u,
         (t.breach_count > 0 OR t.reopen_count > 0) AS troubled
    FROM tickets t
   WHERE t.number > $1 AND t.number <= $2 AND t.resolved_at IS NOT NULL AND random() < 0.35
)
INSERT INTO satisfaction_scores (ticket_id, customer_id, owner_id, score, at)
SELECT id, customer_id, owner_id,
       CASE
         WHEN u < CASE WHEN troubled THEN 0.20 ELSE 0.04 END THEN 1
         WHEN u < CASE WHEN troubled THEN 0.35 ELSE 0.09 END THEN 2
         WHEN u < CASE WHEN troubled THEN 0.55 ELSE 0.20 END THEN 3
         WHEN u < CASE WHEN troubled THEN 0.80 ELSE 0.50 END THEN 4
         ELSE 5
       END,
       least($3::timestamptz, resolved_at + interval '1 day' + u * interval '2 days')
  FROM rated`;

async function prepareDatabase(options: SeedOptions): Promise<string> {
  const url = seedDatabaseUrl(options.database);
  const where = `${options.database} on ${new URL(url).host}`;
  if (options.reset) {
    const admin = new URL(url);
    admin.pathname = '/postgres';
    const client = new Client({ connectionString: admin.toString() });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${options.database}" WITH (FORCE)`);
    await client.end();
    progress(`--reset: dropped database ${where} if it existed`);
  }
  const state = await ensureDatabaseExists(url);
  progress(`seeding database ${where} (${state}); migrating`);
  const dataSource = await openDatabase(url, 2);
  try {
    const [{ count }] = await dataSource.query(`SELECT count(*)::int AS count FROM tickets`);
    if (count > 0) {
      throw new Error(
        `database ${where} already holds ${count} tickets; pass --reset to drop and reseed it`,
      );
    }
    // An admin to try the reports over HTTP against this database.
    const token = generateToken();
    await ensureAdminWithToken(dataSource, token);
    progress(`admin token for this database: ${token}`);
  } finally {
    await dataSource.destroy();
  }
  return url;
}

async function seedPeople(client: Client, options: SeedOptions, now: Date): Promise<void> {
  const repsPerTeam = Math.floor(options.agents / options.teams) - 1;
  const hours = Object.fromEntries(
    ['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => [day, WEEKDAY_HOURS]),
  );
  progress(`${options.teams} teams, ${options.teams * (repsPerTeam + 1)} agents`);
  await client.query(
    `INSERT INTO teams (id, name, timezone, business_hours, policy)
     SELECT ${seedId("'seed-team-' || n")}, 'Seed team ' || lpad((n + 1)::text, 3, '0'),
            ($2::text[])[1 + n % array_length($2::text[], 1)], $3::jsonb, $4::jsonb
       FROM generate_series(0, $1::int - 1) AS n`,
    [options.teams, TIMEZONES, JSON.stringify(hours), JSON.stringify(DEFAULT_POLICY)],
  );
  await client.query(
    `INSERT INTO agents (id, name, email, role, team_id, capacity, token_hash)
     SELECT ${seedId("'seed-sup-' || n")}, 'Supervisor ' || (n + 1), 'seed-sup-' || n || '@seed.invalid',
            'supervisor', ${seedId("'seed-team-' || n")}, 0, md5(random()::text || 'sup' || n)
       FROM generate_series(0, $1::int - 1) AS n`,
    [options.teams],
  );
  await client.query(
    `INSERT INTO agents (id, name, email, role, team_id, capacity, token_hash)
     SELECT ${seedId("'seed-rep-' || n")}, 'Rep ' || (n + 1), 'seed-rep-' || n || '@seed.invalid',
            'rep', ${seedId("'seed-team-' || (n / $2::int)")}, 50, md5(random()::text || 'rep' || n)
       FROM generate_series(0, $1::int * $2::int - 1) AS n`,
    [options.teams, repsPerTeam],
  );
  progress(`${options.customers} customers (3 % VIP, 10 % high value, 5 % churned)`);
  await client.query(
    `INSERT INTO customers (id, name, email, tier, churned_at, churn_reason, created_at)
     SELECT ${seedId("'seed-customer-' || n")}, 'Customer ' || (n + 1), 'customer' || n || '@seed.invalid',
            CASE WHEN r_tier < 0.03 THEN 'vip' WHEN r_tier < 0.13 THEN 'high_value' ELSE 'standard' END,
            CASE WHEN r_churn < 0.05 THEN $2::timestamptz - r_churn * 20 * interval '365 days' END,
            CASE WHEN r_churn < 0.05 THEN 'Seeded churn' END,
            $2::timestamptz - interval '400 days'
       FROM (SELECT n, random() AS r_tier, random() AS r_churn
               FROM generate_series(0, $1::int - 1) AS n) AS s`,
    [options.customers, now],
  );
}

interface DroppedIndex {
  name: string;
  definition: string;
}

/** Secondary indexes of the bulk tables (not those behind primary keys or constraints). */
async function dropSecondaryIndexes(client: Client): Promise<DroppedIndex[]> {
  const { rows } = await client.query<{ name: string; definition: string }>(
    `SELECT i.indexname AS name, i.indexdef AS definition
       FROM pg_indexes i
      WHERE i.schemaname = 'public' AND i.tablename = ANY($1)
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
      ORDER BY i.tablename, i.indexname`,
    [BULK_TABLES],
  );
  for (const index of rows) await client.query(`DROP INDEX "${index.name}"`);
  progress(`dropped ${rows.length} secondary indexes for the bulk load (rebuilt at the end)`);
  return rows;
}

async function rebuildIndexes(client: Client, indexes: DroppedIndex[]): Promise<void> {
  let done = 0;
  bar('rebuilding indexes', done, indexes.length);
  for (const index of indexes) {
    await client.query(index.definition);
    bar('rebuilding indexes', ++done, indexes.length);
  }
}

async function seedTickets(
  client: Client,
  options: SeedOptions,
  now: Date,
): Promise<Record<string, number>> {
  const repsPerTeam = Math.floor(options.agents / options.teams) - 1;
  const counts = { tickets: 0, breaches: 0, promises: 0, scores: 0 };
  bar('seeding tickets', 0, options.tickets);
  for (let lo = 0; lo < options.tickets; lo += options.batch) {
    const hi = Math.min(options.tickets, lo + options.batch);
    const before = await lastTicketNumber(client);
    const inserted = await client.query(TICKETS_SQL, [
      lo,
      hi,
      options.teams,
      repsPerTeam,
      options.customers,
      now,
    ]);
    const after = await lastTicketNumber(client);
    counts.tickets += inserted.rowCount ?? 0;
    counts.breaches += (await client.query(BREACHES_SQL, [before, after, now])).rowCount ?? 0;
    counts.promises += (await client.query(PROMISES_SQL, [before, after, now])).rowCount ?? 0;
    counts.scores += (await client.query(SCORES_SQL, [before, after, now])).rowCount ?? 0;
    bar('seeding tickets', hi, options.tickets);
  }
  return counts;
}

async function lastTicketNumber(client: Client): Promise<number> {
  // Only this script inserts tickets, so the sequence tells which numbers a batch took.
  const { rows } = await client.query<{ n: string }>(
    `SELECT (CASE WHEN is_called THEN last_value ELSE 0 END)::text AS n FROM ticket_number_seq`,
  );
  return Number(rows[0]?.n ?? 0);
}

async function main(): Promise<void> {
  const options = parseOptions();
  const started = Date.now();
  const url = await prepareDatabase(options);
  const now = new Date();
  const client = new Client({ connectionString: url });
  await client.connect();
  let dropped: DroppedIndex[] = [];
  try {
    await client.query(`SET synchronous_commit = off`);
    await client.query(`SET maintenance_work_mem = '512MB'`);
    await seedPeople(client, options, now);
    dropped = await dropSecondaryIndexes(client);
    const counts = await seedTickets(client, options, now);
    await rebuildIndexes(client, dropped);
    dropped = [];
    progress('VACUUM ANALYZE');
    await client.query(`VACUUM (ANALYZE) teams, agents, customers, ${BULK_TABLES.join(', ')}`);
    const [churned] = (
      await client.query(`SELECT count(*)::int AS n FROM customers WHERE churned_at IS NOT NULL`)
    ).rows;
    const [broken] = (
      await client.query(`SELECT count(*)::int AS n FROM promises WHERE status = 'broken'`)
    ).rows;
    console.log(
      JSON.stringify(
        {
          database: options.database,
          url: url.replace(/:[^:@/]*@/, ':***@'),
          teams: options.teams,
          customers: options.customers,
          churnedCustomers: churned.n,
          ...counts,
          brokenPromises: broken.n,
          seconds: Math.round((Date.now() - started) / 1000),
        },
        null,
        2,
      ),
    );
    progress(
      `seeded ${options.database}; run \`npm run bench:reports -- --database ${options.database}\`, drop it with \`dropdb ${options.database}\``,
    );
  } finally {
    // A failed load must not leave the database without its indexes.
    if (dropped.length) await rebuildIndexes(client, dropped).catch(() => undefined);
    await client.end();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`seeding failed: ${(error as Error).message}`);
    process.exit(1);
  });
}
