import { z } from 'zod';
import { emailAddress, requiredText, uuid } from '../common-input';
import { pageQuery } from '../pagination';
import { AGENT_ROLES } from './agent.entity';

const capacity = z.number().int('must be a whole number').min(0).max(10_000);

export const createAgentInput = z.strictObject({
  name: requiredText(200),
  email: emailAddress,
  role: z.enum(AGENT_ROLES, { message: `must be one of ${AGENT_ROLES.join(', ')}` }),
  teamId: uuid.nullable().optional(),
  capacity: capacity.optional(),
});
export type CreateAgentInput = z.output<typeof createAgentInput>;

export const updateAgentInput = z.strictObject({
  name: requiredText(200).optional(),
  away: z.boolean().optional(),
  active: z.boolean().optional(),
  capacity: capacity.optional(),
  escalationDigest: z.boolean().optional(),
});
export type UpdateAgentInput = z.output<typeof updateAgentInput>;

export const listAgentsQuery = z.strictObject({
  teamId: uuid.optional(),
  ...pageQuery,
});
export type ListAgentsQuery = z.output<typeof listAgentsQuery>;
