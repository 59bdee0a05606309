import { Agent } from '../agents/agent.entity';
import { verifyPassword } from '../agents/passwords';
import type { ServiceContext } from '../context';
import { Unauthenticated } from '../errors';
import { clearAttempts, recordAttempt, secondsUntilAllowed, tooMany } from './attempt-limits';
import { DEFAULT_AUTH_SETTINGS, type AuthSettings } from '../auth-settings';
import { openSession, type OpenedSession } from './session-store';
import type { SignInInput } from './sessions.input';

export interface ClientInfo {
  ip: string;
  userAgent: string | undefined;
}

export const authSettingsOf = (ctx: ServiceContext): AuthSettings =>
  ctx.settings.auth ?? DEFAULT_AUTH_SETTINGS;

/** One message for an unknown email and a wrong password, so neither can be told apart. */
const WRONG_CREDENTIALS = 'The email or password is wrong.';

/**
 * Signs an agent in with email and password and opens a session. Guessing is limited per account
 * and per client address: past the limit the answer is 429 whether or not the password is right.
 */
export async function signIn(
  ctx: ServiceContext,
  input: SignInInput,
  client: ClientInfo,
): Promise<{ agent: Agent; session: OpenedSession }> {
  const settings = authSettingsOf(ctx);
  const manager = ctx.dataSource.manager;
  const now = ctx.clock.now();
  const window = settings.failureWindowMinutes;
  const accountWait = await secondsUntilAllowed(
    manager,
    { kind: 'sign_in_failure', column: 'email', value: input.email },
    settings.accountFailureLimit,
    window,
    now,
  );
  const ipWait = await secondsUntilAllowed(
    manager,
    { kind: 'sign_in_failure', column: 'ip', value: client.ip },
    settings.ipFailureLimit,
    window,
    now,
  );
  if (accountWait > 0 || ipWait > 0) {
    throw tooMany('failed sign-ins', Math.max(accountWait, ipWait));
  }

  const agent = await ctx.dataSource
    .getRepository(Agent)
    .createQueryBuilder('a')
    .addSelect('a.passwordHash')
    .where('lower(a.email) = :email AND a.active AND a.role <> :integration', {
      email: input.email,
      integration: 'integration',
    })
    .getOne();
  const matches = await verifyPassword(agent?.passwordHash ?? null, input.password);
  if (!agent || !matches) {
    await recordAttempt(manager, 'sign_in_failure', input.email, client.ip, now);
    throw new Unauthenticated(WRONG_CREDENTIALS);
  }
  await clearAttempts(manager, 'sign_in_failure', input.email);
  const session = await openSession(manager, settings, agent.id, now, client);
  return { agent, session };
}
