import { DateTime } from 'luxon';
import { zoneNamed } from './time-zones';
import type { CustomerTier } from './customer-tier';
import {
  DEFAULT_LADDER,
  DEFAULT_WAITING_REMINDER_BUSINESS_DAYS,
  DEFAULT_WAITING_RESUME_BUSINESS_DAYS,
  type BusinessCalendar,
  type DeadlinePolicy,
  type EscalationAudience,
} from './business-calendar';
import {
  addBusinessDays,
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
  /** When the deadline was recomputed because the rules changed: which change, in words. */
  recomputedBecause?: string;
}

export interface NextUpdateBasis {
  kind: 'next_update';
  dueAt: string;
  /**
   * What set the deadline: the owner's public update, a customer message, the end of a pause,
   * a recomputation, or an escalation step (the holding update's promise, when one was sent).
   */
  setBy:
    | 'public_update'
    | 'customer_message'
    | 'resumed'
    | 'recomputed'
    | 'holding_update'
    | 'escalation_step';
  setAt: string;
  /** The rule used: business minutes from `setAt`, or null for the close of the next business day. */
  withinBusinessMinutes?: number | null;
  /** Set by an escalation step: the level reached and whether the customer was sent a holding update. */
  promise?: { escalationLevel: number; holdingUpdateSent: boolean; reason: string | null };
  timezone: string;
  businessDay: string;
  /** Set when the deadline continues a paused clock. */
  pause: { pausedAt: string; resumedAt: string; remainingBusinessMinutes: number } | null;
  explanation: string;
  /** When the deadline was recomputed because the rules changed: which change, in words. */
  recomputedBecause?: string;
}

export type DeadlineBasis = FirstResponseBasis | NextUpdateBasis;

function localText(instant: Date, timezone: string): string {
  return DateTime.fromJSDate(instant, { zone: zoneNamed(timezone) }).toFormat(
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

/**
 * After a public update: the next update is due `withinMinutes` business minutes later (team
 * policy nextUpdateWithinMinutes), or by the close of the next business day when unset.
 */
export function computeNextUpdateAfterUpdate(
  updatedAt: Date,
  calendar: BusinessCalendar,
  setBy: 'public_update' | 'recomputed' = 'public_update',
  withinMinutes: number | null = null,
): NextUpdateBasis {
  const due = nextUpdateDue(updatedAt, calendar, withinMinutes);
  return {
    kind: 'next_update',
    dueAt: due.at.toISOString(),
    setBy,
    setAt: updatedAt.toISOString(),
    timezone: calendar.timezone,
    businessDay: due.localDate,
    withinBusinessMinutes: withinMinutes,
    pause: null,
    explanation:
      `Last public update ${localText(updatedAt, calendar.timezone)}; the next update is due ${due.rule}, ` +
      `${localText(due.at, calendar.timezone)}.`,
  };
}

function nextUpdateDue(
  from: Date,
  calendar: BusinessCalendar,
  withinMinutes: number | null,
): { at: Date; localDate: string; rule: string } {
  if (withinMinutes) {
    const at = addBusinessMinutes(from, withinMinutes, calendar);
    return {
      at,
      localDate: DateTime.fromJSDate(at, { zone: zoneNamed(calendar.timezone) }).toISODate() ?? '',
      rule: `within ${withinMinutes} business minutes (team policy)`,
    };
  }
  const close = closeOfNextBusinessDay(from, calendar);
  return { ...close, rule: `by the close of the next business day (${close.localDate})` };
}

/**
 * An unanswered deadline passed and the ladder stepped up: the holding update sent to the
 * customer promises the next update (nextUpdateWithinMinutes, else the close of the next
 * business day), and that promise is the new deadline. Without a holding update (the customer
 * opted out, or the team turned them off) nothing was promised: the next step is
 * reescalateAfterMinutes business minutes later.
 */
export function computePromisedUpdate(
  steppedAt: Date,
  calendar: BusinessCalendar,
  policy: DeadlinePolicy,
  step: { escalationLevel: number; holdingUpdateSent: boolean; reason: string | null },
): NextUpdateBasis {
  const at = localText(steppedAt, calendar.timezone);
  if (step.holdingUpdateSent) {
    const within = policy.nextUpdateWithinMinutes ?? null;
    const due = nextUpdateDue(steppedAt, calendar, within);
    return {
      kind: 'next_update',
      dueAt: due.at.toISOString(),
      setBy: 'holding_update',
      setAt: steppedAt.toISOString(),
      timezone: calendar.timezone,
      businessDay: due.localDate,
      withinBusinessMinutes: within,
      promise: step,
      pause: null,
      explanation:
        `Promised in the holding update of ${at} (escalation level ${step.escalationLevel}): ` +
        `next update ${due.rule}, ${localText(due.at, calendar.timezone)}.`,
    };
  }
  const dueAt = addBusinessMinutes(steppedAt, policy.reescalateAfterMinutes, calendar);
  return {
    kind: 'next_update',
    dueAt: dueAt.toISOString(),
    setBy: 'escalation_step',
    setAt: steppedAt.toISOString(),
    timezone: calendar.timezone,
    businessDay:
      DateTime.fromJSDate(dueAt, { zone: zoneNamed(calendar.timezone) }).toISODate() ?? '',
    withinBusinessMinutes: policy.reescalateAfterMinutes,
    promise: step,
    pause: null,
    explanation:
      `Still unanswered at ${at} (escalation level ${step.escalationLevel}); no holding update was sent ` +
      `(${step.reason ?? 'none due'}), so the next escalation step is due ${policy.reescalateAfterMinutes} business minutes later, ` +
      `${localText(dueAt, calendar.timezone)}.`,
  };
}

/** Who level `level` (1-based) of the ladder tells; levels past the top repeat the top rung. */
export function audienceForLevel(
  level: number,
  ladder: DeadlinePolicy['escalationLadder'] = DEFAULT_LADDER,
): EscalationAudience {
  const rungs = ladder && ladder.length > 0 ? ladder : DEFAULT_LADDER;
  return rungs[Math.min(Math.max(level, 1), rungs.length) - 1]!.notify;
}

/** When a ticket waiting on the customer gets its one reminder, and when its clock resumes. */
export interface WaitingMoments {
  reminderAt: Date;
  resumeAt: Date;
  explanation: string;
}

export function computeWaitingMoments(
  pausedAt: Date,
  calendar: BusinessCalendar,
  policy: DeadlinePolicy,
): WaitingMoments {
  const moment = (minutes: number | null | undefined, defaultDays: number) =>
    minutes
      ? {
          at: addBusinessMinutes(pausedAt, minutes, calendar),
          rule: `${minutes} business minutes`,
        }
      : {
          at: addBusinessDays(pausedAt, defaultDays, calendar),
          rule: `${defaultDays} business days`,
        };
  const reminder = moment(
    policy.waitingReminderAfterMinutes,
    DEFAULT_WAITING_REMINDER_BUSINESS_DAYS,
  );
  let resume = moment(policy.waitingResumeAfterMinutes, DEFAULT_WAITING_RESUME_BUSINESS_DAYS);
  if (resume.at <= reminder.at)
    resume = { at: reminder.at, rule: `${resume.rule}, not before the reminder` };
  const tz = calendar.timezone;
  return {
    reminderAt: reminder.at,
    resumeAt: resume.at,
    explanation:
      `Waiting on the customer since ${localText(pausedAt, tz)}: if they have not answered, they get one ` +
      `reminder after ${reminder.rule} (${localText(reminder.at, tz)}), and after ${resume.rule} ` +
      `(${localText(resume.at, tz)}) the update clock resumes and the owner is told.`,
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
    businessDay:
      DateTime.fromJSDate(dueAt, { zone: zoneNamed(calendar.timezone) }).toISODate() ?? '',
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

/** The moments the worker acts on for one deadline (the breach is the next ladder step). */
export interface EnforcementMoments {
  warnAt: Date | null;
  breachAt: Date;
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
  };
}
