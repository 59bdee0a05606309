import type { EntityManager } from 'typeorm';
import { hashToken } from './tokens';

/**
 * Ends every console session of an agent, except (optionally) the one making the request: on
 * deactivation and password changes (sessions/ owns the rest of the session store).
 */
export async function endAgentSessions(
  manager: EntityManager,
  agentId: string,
  exceptSessionId?: string,
): Promise<void> {
  await manager.query(`DELETE FROM sessions WHERE agent_id = $1 AND id_hash <> $2`, [
    agentId,
    exceptSessionId ? hashToken(exceptSessionId) : '',
  ]);
}
