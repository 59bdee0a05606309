import type { EntityManager } from 'typeorm';
import { Conflict } from '../errors';
import { lockAgentForOwnership } from './eligible-owner';

export interface AutoOwnerChoice {
  agentId: string;
  /** Whether a rep under capacity was found, or the team's supervisor took it as the fallback. */
  rule: 'least_loaded_rep' | 'supervisor_fallback';
}

/**
 * The auto-assignment rule: among the team's active, not-away reps under capacity, the one with
 * the fewest open owned tickets (ties: the one assigned least recently); if none, a supervisor of
 * the team (present ones first, then the least loaded). Holds a per-team advisory lock until the
 * transaction ends, so parallel assignments see each other's counts and never overfill a rep.
 */
export async function chooseAutoOwner(
  manager: EntityManager,
  teamId: string,
  options: { excludeAgentId?: string } = {},
): Promise<AutoOwnerChoice> {
  await lockTeamAssignment(manager, teamId);
  const excluded = new Set(options.excludeAgentId ? [options.excludeAgentId] : []);
  // A candidate may be deactivated or marked away while we choose: lock it and check again.
  for (let attempt = 0; attempt < 5; attempt++) {
    const choice = await pickCandidate(manager, teamId, [...excluded]);
    const locked = await lockAgentForOwnership(manager, choice.agentId);
    const stillEligible = locked?.active && (choice.rule === 'supervisor_fallback' || !locked.away);
    if (stillEligible) return choice;
    excluded.add(choice.agentId);
  }
  throw new Conflict("The team's agents are changing too fast to assign an owner; try again.");
}

/** Serialises assignment within one team until the transaction ends. */
export async function lockTeamAssignment(manager: EntityManager, teamId: string): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtext('ownit:assign:' || $1))`, [teamId]);
}

async function pickCandidate(
  manager: EntityManager,
  teamId: string,
  excluded: string[],
): Promise<AutoOwnerChoice> {
  const reps: Array<{ id: string }> = await manager.query(
    `SELECT a.id
       FROM agents a
       CROSS JOIN LATERAL (
         SELECT count(*)::int AS open_count FROM tickets t
          WHERE t.owner_id = a.id AND t.status IN ('open', 'waiting_on_customer')
       ) load
       LEFT JOIN LATERAL (
         SELECT max(p.started_at) AS last_assigned_at FROM ownership_periods p WHERE p.agent_id = a.id
       ) recent ON true
      WHERE a.team_id = $1 AND a.role = 'rep' AND a.active AND NOT a.away
        AND load.open_count < a.capacity
        AND NOT (a.id = ANY($2::uuid[]))
      ORDER BY load.open_count ASC, recent.last_assigned_at ASC NULLS FIRST, a.id ASC
      LIMIT 1`,
    [teamId, excluded],
  );
  if (reps[0]) return { agentId: reps[0].id, rule: 'least_loaded_rep' };

  const supervisors: Array<{ id: string }> = await manager.query(
    `SELECT a.id
       FROM agents a
       CROSS JOIN LATERAL (
         SELECT count(*)::int AS open_count FROM tickets t
          WHERE t.owner_id = a.id AND t.status IN ('open', 'waiting_on_customer')
       ) load
      WHERE a.team_id = $1 AND a.role = 'supervisor' AND a.active
        AND NOT (a.id = ANY($2::uuid[]))
      ORDER BY a.away ASC, load.open_count ASC, a.id ASC
      LIMIT 1`,
    [teamId, excluded],
  );
  if (supervisors[0]) return { agentId: supervisors[0].id, rule: 'supervisor_fallback' };

  throw new Conflict(
    'The team has no active rep under capacity and no active supervisor to own the ticket. ' +
      "Add or reactivate a supervisor of the team, or raise a rep's capacity.",
  );
}
