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
  const agent = await manager.getRepository(Agent).findOneBy({ id: agentId });
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
