import type { ServiceContext } from '../context';
import { deleteOldAttempts } from './attempt-limits';
import { deleteExpiredSessions } from './session-store';
import { authSettingsOf } from './sign-in.service';

/** Housekeeping: ended sessions and day-old sign-in attempts are deleted (they count for nothing). */
export async function forgetExpiredSessions(ctx: ServiceContext): Promise<void> {
  const now = ctx.clock.now();
  await deleteExpiredSessions(ctx.dataSource.manager, authSettingsOf(ctx), now);
  await deleteOldAttempts(ctx.dataSource.manager, now);
}
