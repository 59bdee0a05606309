export const AGENT_ROLES = ['rep', 'supervisor', 'admin', 'integration'] as const;
export type AgentRole = (typeof AGENT_ROLES)[number];

/** The authenticated caller of a request. */
export interface Actor {
  id: string;
  name: string;
  role: AgentRole;
  teamId: string | null;
}

export const isAdmin = (actor: Actor): boolean => actor.role === 'admin';

/** A supervisor acts on its own team; an admin on every team. */
export const supervisesTeam = (actor: Actor, teamId: string): boolean =>
  actor.role === 'admin' || (actor.role === 'supervisor' && actor.teamId === teamId);
