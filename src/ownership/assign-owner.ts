import type { EntityManager } from 'typeorm';
import { Conflict } from '../errors';
import { lockAgentForOwnership } from './eligible-owner';

export interface AutoOwnerChoice {
  agentId: string;
  /** The chosen agent's name (for the acknowledgement), read with the lock. */
  name: string;
  /** Whether a rep under capacity was found, or the team's supervisor took it as the fallback. */
  rule: 'least_loaded_rep' | 'supervisor_fallback';
}

/**
 * The auto-assignment rule: among the team's active, not-away reps under capacity, the one with
 * the fewest open owned tickets (ties: the one assigned least recently); if none, a supervisor of
 * the team (present ones first, then the least loaded).
 *
 * Each agent's open count and last assignment live in `agent_loads`, kept current by triggers in
 * the transaction of every change that moves them (migration AddAgentLoads). The chosen rep's
 * row is locked FOR NO KEY UPDATE until the transaction ends, and the count is checked against
 * the capacity on the locked (latest) row, so parallel assignments never overfill a rep; they
 * skip reps another assignment holds (SKIP LOCKED) instead of queueing on the team, and wait
 * only when every eligible rep is held. The agent row is locked FOR SHARE in the same statement
 * (a deactivation, which takes it FOR UPDATE, finishes first or waits for us).
 */
export async function chooseAutoOwner(
  manager: EntityManager,
  teamId: string,
  options: { excludeAgentId?: string } = {},
): Promise<AutoOwnerChoice> {
  const excluded = options.excludeAgentId ? [options.excludeAgentId] : [];
  const rep =
    (await pickRep(manager, teamId, excluded, true)) ??
    (await pickRep(manager, teamId, excluded, false));
  if (rep) return { agentId: rep.id, name: rep.name, rule: 'least_loaded_rep' };
  // A supervisor may be deactivated while we choose: lock it and check again.
  for (let attempt = 0; attempt < 5; attempt++) {
    const candidate = await pickSupervisor(manager, teamId, excluded);
    const locked = await lockAgentForOwnership(manager, candidate);
    if (locked?.active) {
      return { agentId: locked.id, name: locked.name, rule: 'supervisor_fallback' };
    }
    excluded.push(candidate);
  }
  throw new Conflict("The team's agents are changing too fast to assign an owner; try again.");
}

/** Serialises deactivations within one team until the transaction ends. */
export async function lockTeamAssignment(manager: EntityManager, teamId: string): Promise<void> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtext('ownit:assign:' || $1))`, [teamId]);
}

/**
 * The least-loaded eligible rep, its agent row locked FOR SHARE and its load row FOR NO KEY
 * UPDATE; the conditions are checked again on the locked rows (READ COMMITTED rechecks a row
 * that changed after the snapshot). With `skipLocked`, reps whose load another transaction
 * holds are passed over; without, the statement waits for the first of them.
 */
async function pickRep(
  manager: EntityManager,
  teamId: string,
  excluded: string[],
  skipLocked: boolean,
): Promise<{ id: string; name: string } | undefined> {
  const rows: Array<{ id: string; name: string }> = await manager.query(
    `SELECT a.id, a.name
       FROM agents a
       JOIN agent_loads l ON l.agent_id = a.id
      WHERE a.team_id = $1 AND a.role = 'rep' AND a.active AND NOT a.away
        AND l.open_count < a.capacity
        AND NOT (a.id = ANY($2::uuid[]))
      ORDER BY l.open_count ASC, l.last_assigned_at ASC NULLS FIRST, a.id ASC
      LIMIT 1
      FOR SHARE OF a FOR NO KEY UPDATE OF l${skipLocked ? ' SKIP LOCKED' : ''}`,
    [teamId, excluded],
  );
  return rows[0];
}

async function pickSupervisor(
  manager: EntityManager,
  teamId: string,
  excluded: string[],
): Promise<string> {
  const supervisors: Array<{ id: string }> = await manager.query(
    `SELECT a.id
       FROM agents a
       LEFT JOIN agent_loads l ON l.agent_id = a.id
      WHERE a.team_id = $1 AND a.role = 'supervisor' AND a.active
        AND NOT (a.id = ANY($2::uuid[]))
      ORDER BY a.away ASC, COALESCE(l.open_count, 0) ASC, a.id ASC
      LIMIT 1`,
    [teamId, excluded],
  );
  if (supervisors[0]) return supervisors[0].id;
  throw new Conflict(
    'The team has no active rep under capacity and no active supervisor to own the ticket. ' +
      "Add or reactivate a supervisor of the team, or raise a rep's capacity.",
  );
}
