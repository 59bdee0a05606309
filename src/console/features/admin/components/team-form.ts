import {
  ESCALATION_AUDIENCES,
  WEEKDAYS,
  type EscalationAudience,
  type Team,
  type Weekday,
} from '../../../lib/api-types';
import type { TeamDraft } from '../api/admin';

export interface DayForm {
  open: boolean;
  from: string;
  to: string;
}

/** The editor's fields: strings where the admin types, converted to the API's shape on send. */
export interface TeamForm {
  name: string;
  timezone: string;
  days: Record<Weekday, DayForm>;
  holidays: string[];
  cutoff: string;
  warnBeforeMinutes: number | string;
  reescalateAfterMinutes: number | string;
  autoHoldingUpdate: boolean;
  vipMinutes: number | string;
  highValueMinutes: number | string;
  nextUpdateWithinMinutes: number | string;
  waitingReminderAfterMinutes: number | string;
  waitingResumeAfterMinutes: number | string;
  ladder: EscalationAudience[];
}

const WORKDAY: DayForm = { open: true, from: '09:00', to: '17:00' };
const CLOSED: DayForm = { open: false, from: '09:00', to: '17:00' };

function browserTimezone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

export function newTeamForm(): TeamForm {
  return {
    name: '',
    timezone: browserTimezone(),
    days: Object.fromEntries(
      WEEKDAYS.map((day) => [day, day === 'sat' || day === 'sun' ? CLOSED : WORKDAY]),
    ) as Record<Weekday, DayForm>,
    holidays: [],
    cutoff: '',
    warnBeforeMinutes: 60,
    reescalateAfterMinutes: 120,
    autoHoldingUpdate: true,
    vipMinutes: '',
    highValueMinutes: '',
    nextUpdateWithinMinutes: '',
    waitingReminderAfterMinutes: '',
    waitingResumeAfterMinutes: '',
    ladder: [...ESCALATION_AUDIENCES],
  };
}

export function formOfTeam(team: Team): TeamForm {
  const policy = team.policy;
  const text = (value: number | null | undefined) => (value == null ? '' : value);
  return {
    name: team.name,
    timezone: team.timezone,
    days: Object.fromEntries(
      WEEKDAYS.map((day) => {
        const hours = team.businessHours[day];
        return [day, hours ? { open: true, from: hours.open, to: hours.close } : CLOSED];
      }),
    ) as Record<Weekday, DayForm>,
    holidays: [...team.holidays],
    cutoff: team.sameDayCutoff ?? '',
    warnBeforeMinutes: policy.warnBeforeMinutes,
    reescalateAfterMinutes: policy.reescalateAfterMinutes,
    autoHoldingUpdate: policy.autoHoldingUpdate,
    vipMinutes: text(policy.tiers.vip?.firstResponseWithinMinutes),
    highValueMinutes: text(policy.tiers.high_value?.firstResponseWithinMinutes),
    nextUpdateWithinMinutes: text(policy.nextUpdateWithinMinutes),
    waitingReminderAfterMinutes: text(policy.waitingReminderAfterMinutes),
    waitingResumeAfterMinutes: text(policy.waitingResumeAfterMinutes),
    ladder: (policy.escalationLadder ?? []).map((rung) => rung.notify),
  };
}

/** An empty field means "no rule" (null: the default applies); the API checks the rest. */
const minutes = (value: number | string): number | null =>
  value === '' || value === null ? null : Number(value);

export function draftOfForm(form: TeamForm): TeamDraft {
  const vip = minutes(form.vipMinutes);
  const highValue = minutes(form.highValueMinutes);
  return {
    name: form.name,
    timezone: form.timezone,
    businessHours: Object.fromEntries(
      WEEKDAYS.filter((day) => form.days[day].open).map((day) => [
        day,
        { open: form.days[day].from, close: form.days[day].to },
      ]),
    ),
    holidays: form.holidays,
    sameDayCutoff: form.cutoff || null,
    policy: {
      warnBeforeMinutes: minutes(form.warnBeforeMinutes) ?? 0,
      reescalateAfterMinutes: minutes(form.reescalateAfterMinutes) ?? 120,
      autoHoldingUpdate: form.autoHoldingUpdate,
      tiers: {
        vip: vip === null ? null : { firstResponseWithinMinutes: vip },
        high_value: highValue === null ? null : { firstResponseWithinMinutes: highValue },
      },
      nextUpdateWithinMinutes: minutes(form.nextUpdateWithinMinutes),
      waitingReminderAfterMinutes: minutes(form.waitingReminderAfterMinutes),
      waitingResumeAfterMinutes: minutes(form.waitingResumeAfterMinutes),
      ...(form.ladder.length > 0
        ? { escalationLadder: form.ladder.map((notify) => ({ notify })) }
        : {}),
    },
  };
}

let zones: string[] | null = null;
/** Every IANA timezone the browser knows (the server checks the same names). */
export function timezones(): string[] {
  if (!zones) {
    const known =
      typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
    zones = [...new Set(['UTC', ...known])];
  }
  return zones;
}
