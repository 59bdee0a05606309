import { DateTime } from 'luxon';
import type { Actor } from '../actor';
import type { ServiceContext } from '../context';
import { Forbidden, InvalidInput, NotFound } from '../errors';

/** Reports only read; they need the database and the clock, nothing else. */
export type ReportContext = Pick<ServiceContext, 'dataSource' | 'clock'>;

export interface ReportTeam {
  id: string;
  name: string;
  timezone: string;
}

/** The teams a report covers and the timezone its days are counted in. */
export interface ReportScope {
  /** The team asked for (a supervisor's own team), or null for every team (admins only). */
  teamId: string | null;
  teams: ReportTeam[];
  /** The team's timezone for one team; UTC across teams. */
  timezone: string;
}

export interface ReportPeriod {
  from: Date;
  to: Date;
}

export const DEFAULT_PERIOD_DAYS = 30;
/** Bounds the work of one report; longer views are several requests. */
export const MAX_PERIOD_DAYS = 366;

/**
 * Who may see which team's reports: a supervisor its own team (asking for another is refused),
 * an admin one team or all of them. Everyone else is refused.
 */
export async function reportScope(
  ctx: ReportContext,
  actor: Actor,
  teamId: string | undefined,
): Promise<ReportScope> {
  if (actor.role !== 'supervisor' && actor.role !== 'admin') {
    throw new Forbidden('Only supervisors and admins see reports.');
  }
  if (actor.role === 'supervisor' && teamId !== undefined && teamId !== actor.teamId) {
    throw new Forbidden("You can see only your own team's reports.");
  }
  const wanted = actor.role === 'supervisor' ? actor.teamId : (teamId ?? null);
  const teams: ReportTeam[] = await ctx.dataSource.query(
    `SELECT id, name, timezone FROM teams WHERE ($1::uuid IS NULL OR id = $1) ORDER BY name, id`,
    [wanted],
  );
  if (wanted !== null) {
    const team = teams[0];
    if (!team) throw new NotFound(`No team ${wanted}.`);
    return { teamId: wanted, teams, timezone: team.timezone };
  }
  return { teamId: null, teams, timezone: 'UTC' };
}

/**
 * The half-open period [from, to) a report covers. A date means that whole day in the report's
 * timezone (so `to=2026-03-31` includes the 31st); a date-time is taken as given. Without
 * bounds: the last 30 days up to now.
 */
export function reportPeriod(
  query: { from?: string | undefined; to?: string | undefined },
  timezone: string,
  now: Date,
): ReportPeriod {
  const to = query.to ? instantOf(query.to, timezone, 'to', true) : now;
  const from = query.from
    ? instantOf(query.from, timezone, 'from', false)
    : new Date(to.getTime() - DEFAULT_PERIOD_DAYS * 86_400_000);
  if (from >= to) throw InvalidInput.field('to', 'must be after from');
  if (to.getTime() - from.getTime() > MAX_PERIOD_DAYS * 86_400_000) {
    throw InvalidInput.field('to', `must be at most ${MAX_PERIOD_DAYS} days after from`);
  }
  return { from, to };
}

function instantOf(value: string, timezone: string, field: string, endOfDay: boolean): Date {
  if (value.includes('T')) return new Date(value);
  const day = DateTime.fromISO(value, { zone: timezone }).startOf('day');
  if (!day.isValid) throw InvalidInput.field(field, 'is not a calendar date');
  return (endOfDay ? day.plus({ days: 1 }) : day).toJSDate();
}

/** Each local day of the period, "YYYY-MM-DD", in order. */
export function daysOf(period: ReportPeriod, timezone: string): string[] {
  const days: string[] = [];
  let day = DateTime.fromJSDate(period.from, { zone: timezone }).startOf('day');
  const last = DateTime.fromJSDate(new Date(period.to.getTime() - 1), { zone: timezone });
  while (day <= last) {
    days.push(day.toISODate() ?? '');
    day = day.plus({ days: 1 }).startOf('day');
  }
  return days;
}

/** A ratio for display: four decimals, or null when there is nothing to divide. */
export function ratio(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null;
}

export type ReportQuery = <Row>(sql: string, parameters: unknown[]) => Promise<Row[]>;

export interface SnapshotOptions {
  /**
   * Hash joins only: for queries joining a sample whose size the planner cannot know, where a
   * misestimated merge join re-sorts the other side many times over.
   */
  hashJoins?: boolean;
  /**
   * No parallel workers: for one big hash aggregate, where gathering and merging partial
   * aggregates from workers costs more than it saves on two cores.
   */
  serial?: boolean;
}

/**
 * Runs report queries in one read-only, repeatable-read snapshot. JIT compilation is off (its
 * compile time exceeds these queries' run time) and sorts and hashes get room to stay in memory.
 */
export async function inReportSnapshot<T>(
  ctx: ReportContext,
  work: (query: ReportQuery) => Promise<T>,
  options: SnapshotOptions = {},
): Promise<T> {
  return ctx.dataSource.transaction('REPEATABLE READ', async (manager) => {
    await manager.query(`SET TRANSACTION READ ONLY`);
    await manager.query(
      `SELECT set_config('jit', 'off', true), set_config('work_mem', '32MB', true),
              CASE WHEN $1 THEN set_config('enable_mergejoin', 'off', true) END,
              CASE WHEN $2 THEN set_config('max_parallel_workers_per_gather', '0', true) END`,
      [options.hashJoins === true, options.serial === true],
    );
    return work((sql, parameters) => manager.query(sql, parameters));
  });
}
