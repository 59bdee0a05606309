import type { Team } from '../teams/team.entity';

export function teamView(team: Team) {
  return {
    id: team.id,
    name: team.name,
    timezone: team.timezone,
    businessHours: team.businessHours,
    holidays: team.holidays,
    sameDayCutoff: team.sameDayCutoff,
    policy: team.policy,
    createdAt: team.createdAt.toISOString(),
    updatedAt: team.updatedAt.toISOString(),
  };
}
