import {
  DEFAULT_POLICY,
  type BusinessCalendar,
  type BusinessHours,
  type DeadlinePolicy,
} from '../../src/deadline-rules/business-calendar';

/**
 * The calendar the pure deadline tests share: 9–17 on weekdays in Berlin. In March 2026 Berlin
 * is UTC+1 until DST starts on Sunday the 29th (Wed 4, Thu 5, Fri 6, Sat 7, Sun 8, Mon 9), so a
 * 9–17 Berlin day is 08:00Z–16:00Z.
 */
export const NINE_TO_FIVE = { open: '09:00', close: '17:00' };
export const WEEKDAYS: BusinessHours = {
  mon: NINE_TO_FIVE,
  tue: NINE_TO_FIVE,
  wed: NINE_TO_FIVE,
  thu: NINE_TO_FIVE,
  fri: NINE_TO_FIVE,
};

export function calendar(overrides: Partial<BusinessCalendar> = {}): BusinessCalendar {
  return {
    timezone: 'Europe/Berlin',
    businessHours: WEEKDAYS,
    holidays: [],
    sameDayCutoff: null,
    ...overrides,
  };
}

export function policy(overrides: Partial<DeadlinePolicy> = {}): DeadlinePolicy {
  return { ...DEFAULT_POLICY, ...overrides };
}
