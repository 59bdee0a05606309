import { z } from 'zod';
import type { Operation } from '../operation';
import { agentResponse, agentWithTokenResponse, meResponse, pageOf } from '../responses';
import {
  createAgentInput,
  listAgentsQuery,
  updateAgentInput,
} from '../../agent-admin/agents.input';

/** agent-admin: every route of src/agent-admin/. */
export const agentAdminOperations: Operation[] = [
  {
    method: 'post',
    path: '/api/v1/agents',
    body: createAgentInput,
    success: 201,
    response: agentWithTokenResponse,
  },
  {
    method: 'get',
    path: '/api/v1/agents',
    query: listAgentsQuery,
    description: 'An integration caller sees each agent without `email` (its own excepted).',
    success: 200,
    response: pageOf(agentResponse),
  },
  {
    method: 'get',
    path: '/api/v1/agents/:id',
    description: 'An integration caller sees the agent without `email` (its own excepted).',
    success: 200,
    response: agentResponse,
  },
  {
    method: 'patch',
    path: '/api/v1/agents/:id',
    summary:
      'Change an agent; reactivating one returns its new token once (the old one stays dead)',
    body: updateAgentInput,
    success: 200,
    response: agentResponse.extend({ token: z.string().min(1).optional() }),
  },
  {
    method: 'post',
    path: '/api/v1/agents/:id/token',
    success: 201,
    response: agentWithTokenResponse,
  },
  {
    method: 'get',
    path: '/api/v1/agents/:id/deactivation-preview',
    summary: 'Where each open ticket of the agent would go if it were deactivated now',
    success: 200,
  },
  { method: 'get', path: '/api/v1/me', success: 200, response: meResponse },
];
