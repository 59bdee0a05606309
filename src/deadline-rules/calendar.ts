import { DateTime } from 'luxon';
import { zoneNamed } from './time-zones';
import { WEEKDAYS, type BusinessCalendar, type OpeningHours } from './business-calendar';

/**
 * Pure business-calendar arithmetic over a team's timezone, opening hours and holidays.
 * No clock, no I/O: every function takes the instants it reasons about. Local times are turned
 * into instants by Luxon, which knows each zone's DST rules; we never add offsets by hand.
 */

/** A calendar with no open weekday would never produce a deadline; team validation forbids it. */
const MAX_DAYS_SCANNED = 800;
const MINUTE_MS = 60_000;

export interface BusinessDayClose {
  /** The instant the business day closes. */
  at: Date;
  /** That business day, as a local date "YYYY-MM-DD" in the team's timezone. */
  localDate: string;
}

/** One business day's opening, as instants. */
export interface BusinessInterval {
  start: Date;
  end: Date;
  localDate: string;
}

export function openingHoursOn(
  calendar: BusinessCalendar,
  localDay: DateTime,
): OpeningHours | undefined {
  if (calendar.holidays.includes(localDay.toISODate() ?? '')) return undefined;
  const weekday = WEEKDAYS[localDay.weekday - 1];
  return weekday ? calendar.businessHours[weekday] : undefined;
}

/** "HH:MM" on a local day; "24:00" is the end of that day (the next day's midnight). */
function atLocalTime(localDay: DateTime, hhmm: string): DateTime {
  const [hour = 0, minute = 0] = hhmm.split(':').map(Number);
  const midnight = localDay.startOf('day');
  if (hour === 24) return midnight.plus({ days: 1 }).startOf('day');
  return midnight.set({ hour, minute, second: 0, millisecond: 0 });
}

function intervalOn(calendar: BusinessCalendar, localDay: DateTime): BusinessInterval | undefined {
  const hours = openingHoursOn(calendar, localDay);
  if (!hours) return undefined;
  return {
    start: atLocalTime(localDay, hours.open).toJSDate(),
    end: atLocalTime(localDay, hours.close).toJSDate(),
    localDate: localDay.toISODate() ?? '',
  };
}

function localDayOf(instant: Date, calendar: BusinessCalendar): DateTime {
  return DateTime.fromJSDate(instant, { zone: zoneNamed(calendar.timezone) }).startOf('day');
}

/** Business intervals from the day before `from` onwards (the day before may run past midnight). */
export function* intervalsForward(
  from: Date,
  calendar: BusinessCalendar,
): Generator<BusinessInterval> {
  let day = localDayOf(from, calendar).minus({ days: 1 });
  for (let i = 0; i < MAX_DAYS_SCANNED; i++, day = day.plus({ days: 1 }).startOf('day')) {
    const interval = intervalOn(calendar, day);
    if (interval && interval.end > from) yield interval;
  }
  throw new Error(
    `calendar in ${calendar.timezone} has no business day in ${MAX_DAYS_SCANNED} days`,
  );
}

/** Business intervals from the day of `from` backwards. */
export function* intervalsBackward(
  from: Date,
  calendar: BusinessCalendar,
): Generator<BusinessInterval> {
  let day = localDayOf(from, calendar);
  for (let i = 0; i < MAX_DAYS_SCANNED; i++, day = day.minus({ days: 1 }).startOf('day')) {
    const interval = intervalOn(calendar, day);
    if (interval && interval.start < from) yield interval;
  }
  throw new Error(
    `calendar in ${calendar.timezone} has no business day in ${MAX_DAYS_SCANNED} days`,
  );
}

/** The close of the first business day on or after the given local day. */
function closeOnOrAfter(calendar: BusinessCalendar, localDay: DateTime): BusinessDayClose {
  let day = localDay.startOf('day');
  for (let i = 0; i < MAX_DAYS_SCANNED; i++, day = day.plus({ days: 1 }).startOf('day')) {
    const hours = openingHoursOn(calendar, day);
    if (hours) {
      return { at: atLocalTime(day, hours.close).toJSDate(), localDate: day.toISODate() ?? '' };
    }
  }
  throw new Error(
    `calendar in ${calendar.timezone} has no business day in ${MAX_DAYS_SCANNED} days`,
  );
}

export interface ArrivalDay extends BusinessDayClose {
  /** The arrival was on a business day at or after the same-day cutoff. */
  cutoffApplied: boolean;
  arrivedOnBusinessDay: boolean;
  /** The cutoff in force on the arrival day ("HH:MM"), if it was a business day. */
  cutoff: string | null;
}

/**
 * Close of the business day a concern arriving at `arrival` belongs to: the same day if it is a
 * business day and arrival is before the same-day cutoff (default: the close), otherwise the
 * next business day.
 */
export function closeOfArrivalBusinessDay(arrival: Date, calendar: BusinessCalendar): ArrivalDay {
  const local = DateTime.fromJSDate(arrival, { zone: zoneNamed(calendar.timezone) });
  const hours = openingHoursOn(calendar, local);
  if (hours) {
    const cutoffTime = calendar.sameDayCutoff ?? hours.close;
    const cutoff = atLocalTime(local, cutoffTime < hours.close ? cutoffTime : hours.close);
    const beforeCutoff = local < cutoff;
    return {
      ...closeOnOrAfter(calendar, beforeCutoff ? local : local.plus({ days: 1 })),
      cutoffApplied: !beforeCutoff,
      arrivedOnBusinessDay: true,
      cutoff: cutoffTime < hours.close ? cutoffTime : hours.close,
    };
  }
  return {
    ...closeOnOrAfter(calendar, local.plus({ days: 1 })),
    cutoffApplied: false,
    arrivedOnBusinessDay: false,
    cutoff: null,
  };
}

/** Close of the first business day after the local day of `at`. */
export function closeOfNextBusinessDay(at: Date, calendar: BusinessCalendar): BusinessDayClose {
  const local = DateTime.fromJSDate(at, { zone: zoneNamed(calendar.timezone) });
  return closeOnOrAfter(calendar, local.plus({ days: 1 }));
}

/**
 * The instant `minutes` business minutes after `start`. Time outside business hours does not
 * count; a start outside hours begins counting at the next opening.
 */
export function addBusinessMinutes(start: Date, minutes: number, calendar: BusinessCalendar): Date {
  let remaining = Math.max(0, minutes) * MINUTE_MS;
  for (const interval of intervalsForward(start, calendar)) {
    const from = Math.max(interval.start.getTime(), start.getTime());
    const span = interval.end.getTime() - from;
    if (remaining <= span) return new Date(from + remaining);
    remaining -= span;
  }
  /* c8 ignore next */
  throw new Error('unreachable: intervalsForward throws when the calendar runs out');
}

/** The instant `minutes` business minutes before `end` (the mirror of addBusinessMinutes). */
export function subtractBusinessMinutes(
  end: Date,
  minutes: number,
  calendar: BusinessCalendar,
): Date {
  let remaining = Math.max(0, minutes) * MINUTE_MS;
  for (const interval of intervalsBackward(end, calendar)) {
    const to = Math.min(interval.end.getTime(), end.getTime());
    const span = to - interval.start.getTime();
    if (remaining <= span) return new Date(to - remaining);
    remaining -= span;
  }
  /* c8 ignore next */
  throw new Error('unreachable: intervalsBackward throws when the calendar runs out');
}

/** Business minutes between two instants (0 if `to` is not after `from`), minus excluded spans. */
export function businessMinutesBetween(
  from: Date,
  to: Date,
  calendar: BusinessCalendar,
  excluded: ReadonlyArray<{ from: Date; to: Date }> = [],
): number {
  if (to <= from) return 0;
  let total = 0;
  for (const interval of intervalsForward(from, calendar)) {
    if (interval.start >= to) break;
    const start = Math.max(interval.start.getTime(), from.getTime());
    const end = Math.min(interval.end.getTime(), to.getTime());
    if (end > start) total += end - start - overlapMs(start, end, excluded);
  }
  return total / MINUTE_MS;
}

function overlapMs(
  start: number,
  end: number,
  spans: ReadonlyArray<{ from: Date; to: Date }>,
): number {
  let overlap = 0;
  for (const span of spans) {
    const s = Math.max(start, span.from.getTime());
    const e = Math.min(end, span.to.getTime());
    if (e > s) overlap += e - s;
  }
  return overlap;
}

/** Whether `at` falls within business hours. */
export function isWithinBusinessHours(at: Date, calendar: BusinessCalendar): boolean {
  for (const interval of intervalsForward(at, calendar)) {
    return interval.start <= at && at < interval.end;
  }
  return false;
}

/** `at` itself when within business hours, otherwise the start of the next business interval. */
export function nextOpening(at: Date, calendar: BusinessCalendar): Date {
  for (const interval of intervalsForward(at, calendar)) {
    return interval.start <= at ? at : interval.start;
  }
  /* c8 ignore next */
  throw new Error('unreachable: intervalsForward throws when the calendar runs out');
}

/**
 * The same point of the business day, `days` business days later: a start inside business hours
 * keeps its offset from that day's opening (clamped to the later day's close); a start outside
 * business hours counts from the next opening. Two business days after Friday 15:00 is Tuesday
 * 15:00; after Friday 18:00 (closed) it is Wednesday at opening.
 */
export function addBusinessDays(start: Date, days: number, calendar: BusinessCalendar): Date {
  const intervals = intervalsForward(start, calendar);
  const first = intervals.next().value as BusinessInterval;
  const offset = Math.max(0, start.getTime() - first.start.getTime());
  let target = first;
  for (let i = 0; i < Math.max(0, days); i++) target = intervals.next().value as BusinessInterval;
  return new Date(Math.min(target.start.getTime() + offset, target.end.getTime()));
}
