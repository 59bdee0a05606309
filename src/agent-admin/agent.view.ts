import type { Actor } from '../actor';
import type { Agent } from '../agents/agent.entity';

/**
 * An agent as the API shows it. Staff addresses are for staff: an integration viewer sees every
 * field but the email (its own excepted), so a leaked integration token lists no one to phish.
 */
export function agentView(agent: Agent, viewer?: Actor) {
  const view = {
    id: agent.id,
    name: agent.name,
    email: agent.email,
    role: agent.role,
    teamId: agent.teamId,
    capacity: agent.capacity,
    away: agent.away,
    active: agent.active,
    escalationDigest: agent.escalationDigest,
    supervisorId: agent.supervisorId,
    createdAt: agent.createdAt.toISOString(),
    updatedAt: agent.updatedAt.toISOString(),
  };
  if (viewer?.role !== 'integration' || viewer.id === agent.id) return view;
  return Object.fromEntries(Object.entries(view).filter(([key]) => key !== 'email')) as Omit<
    typeof view,
    'email'
  >;
}
