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

/** Who is told at one level of the escalation ladder. */
export const ESCALATION_AUDIENCES = ['owner_supervisor', 'team_supervisors', 'admins'] as const;
export type EscalationAudience = (typeof ESCALATION_AUDIENCES)[number];

export interface EscalationRung {
  notify: EscalationAudience;
}

export interface DeadlinePolicy {
  warnBeforeMinutes: number;
  /**
   * Business minutes until the next ladder step when no holding update went out (the customer
   * opted out, or autoHoldingUpdate is off); otherwise the holding update's promise sets it.
   */
  reescalateAfterMinutes: number;
  autoHoldingUpdate: boolean;
  tiers: { vip?: TierPolicy; high_value?: TierPolicy };
  /** Business minutes to the next update after a public or holding update; null: close of the next business day. */
  nextUpdateWithinMinutes?: number | null;
  /** Business minutes of waiting on the customer before one reminder; null: two business days. */
  waitingReminderAfterMinutes?: number | null;
  /** Business minutes of waiting before the clock resumes and the owner is told; null: five business days. */
  waitingResumeAfterMinutes?: number | null;
  /** Days after resolution before a ticket closes (default 7). */
  closeAfterDays?: number;
  /** Level n tells rung n (the last rung repeats for higher levels). */
  escalationLadder?: EscalationRung[];
}

export const DEFAULT_LADDER: EscalationRung[] = [
  { notify: 'owner_supervisor' },
  { notify: 'team_supervisors' },
  { notify: 'admins' },
];
export const DEFAULT_CLOSE_AFTER_DAYS = 7;
export const DEFAULT_WAITING_REMINDER_BUSINESS_DAYS = 2;
export const DEFAULT_WAITING_RESUME_BUSINESS_DAYS = 5;

export const DEFAULT_POLICY: DeadlinePolicy = {
  warnBeforeMinutes: 60,
  reescalateAfterMinutes: 120,
  autoHoldingUpdate: true,
  tiers: {},
  nextUpdateWithinMinutes: null,
  waitingReminderAfterMinutes: null,
  waitingResumeAfterMinutes: null,
  closeAfterDays: DEFAULT_CLOSE_AFTER_DAYS,
  escalationLadder: DEFAULT_LADDER,
};

export interface BusinessCalendar {
  timezone: string;
  businessHours: BusinessHours;
  /** "YYYY-MM-DD" dates in the team's timezone. */
  holidays: string[];
  /** "HH:MM"; null means the close time of the day. */
  sameDayCutoff: string | null;
}
