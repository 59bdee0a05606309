import { IANAZone } from 'luxon';
import { z } from 'zod';
import { hhmm, instant, isoDate, requiredText } from '../common-input';
import { ESCALATION_AUDIENCES, WEEKDAYS, type Weekday } from '../deadline-rules/business-calendar';

/** A day may run to midnight: "24:00" closes at the end of the day (24/7 teams). */
const closingTime = z.union([hhmm, z.literal('24:00')], {
  message: 'must be a time "HH:MM" (24-hour), or "24:00" for the end of the day',
});

const openingHours = z
  .strictObject({ open: hhmm, close: closingTime })
  .refine((h) => h.open < h.close, { message: 'close must be later than open', path: ['close'] });

const businessHours = z
  .strictObject(
    Object.fromEntries(WEEKDAYS.map((day) => [day, openingHours.optional()])) as Record<
      Weekday,
      z.ZodOptional<typeof openingHours>
    >,
  )
  .refine((hours) => Object.values(hours).some(Boolean), {
    message: 'must open on at least one weekday',
  });

const timezone = z.string().refine((zone) => IANAZone.isValidZone(zone), {
  message: 'must be an IANA timezone, e.g. Europe/Berlin',
});

const businessMinutes = z.number().int('must be a whole number').min(0).max(100_000);

const tierPolicy = z.strictObject({
  firstResponseWithinMinutes: businessMinutes.min(1, 'must be at least 1'),
});

const policy = z.strictObject({
  warnBeforeMinutes: businessMinutes.optional(),
  reescalateAfterMinutes: businessMinutes.min(1, 'must be at least 1').optional(),
  autoHoldingUpdate: z.boolean().optional(),
  nextUpdateWithinMinutes: businessMinutes.min(1, 'must be at least 1').nullable().optional(),
  waitingReminderAfterMinutes: businessMinutes.min(1, 'must be at least 1').nullable().optional(),
  waitingResumeAfterMinutes: businessMinutes.min(1, 'must be at least 1').nullable().optional(),
  closeAfterDays: z.number().int('must be a whole number').min(1).max(3650).optional(),
  escalationLadder: z
    .array(
      z.strictObject({
        notify: z.enum(ESCALATION_AUDIENCES, {
          message: `must be one of ${ESCALATION_AUDIENCES.join(', ')}`,
        }),
      }),
    )
    .min(1, 'must have at least one level')
    .max(10, 'must have at most 10 levels')
    .optional(),
  tiers: z
    .strictObject({
      vip: tierPolicy.nullable().optional(),
      high_value: tierPolicy.nullable().optional(),
    })
    .optional(),
});

const holidays = z
  .array(isoDate)
  .max(1000, 'must list at most 1000 dates')
  .transform((dates) => [...new Set(dates)].sort());

export const createTeamInput = z.strictObject({
  name: requiredText(200),
  timezone,
  businessHours,
  holidays: holidays.optional(),
  sameDayCutoff: hhmm.nullable().optional(),
  policy: policy.optional(),
});
export type CreateTeamInput = z.output<typeof createTeamInput>;

export const updateTeamInput = createTeamInput.partial();
export type UpdateTeamInput = z.output<typeof updateTeamInput>;
export type PolicyInput = z.output<typeof policy>;

/**
 * A calendar and policy being edited (not yet saved): when would a concern arriving at `at`
 * (default now) be due, per customer tier.
 */
export const deadlinePreviewInput = createTeamInput.omit({ name: true }).extend({
  name: requiredText(200).optional(),
  at: instant().optional(),
});
export type DeadlinePreviewInput = z.output<typeof deadlinePreviewInput>;
