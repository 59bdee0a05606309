import { randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { Agent } from '../agents/agent.entity';
import { hashPassword } from '../agents/passwords';
import { hashToken } from '../agents/tokens';
import type { ServiceContext } from '../context';
import { inTransaction } from '../db/transaction';
import { Gone, InvalidInput } from '../errors';
import { authSettingsOf, type ClientInfo } from './sign-in.service';
import { endAgentSessions } from '../agents/agent-sessions';
import { openSession, type OpenedSession } from './session-store';

/**
 * One-time links to set a password: the first admin's (logged on first start), invitations and
 * resets (emailed). The token carries 256 random bits and is stored only as a hash; a newer link
 * for the same agent replaces any older unused one.
 */
export type PasswordLinkPurpose = 'first_admin' | 'invitation' | 'reset';

export interface IssuedLink {
  url: string;
  expiresAt: Date;
}

export function setPasswordUrl(publicUrl: string, token: string): string {
  return `${publicUrl}/set-password?token=${encodeURIComponent(token)}`;
}

export async function issuePasswordLink(
  manager: EntityManager,
  publicUrl: string,
  agentId: string,
  purpose: PasswordLinkPurpose,
  now: Date,
  validForMinutes: number,
): Promise<IssuedLink> {
  await manager.query(
    `UPDATE password_tokens SET used_at = $2 WHERE agent_id = $1 AND used_at IS NULL`,
    [agentId, now],
  );
  const token = `pwl_${randomBytes(32).toString('base64url')}`;
  const expiresAt = new Date(now.getTime() + validForMinutes * 60_000);
  await manager.query(
    `INSERT INTO password_tokens (token_hash, agent_id, purpose, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5)`,
    [hashToken(token), agentId, purpose, now, expiresAt],
  );
  return { url: setPasswordUrl(publicUrl, token), expiresAt };
}

interface TokenRow {
  agent_id: string;
  expires_at: Date;
  used_at: Date | null;
}

/**
 * Sets the password a link was issued for and signs the agent in. The link is used up in the same
 * transaction (row-locked, so two clicks cannot both succeed); every earlier session ends.
 */
export async function usePasswordLink(
  ctx: ServiceContext,
  token: string,
  password: string,
  client: ClientInfo,
): Promise<{ agent: Agent; session: OpenedSession }> {
  const passwordHash = await hashPassword(password);
  const now = ctx.clock.now();
  return inTransaction(ctx.dataSource, async (manager) => {
    const rows: TokenRow[] = await manager.query(
      `SELECT agent_id, expires_at, used_at FROM password_tokens WHERE token_hash = $1 FOR UPDATE`,
      [hashToken(token)],
    );
    const link = rows[0];
    if (!link) throw InvalidInput.field('token', 'is not a valid set-password link');
    if (link.used_at) {
      throw new Gone('This link was already used or replaced by a newer one; ask for a new one.');
    }
    if (link.expires_at.getTime() <= now.getTime()) {
      throw new Gone('This link has expired; ask for a new one.');
    }
    const agent = await manager
      .getRepository(Agent)
      .findOne({ where: { id: link.agent_id }, lock: { mode: 'for_no_key_update' } });
    if (!agent?.active) throw new Gone('This account is deactivated.');
    await manager.query(`UPDATE password_tokens SET used_at = $2 WHERE token_hash = $1`, [
      hashToken(token),
      now,
    ]);
    await manager.getRepository(Agent).update({ id: agent.id }, { passwordHash });
    await endAgentSessions(manager, agent.id);
    const session = await openSession(manager, authSettingsOf(ctx), agent.id, now, client);
    return { agent, session };
  });
}
