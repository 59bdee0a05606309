import type { Actor } from '../actor';
import type { ServiceContext } from '../context';
import { assertSupervisesTeam } from './supervision-access';
import { overdueCondition } from '../tickets/overdue-condition';

export interface AgentLoad {
  agentId: string;
  name: string;
  role: string;
  away: boolean;
  active: boolean;
  capacity: number;
  /** Open and waiting tickets the agent owns. */
  openOwned: number;
  /** Of those, past their deadline or still escalated (as on the overdue board). */
  overdue: number;
}

/** Who carries how much: the team's reps and supervisors, most loaded first. */
export async function teamLoad(
  ctx: ServiceContext,
  actor: Actor,
  teamId: string,
): Promise<{ teamId: string; items: AgentLoad[] }> {
  await assertSupervisesTeam(ctx, actor, teamId);
  const rows: Array<{
    id: string;
    name: string;
    role: string;
    away: boolean;
    active: boolean;
    capacity: number;
    open_owned: number;
    overdue: number;
  }> = await ctx.dataSource.query(
    `SELECT a.id, a.name, a.role, a.away, a.active, a.capacity,
            count(t.id)::int AS open_owned,
            count(t.id) FILTER (WHERE ${overdueCondition('$2')})::int AS overdue
       FROM agents a
       LEFT JOIN tickets t ON t.owner_id = a.id AND t.status IN ('open', 'waiting_on_customer')
      WHERE a.team_id = $1 AND a.role IN ('rep', 'supervisor')
      GROUP BY a.id
      ORDER BY a.active DESC, count(t.id) DESC, a.name ASC, a.id ASC`,
    [teamId, ctx.clock.now()],
  );
  return {
    teamId,
    items: rows.map((row) => ({
      agentId: row.id,
      name: row.name,
      role: row.role,
      away: row.away,
      active: row.active,
      capacity: row.capacity,
      openOwned: row.open_owned,
      overdue: row.overdue,
    })),
  };
}
