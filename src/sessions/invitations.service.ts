import { isAdmin, type Actor } from '../actor';
import { Agent } from '../agents/agent.entity';
import type { ServiceContext } from '../context';
import { inTransaction } from '../db/transaction';
import { Conflict, Forbidden, NotFound } from '../errors';
import { queueEmail } from '../notifications/queue-email';
import { recordAttempt, secondsUntilAllowed, tooMany } from './attempt-limits';
import { issuePasswordLink } from './password-links';
import { authSettingsOf, type ClientInfo } from './sign-in.service';

/** Reset emails per address within the window; more requests are answered but send nothing. */
const RESETS_PER_ACCOUNT = 3;

/**
 * Emails an agent a one-time link to set its password (admins; the agent then signs in to the
 * console). A new invitation replaces an unused older one.
 */
export async function inviteAgent(
  ctx: ServiceContext,
  actor: Actor,
  agentId: string,
): Promise<{ agentId: string; email: string; expiresAt: Date }> {
  if (!isAdmin(actor)) throw new Forbidden('Only an admin can invite agents.');
  const settings = authSettingsOf(ctx);
  const now = ctx.clock.now();
  return inTransaction(ctx.dataSource, async (manager) => {
    const agent = await manager
      .getRepository(Agent)
      .findOne({ where: { id: agentId }, lock: { mode: 'for_no_key_update' } });
    if (!agent) throw new NotFound(`No agent ${agentId}.`);
    if (!agent.active) throw new Conflict(`${agent.name} is deactivated; activate them first.`);
    if (agent.role === 'integration') {
      throw new Conflict('An integration signs in with its token, not a password.');
    }
    const link = await issuePasswordLink(
      manager,
      ctx.settings.publicUrl,
      agent.id,
      'invitation',
      now,
      settings.invitationValidityHours * 60,
    );
    await queueEmail(manager, {
      key: `agent:${agent.id}:invitation:${now.getTime()}`,
      template: 'agent_invitation',
      toAddress: agent.email,
      agentId: agent.id,
      payload: {
        agentName: agent.name,
        invitedBy: actor.name,
        setPasswordUrl: link.url,
        expiresAt: link.expiresAt.toISOString(),
      },
      at: now,
      actorId: actor.id,
    });
    return { agentId: agent.id, email: agent.email, expiresAt: link.expiresAt };
  });
}

/**
 * "Forgot password": emails a reset link if the address belongs to an active agent. The caller
 * learns nothing either way (always 202); per client address, too many requests get 429.
 */
export async function requestPasswordReset(
  ctx: ServiceContext,
  email: string,
  client: ClientInfo,
): Promise<void> {
  const settings = authSettingsOf(ctx);
  const now = ctx.clock.now();
  const manager = ctx.dataSource.manager;
  const ipWait = await secondsUntilAllowed(
    manager,
    { kind: 'reset_request', column: 'ip', value: client.ip },
    settings.ipResetLimit,
    settings.failureWindowMinutes,
    now,
  );
  if (ipWait > 0) throw tooMany('password-reset requests', ipWait);
  const accountWait = await secondsUntilAllowed(
    manager,
    { kind: 'reset_request', column: 'email', value: email },
    RESETS_PER_ACCOUNT,
    settings.failureWindowMinutes,
    now,
  );
  await recordAttempt(manager, 'reset_request', email, client.ip, now);
  if (accountWait > 0) return;

  await inTransaction(ctx.dataSource, async (tx) => {
    const agent = await tx
      .getRepository(Agent)
      .createQueryBuilder('a')
      .where('lower(a.email) = :email AND a.active AND a.role <> :integration', {
        email,
        integration: 'integration',
      })
      .getOne();
    if (!agent) return;
    const link = await issuePasswordLink(
      tx,
      ctx.settings.publicUrl,
      agent.id,
      'reset',
      now,
      settings.resetValidityMinutes,
    );
    await queueEmail(tx, {
      key: `agent:${agent.id}:password-reset:${now.getTime()}`,
      template: 'password_reset',
      toAddress: agent.email,
      agentId: agent.id,
      payload: {
        agentName: agent.name,
        setPasswordUrl: link.url,
        expiresAt: link.expiresAt.toISOString(),
      },
      at: now,
    });
  });
}
