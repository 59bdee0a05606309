import { DateTime } from 'luxon';
import type { CustomerTier } from '../customers/customer.entity';
import type { BusinessCalendar, DeadlinePolicy } from '../teams/business-calendar';
import {
  addBusinessMinutes,
  businessMinutesBetween,
  closeOfArrivalBusinessDay,
  closeOfNextBusinessDay,
  subtractBusinessMinutes,
} from './calendar';

/**
 * When the owner must answer, and why. Pure: (instant, calendar, policy) in, instants and an
 * explanation out. The explanation is stored with the ticket so it can always say why it is due
 * when it is.
 */
export type DeadlineKind = 'first_response' | 'next_update';

export interface FirstResponseBasis {
  kind: 'first_response';
  dueAt: string;
  /** When the clock started: arrival, or the reopening. */
  clockStartedAt: string;
  clockStartedBy: 'arrival' | 'reopen';
  timezone: string;
  /** The business day whose close is the deadline ("YYYY-MM-DD", team timezone). */
  businessDay: string;
  businessDayCloseAt: string;
  arrivedOnBusinessDay: boolean;
  cutoff: string | null;
  cutoffApplied: boolean;
  tierRule: {
    tier: CustomerTier;
    withinBusinessMinutes: number;
    dueAt: string;
    applied: boolean;
  } | null;
  explanation: string;
}

export interface NextUpdateBasis {
  kind: 'next_update';
  dueAt: string;
  /** What set the deadline. */
  setBy: 'public_update' | 'customer_message' | 'resumed' | 'recomputed';
  setAt: string;
  timezone: string;
  businessDay: string;
  /** Set when the deadline continues a paused clock. */
  pause: { pausedAt: string; resumedAt: string; remainingBusinessMinutes: number } | null;
  explanation: string;
}

export type DeadlineBasis = FirstResponseBasis | NextUpdateBasis;

function localText(instant: Date, timezone: string): string {
  return DateTime.fromJSDate(instant, { zone: timezone }).toFormat(
    "ccc d LLL yyyy HH:mm '('ZZZZ')'",
  );
}

export function computeFirstResponse(
  clockStartedAt: Date,
  calendar: BusinessCalendar,
  policy: DeadlinePolicy,
  tier: CustomerTier,
  clockStartedBy: 'arrival' | 'reopen' = 'arrival',
): FirstResponseBasis {
  const day = closeOfArrivalBusinessDay(clockStartedAt, calendar);
  const tierPolicy = tier === 'standard' ? undefined : policy.tiers[tier];
  const tierDue = tierPolicy
    ? addBusinessMinutes(clockStartedAt, tierPolicy.firstResponseWithinMinutes, calendar)
    : undefined;
  const tierApplied = tierDue !== undefined && tierDue < day.at;
  const dueAt = tierApplied ? tierDue : day.at;

  const started = `${clockStartedBy === 'arrival' ? 'Arrived' : 'Reopened'} ${localText(clockStartedAt, calendar.timezone)}`;
  const dayText = !day.arrivedOnBusinessDay
    ? `outside business days, so it is due at the close of the next business day (${day.localDate})`
    : day.cutoffApplied
      ? `at or after the same-day cutoff ${day.cutoff}, so it is due at the close of the next business day (${day.localDate})`
      : `before the same-day cutoff ${day.cutoff}, so it is due at the close of that business day (${day.localDate})`;
  const tierText = tierPolicy
    ? tierApplied
      ? `; the ${tier} policy (first response within ${tierPolicy.firstResponseWithinMinutes} business minutes) tightens it to ${localText(tierDue!, calendar.timezone)}`
      : `; the ${tier} policy (${tierPolicy.firstResponseWithinMinutes} business minutes) would be later, so the close of day stands`
    : '';
  return {
    kind: 'first_response',
    dueAt: dueAt.toISOString(),
    clockStartedAt: clockStartedAt.toISOString(),
    clockStartedBy,
    timezone: calendar.timezone,
    businessDay: day.localDate,
    businessDayCloseAt: day.at.toISOString(),
    arrivedOnBusinessDay: day.arrivedOnBusinessDay,
    cutoff: day.cutoff,
    cutoffApplied: day.cutoffApplied,
    tierRule: tierPolicy
      ? {
          tier,
          withinBusinessMinutes: tierPolicy.firstResponseWithinMinutes,
          dueAt: tierDue!.toISOString(),
          applied: tierApplied,
        }
      : null,
    explanation: `${started}, ${dayText}${tierText}. Due ${localText(dueAt, calendar.timezone)}.`,
  };
}

/** After a public update: the next update is due by the close of the next business day. */
export function computeNextUpdateAfterUpdate(
  updatedAt: Date,
  calendar: BusinessCalendar,
  setBy: 'public_update' | 'recomputed' = 'public_update',
): NextUpdateBasis {
  const close = closeOfNextBusinessDay(updatedAt, calendar);
  return {
    kind: 'next_update',
    dueAt: close.at.toISOString(),
    setBy,
    setAt: updatedAt.toISOString(),
    timezone: calendar.timezone,
    businessDay: close.localDate,
    pause: null,
    explanation:
      `Last public update ${localText(updatedAt, calendar.timezone)}; the next update is due by the ` +
      `close of the next business day (${close.localDate}), ${localText(close.at, calendar.timezone)}.`,
  };
}

/** The customer wrote: they are owed an answer by the close of that business day (cutoff applies). */
export function computeNextUpdateAfterCustomerMessage(
  receivedAt: Date,
  calendar: BusinessCalendar,
  current: Date | null,
): NextUpdateBasis {
  const day = closeOfArrivalBusinessDay(receivedAt, calendar);
  const keepCurrent = current !== null && current < day.at;
  const dueAt = keepCurrent ? current : day.at;
  return {
    kind: 'next_update',
    dueAt: dueAt.toISOString(),
    setBy: 'customer_message',
    setAt: receivedAt.toISOString(),
    timezone: calendar.timezone,
    businessDay: day.localDate,
    pause: null,
    explanation: keepCurrent
      ? `The customer wrote ${localText(receivedAt, calendar.timezone)}; the earlier deadline ${localText(dueAt, calendar.timezone)} still stands.`
      : `The customer wrote ${localText(receivedAt, calendar.timezone)}, so an answer is due by the close of ` +
        `that business day (${day.localDate}${day.cutoffApplied ? ', after the cutoff: next business day' : ''}), ` +
        `${localText(dueAt, calendar.timezone)}.`,
  };
}

/**
 * Waiting on the customer stops the update clock; on resume the owner gets back the business
 * minutes that were left when it paused.
 */
export function computeResumedNextUpdate(
  pausedAt: Date,
  dueWhenPaused: Date,
  resumedAt: Date,
  calendar: BusinessCalendar,
): NextUpdateBasis {
  const remaining = businessMinutesBetween(pausedAt, dueWhenPaused, calendar);
  // Paused when already late: it stays late (same due time), rather than becoming due "now".
  const dueAt =
    dueWhenPaused <= pausedAt ? dueWhenPaused : addBusinessMinutes(resumedAt, remaining, calendar);
  return {
    kind: 'next_update',
    dueAt: dueAt.toISOString(),
    setBy: 'resumed',
    setAt: resumedAt.toISOString(),
    timezone: calendar.timezone,
    businessDay: DateTime.fromJSDate(dueAt, { zone: calendar.timezone }).toISODate() ?? '',
    pause: {
      pausedAt: pausedAt.toISOString(),
      resumedAt: resumedAt.toISOString(),
      remainingBusinessMinutes: remaining,
    },
    explanation:
      `The update clock was paused (waiting on the customer) from ${localText(pausedAt, calendar.timezone)} ` +
      `to ${localText(resumedAt, calendar.timezone)} with ${Math.round(remaining)} business minutes left; ` +
      `due ${localText(dueAt, calendar.timezone)}.`,
  };
}

/** The moments the worker acts on for one deadline. */
export interface EnforcementMoments {
  warnAt: Date | null;
  breachAt: Date;
  reescalateAt: Date;
}

export function enforcementMoments(
  dueAt: Date,
  calendar: BusinessCalendar,
  policy: DeadlinePolicy,
): EnforcementMoments {
  return {
    warnAt:
      policy.warnBeforeMinutes > 0
        ? subtractBusinessMinutes(dueAt, policy.warnBeforeMinutes, calendar)
        : null,
    breachAt: dueAt,
    reescalateAt: addBusinessMinutes(dueAt, policy.reescalateAfterMinutes, calendar),
  };
}
