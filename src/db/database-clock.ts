import type { DataSource } from 'typeorm';
import { systemClock, type Clock } from '../clock';
import type { Logger } from '../logger';

/**
 * "Now" as Postgres sees it. API and worker hosts may disagree with each other by minutes (a
 * worker two minutes fast would record breaches of deadlines the database says were met), so
 * each process measures its host's offset from the database clock at start and every minute and
 * adds it to the host time. An offset beyond `maxSkewMs` is corrected too, but logged loudly:
 * the host's time service needs fixing.
 */
export interface DatabaseClock extends Clock {
  /** Database time minus host time at the last measurement, in ms. */
  offsetMs(): number;
  stop(): void;
}

export interface DatabaseClockOptions {
  host?: Clock;
  periodMs?: number;
  maxSkewMs?: number;
  /** Told each measurement (e.g. for a metric). */
  onMeasured?: (offsetMs: number) => void;
}

export async function measureOffsetMs(dataSource: DataSource, host: Clock): Promise<number> {
  const before = host.now().getTime();
  const [row]: Array<{ at: Date }> = await dataSource.query('SELECT clock_timestamp() AS at');
  const after = host.now().getTime();
  // The database read its clock somewhere in the round trip: assume the middle.
  return new Date(row!.at).getTime() - (before + after) / 2;
}

export async function startDatabaseClock(
  dataSource: DataSource,
  logger: Logger,
  options: DatabaseClockOptions = {},
): Promise<DatabaseClock> {
  const host = options.host ?? systemClock;
  const maxSkewMs = options.maxSkewMs ?? 2_000;
  let offset = 0;
  const measure = async () => {
    offset = await measureOffsetMs(dataSource, host);
    options.onMeasured?.(offset);
    if (Math.abs(offset) > maxSkewMs) {
      logger.error(
        { clockOffsetMs: Math.round(offset), maxSkewMs },
        `this host's clock is ${Math.round(Math.abs(offset))} ms ${offset > 0 ? 'behind' : 'ahead of'} Postgres: using Postgres time; fix the host's time synchronisation (NTP)`,
      );
    }
  };
  await measure();
  const timer = setInterval(() => {
    measure().catch((error: unknown) =>
      logger.warn({ err: error }, 'could not measure the clock offset; keeping the last one'),
    );
  }, options.periodMs ?? 60_000);
  timer.unref();
  return {
    now: () => new Date(host.now().getTime() + offset),
    offsetMs: () => offset,
    stop: () => clearInterval(timer),
  };
}
