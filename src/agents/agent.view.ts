import type { Agent } from './agent.entity';

export function agentView(agent: Agent) {
  return {
    id: agent.id,
    name: agent.name,
    email: agent.email,
    role: agent.role,
    teamId: agent.teamId,
    capacity: agent.capacity,
    away: agent.away,
    active: agent.active,
    escalationDigest: agent.escalationDigest,
    createdAt: agent.createdAt.toISOString(),
    updatedAt: agent.updatedAt.toISOString(),
  };
}
