import type { ServiceContext } from '../context';
import type { ResolveSession } from '../http/request-context';
import { findLiveSession } from './session-store';
import { authSettingsOf } from './sign-in.service';

/** The session lookup the HTTP layer's `authenticateCaller` is given (wired in app.ts). */
export const sessionAuthenticator =
  (ctx: ServiceContext): ResolveSession =>
  (sessionId) =>
    findLiveSession(ctx.dataSource, authSettingsOf(ctx), sessionId, ctx.clock.now());
