import type { EntityManager } from 'typeorm';
import { Agent } from '../agents/agent.entity';
import { InvalidInput } from '../errors';
import type { Ticket } from '../tickets/ticket.entity';

/**
 * A named new owner must be an active rep or supervisor of the ticket's team: ownership stays
 * inside the team whose calendar the customer was promised. Other silos are consulted instead.
 */
export async function requireEligibleOwner(
  manager: EntityManager,
  ticket: Ticket,
  agentId: string,
  field: string,
  options: { allowAway: boolean },
): Promise<Agent> {
  const agent = await lockAgentForOwnership(manager, agentId);
  if (!agent || !agent.active) throw InvalidInput.field(field, 'names no active agent');
  if (agent.role !== 'rep' && agent.role !== 'supervisor') {
    throw InvalidInput.field(field, 'must name a rep or supervisor');
  }
  if (agent.teamId !== ticket.teamId) {
    throw InvalidInput.field(field, "must name a member of the ticket's team");
  }
  if (agent.away && !options.allowAway)
    throw InvalidInput.field(field, 'names an agent who is away');
  return agent;
}

/**
 * Locks an agent row FOR SHARE so a concurrent deactivation (which takes it FOR UPDATE) either
 * finishes first, and we see the agent inactive, or waits until we have committed, and then
 * finds and moves the tickets we gave them. Lock order everywhere: team assignment lock, then
 * agent rows, then ticket rows.
 */
export async function lockAgentForOwnership(
  manager: EntityManager,
  agentId: string,
): Promise<Agent | null> {
  return manager
    .getRepository(Agent)
    .findOne({ where: { id: agentId }, lock: { mode: 'pessimistic_read' } });
}
