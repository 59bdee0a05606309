import type { DataSource } from 'typeorm';
import { Unauthenticated } from '../errors';
import type { Actor } from '../actor';
import { Agent } from './agent.entity';
import { hashToken } from './tokens';

/** Resolves a bearer token to an active agent; every failure reads the same to the caller. */
export async function authenticateToken(
  dataSource: DataSource,
  token: string | undefined,
): Promise<Actor> {
  if (!token) throw new Unauthenticated('Send "Authorization: Bearer <token>".');
  const agent = await dataSource
    .getRepository(Agent)
    .findOneBy({ tokenHash: hashToken(token), active: true });
  if (!agent) throw new Unauthenticated('The bearer token is not valid.');
  return { id: agent.id, name: agent.name, role: agent.role, teamId: agent.teamId };
}

/** The lookup the HTTP layer's `authenticate` middleware is given (http/request-context.ts). */
export const tokenAuthenticator =
  (dataSource: DataSource) =>
  (token: string | undefined): Promise<Actor> =>
    authenticateToken(dataSource, token);
