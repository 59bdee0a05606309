import type { BusinessCalendar } from '../deadline-rules/business-calendar';
import type { Team } from './team.entity';

/** The part of a team that deadline maths needs. */
export function calendarOf(team: Team): BusinessCalendar {
  return {
    timezone: team.timezone,
    businessHours: team.businessHours,
    holidays: team.holidays,
    sameDayCutoff: team.sameDayCutoff,
  };
}
