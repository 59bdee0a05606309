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
  const teams = await teamsOfStaff(manager, agents, [ticketTeam]);
  return staffOpenings(agents, ticketTeam, teams, now);
}

/** The teams of these agents, reading only those not among `known`. */
export async function teamsOfStaff(
  manager: EntityManager,
  agents: ReadonlyArray<{ teamId: string | null }>,
  known: readonly Team[],
): Promise<Map<string, Team>> {
  const teams = new Map<string, Team>(known.map((team) => [team.id, team]));
  const missing = [
    ...new Set(agents.map((a) => a.teamId).filter((id): id is string => !!id && !teams.has(id))),
  ];
  if (missing.length > 0) {
    const found = await manager
      .getRepository(Team)
      .createQueryBuilder('t')
      .where('t.id IN (:...ids)', { ids: missing })
      .getMany();
    for (const team of found) teams.set(team.id, team);
  }
  return teams;
}

/** When each agent may be told, from their teams' calendars (pure; see whenStaffMayBeTold). */
function staffOpenings(
  agents: ReadonlyArray<{ id: string; teamId: string | null }>,
  ticketTeam: Team,
  teams: ReadonlyMap<string, Team>,
  now: Date,
): Map<string, Date> {
  return new Map(
    agents.map((agent) => [
      agent.id,
      nextOpening(now, calendarOf(staffTeam(agent, ticketTeam, teams))),
    ]),
  );
}

/** The team whose hours an agent is told in: their own, else (admins) the ticket's. */
export function staffTeam(
  agent: { teamId: string | null },
  ticketTeam: Team,
  teams: ReadonlyMap<string, Team>,
): Team {
  return (agent.teamId && teams.get(agent.teamId)) || ticketTeam;
}
