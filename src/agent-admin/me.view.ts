import type { ServiceContext } from '../context';
import type { Agent } from '../agents/agent.entity';
import { agentView } from './agent.view';
import { openTicketCount } from './agents.service';

/** The signed-in agent as GET /me, the sign-in and the session answers show it. */
export async function meView(ctx: ServiceContext, agent: Agent) {
  return { ...agentView(agent), openTicketCount: await openTicketCount(ctx, agent.id) };
}
