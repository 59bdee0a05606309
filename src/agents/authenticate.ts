import type { DataSource } from 'typeorm';
import { Unauthenticated } from '../errors';
import type { Actor } from '../actor';
import type { Agent } from './agent.entity';
import { hashToken } from './tokens';

/** Resolves a bearer token to an active agent; every failure reads the same to the caller. */
export async function authenticateToken(
  dataSource: DataSource,
  token: string | undefined,
): Promise<Actor> {
  if (!token) throw new Unauthenticated('Send "Authorization: Bearer <token>".');
  // Every API request comes through here: four columns by hand, no entity built for them.
  const [agent]: Array<Pick<Agent, 'id' | 'name' | 'role'> & { team_id: string | null }> =
    await dataSource.query(
      `SELECT id, name, role, team_id FROM agents WHERE token_hash = $1 AND active LIMIT 1`,
      [hashToken(token)],
    );
  if (!agent) throw new Unauthenticated('The bearer token is not valid.');
  return { id: agent.id, name: agent.name, role: agent.role, teamId: agent.team_id };
}

/** The lookup the HTTP layer's `authenticate` middleware is given (http/request-context.ts). */
export const tokenAuthenticator =
  (dataSource: DataSource) =>
  (token: string | undefined): Promise<Actor> =>
    authenticateToken(dataSource, token);
