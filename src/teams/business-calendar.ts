/** A team's business calendar and deadline policy, as stored and as the API shows them. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface OpeningHours {
  /** "HH:MM", local time in the team's timezone. */
  open: string;
  close: string;
}

/** A missing day is closed. */
export type BusinessHours = Partial<Record<Weekday, OpeningHours>>;

export interface TierPolicy {
  firstResponseWithinMinutes: number;
}

export interface DeadlinePolicy {
  warnBeforeMinutes: number;
  reescalateAfterMinutes: number;
  autoHoldingUpdate: boolean;
  tiers: { vip?: TierPolicy; high_value?: TierPolicy };
}

export const DEFAULT_POLICY: DeadlinePolicy = {
  warnBeforeMinutes: 60,
  reescalateAfterMinutes: 120,
  autoHoldingUpdate: true,
  tiers: {},
};

export interface BusinessCalendar {
  timezone: string;
  businessHours: BusinessHours;
  /** "YYYY-MM-DD" dates in the team's timezone. */
  holidays: string[];
  /** "HH:MM"; null means the close time of the day. */
  sameDayCutoff: string | null;
}
