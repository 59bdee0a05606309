import type { Actor } from '../actor';
import { isAdmin } from '../actor';
import type { ServiceContext } from '../context';
import { inTransaction } from '../db/transaction';
import { InvalidInput, NotFound } from '../errors';
import { endAgentSessions } from '../agents/agent-sessions';
import { Agent } from '../agents/agent.entity';
import { hashPassword } from '../agents/passwords';

/**
 * Sets an agent's console password (admins for anyone, including the ADMIN_TOKEN admin; anyone
 * for themselves). Every other session of the agent ends: a changed password locks out whoever
 * knew the old one.
 */
export async function setAgentPassword(
  ctx: ServiceContext,
  actor: Actor,
  agentId: string,
  password: string,
  currentSessionId: string | undefined,
): Promise<void> {
  if (!isAdmin(actor) && actor.id !== agentId) throw new NotFound(`No agent ${agentId}.`);
  const passwordHash = await hashPassword(password);
  await inTransaction(ctx.dataSource, async (manager) => {
    const agent = await manager
      .getRepository(Agent)
      .findOne({ where: { id: agentId }, lock: { mode: 'for_no_key_update' } });
    if (!agent) throw new NotFound(`No agent ${agentId}.`);
    if (agent.role === 'integration') {
      throw InvalidInput.field('password', 'is for people; an integration uses its token');
    }
    await manager.getRepository(Agent).update({ id: agentId }, { passwordHash });
    await endAgentSessions(manager, agentId, actor.id === agentId ? currentSessionId : undefined);
  });
}
