import { z } from 'zod';
import { emailAddress, requiredText, uuid } from '../common-input';
import { pageQuery } from '../pagination';
import { AGENT_ROLES } from '../actor';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../agents/passwords';

/** A console password: long rather than clever (NIST 800-63B); any characters. */
export const newPassword = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH, `must be at most ${MAX_PASSWORD_LENGTH} characters`);

const capacity = z.number().int('must be a whole number').min(0).max(10_000);

export const createAgentInput = z.strictObject({
  name: requiredText(200),
  email: emailAddress,
  role: z.enum(AGENT_ROLES, { message: `must be one of ${AGENT_ROLES.join(', ')}` }),
  teamId: uuid.nullable().optional(),
  capacity: capacity.optional(),
  /** The supervisor the first escalation level tells about this agent's tickets. */
  supervisorId: uuid.nullable().optional(),
  password: newPassword.optional(),
});
export type CreateAgentInput = z.output<typeof createAgentInput>;

export const updateAgentInput = z.strictObject({
  name: requiredText(200).optional(),
  away: z.boolean().optional(),
  active: z.boolean().optional(),
  capacity: capacity.optional(),
  escalationDigest: z.boolean().optional(),
  supervisorId: uuid.nullable().optional(),
});
export type UpdateAgentInput = z.output<typeof updateAgentInput>;

export const setPasswordInput = z.strictObject({ password: newPassword });
export type SetPasswordInput = z.output<typeof setPasswordInput>;

export const listAgentsQuery = z.strictObject({
  teamId: uuid.optional(),
  ...pageQuery,
});
export type ListAgentsQuery = z.output<typeof listAgentsQuery>;
