import type { EntityManager } from 'typeorm';
import { calendarOf } from './calendar-of';
import { Team } from './team.entity';
import { nextOpening } from '../deadline-rules/calendar';

/**
 * Staff are not messaged outside their business hours: an email about a ticket waits in the
 * outbox until the recipient's team next opens (staff without a team, such as admins, follow the
 * ticket's team). Returns when each agent may be told.
 */
export async function whenStaffMayBeTold(
  manager: EntityManager,
  agents: ReadonlyArray<{ id: string; teamId: string | null }>,
  ticketTeam: Team,
  now: Date,
): Promise<Map<string, Date>> {
  const teamIds = [...new Set(agents.map((a) => a.teamId).filter((id): id is string => !!id))];
  const teams = new Map<string, Team>([[ticketTeam.id, ticketTeam]]);
  const missing = teamIds.filter((id) => !teams.has(id));
  if (missing.length > 0) {
    const found = await manager
      .getRepository(Team)
      .createQueryBuilder('t')
      .where('t.id IN (:...ids)', { ids: missing })
      .getMany();
    for (const team of found) {
      teams.set(team.id, team);
    }
  }
  return new Map(
    agents.map((agent) => {
      const team = (agent.teamId && teams.get(agent.teamId)) || ticketTeam;
      return [agent.id, nextOpening(now, calendarOf(team))];
    }),
  );
}
