import type { DataSource } from 'typeorm';
import { queryPrepared, type PreparedStatement } from '../db/prepared-query';
import { Unauthenticated } from '../errors';
import type { Actor } from '../actor';
import type { Agent } from './agent.entity';
import { hashToken } from './tokens';

/** Every API request runs this: four columns by hand, prepared once per connection, no entity. */
const TOKEN_AGENT: PreparedStatement = {
  name: 'ownit_token_agent',
  text: `SELECT id, name, role, team_id FROM agents WHERE token_hash = $1 AND active LIMIT 1`,
};

type TokenAgent = Pick<Agent, 'id' | 'name' | 'role'> & { team_id: string | null };

/** Resolves a bearer token to an active agent; every failure reads the same to the caller. */
export async function authenticateToken(
  dataSource: DataSource,
  token: string | undefined,
): Promise<Actor> {
  if (!token) throw new Unauthenticated('Send "Authorization: Bearer <token>".');
  // Looked up on every request, never cached: a revoked token or a deactivated agent is refused
  // at once.
  const [agent] = await queryPrepared<TokenAgent>(dataSource, TOKEN_AGENT, [hashToken(token)]);
  if (!agent) throw new Unauthenticated('The bearer token is not valid.');
  return { id: agent.id, name: agent.name, role: agent.role, teamId: agent.team_id };
}

/** The lookup the HTTP layer's `authenticate` middleware is given (http/request-context.ts). */
export const tokenAuthenticator =
  (dataSource: DataSource) =>
  (token: string | undefined): Promise<Actor> =>
    authenticateToken(dataSource, token);
