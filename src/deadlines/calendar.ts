import { DateTime } from 'luxon';
import { WEEKDAYS, type BusinessCalendar, type OpeningHours } from '../teams/business-calendar';

/**
 * Pure business-calendar arithmetic over a team's timezone, opening hours and holidays.
 * No clock, no I/O: every function takes the instant it reasons about.
 */

/** A calendar with no open weekday would never produce a deadline; team validation forbids it. */
const MAX_DAYS_SCANNED = 800;

export interface BusinessDayClose {
  /** The instant the business day closes. */
  at: Date;
  /** That business day, as a local date "YYYY-MM-DD" in the team's timezone. */
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

function atLocalTime(localDay: DateTime, hhmm: string): DateTime {
  const [hour, minute] = hhmm.split(':').map(Number);
  return localDay.set({ hour, minute, second: 0, millisecond: 0 });
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

/**
 * Close of the business day a concern arriving at `arrival` belongs to: the same day if it is a
 * business day and arrival is before the same-day cutoff (default: the close), otherwise the
 * next business day.
 */
export function closeOfArrivalBusinessDay(
  arrival: Date,
  calendar: BusinessCalendar,
): BusinessDayClose & { cutoffApplied: boolean; arrivedOnBusinessDay: boolean } {
  const local = DateTime.fromJSDate(arrival, { zone: calendar.timezone });
  const hours = openingHoursOn(calendar, local);
  if (hours) {
    const cutoff = atLocalTime(local, calendar.sameDayCutoff ?? hours.close);
    if (local < cutoff) {
      return {
        ...closeOnOrAfter(calendar, local),
        cutoffApplied: false,
        arrivedOnBusinessDay: true,
      };
    }
    return {
      ...closeOnOrAfter(calendar, local.plus({ days: 1 })),
      cutoffApplied: true,
      arrivedOnBusinessDay: true,
    };
  }
  return {
    ...closeOnOrAfter(calendar, local.plus({ days: 1 })),
    cutoffApplied: false,
    arrivedOnBusinessDay: false,
  };
}

/** Close of the first business day after the local day of `at`. */
export function closeOfNextBusinessDay(at: Date, calendar: BusinessCalendar): BusinessDayClose {
  const local = DateTime.fromJSDate(at, { zone: calendar.timezone });
  return closeOnOrAfter(calendar, local.plus({ days: 1 }));
}
