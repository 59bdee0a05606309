import type { Actor } from '../actor';
import type { ServiceContext } from '../context';
import { Forbidden, NotFound } from '../errors';

/**
 * The supervisor pages of one team: its supervisors and admins. Another team's supervisor (or
 * rep) gets 404, as for any object of another team; a rep of the team 403.
 */
export async function assertSupervisesTeam(
  ctx: Pick<ServiceContext, 'dataSource'>,
  actor: Actor,
  teamId: string,
): Promise<void> {
  if (actor.role !== 'admin' && actor.teamId !== teamId) throw new NotFound(`No team ${teamId}.`);
  if (actor.role !== 'admin' && actor.role !== 'supervisor') {
    throw new Forbidden("Only the team's supervisors and admins see this.");
  }
  const [team] = await ctx.dataSource.query(`SELECT id FROM teams WHERE id = $1`, [teamId]);
  if (!team) throw new NotFound(`No team ${teamId}.`);
}
