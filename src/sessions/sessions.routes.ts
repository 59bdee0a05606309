import { Router, type Request, type Response } from 'express';
import { setAgentPassword } from './agent-password.service';
import { setPasswordInput } from '../agent-admin/agents.input';
import { getAgent } from '../agent-admin/agents.service';
import { meView } from '../agent-admin/me.view';
import type { ServiceContext } from '../context';
import { Unauthenticated } from '../errors';
import { actorOf, idParam, sessionOf } from '../http/request-context';
import { clearSessionCookie, sessionCookieOf, setSessionCookie } from '../http/session-cookie';
import { parseBody } from '../http/validate';
import { inviteAgent, requestPasswordReset } from './invitations.service';
import { usePasswordLink } from './password-links';
import { endSession, type OpenedSession } from './session-store';
import { passwordResetInput, signInInput, usePasswordLinkInput } from './sessions.input';
import { signIn, type ClientInfo } from './sign-in.service';

function clientOf(req: Request): ClientInfo {
  return { ip: req.ip ?? req.socket.remoteAddress ?? 'unknown', userAgent: req.get('user-agent') };
}

/** Sign-in, sign-out and password links: reachable without being signed in. */
export function publicSessionRoutes(ctx: ServiceContext): Router {
  const router = Router();
  const startSession = (res: Response, session: OpenedSession) =>
    setSessionCookie(
      res,
      ctx.settings.publicUrl,
      session.sessionId,
      session.expiresAt.getTime() - ctx.clock.now().getTime(),
    );

  router.post('/session', async (req, res) => {
    const input = parseBody(signInInput, req.body);
    const { agent, session } = await signIn(ctx, input, clientOf(req));
    startSession(res, session);
    res.setHeader('Cache-Control', 'no-store');
    res.json({ agent: await meView(ctx, agent), expiresAt: session.expiresAt.toISOString() });
  });

  // Idempotent: signing out without (or with an ended) session still clears the cookie.
  router.delete('/session', async (req, res) => {
    const sessionId = sessionCookieOf(req);
    if (sessionId) await endSession(ctx.dataSource.manager, sessionId);
    clearSessionCookie(res, ctx.settings.publicUrl);
    res.status(204).end();
  });

  router.post('/password/set', async (req, res) => {
    const input = parseBody(usePasswordLinkInput, req.body);
    const { agent, session } = await usePasswordLink(
      ctx,
      input.token,
      input.password,
      clientOf(req),
    );
    startSession(res, session);
    res.setHeader('Cache-Control', 'no-store');
    res.json({ agent: await meView(ctx, agent), expiresAt: session.expiresAt.toISOString() });
  });

  router.post('/password-reset', async (req, res) => {
    const input = parseBody(passwordResetInput, req.body);
    await requestPasswordReset(ctx, input.email, clientOf(req));
    res.status(202).json({
      detail: 'If this address belongs to an active agent, a reset link is on its way.',
    });
  });
  return router;
}

/** Session and password endpoints for a signed-in caller. */
export function sessionRoutes(ctx: ServiceContext): Router {
  const router = Router();
  router.get('/session', async (_req, res) => {
    const session = sessionOf(res);
    if (!session) throw new Unauthenticated('Not signed in with a session cookie.');
    const actor = actorOf(res);
    res.setHeader('Cache-Control', 'no-store');
    res.json({
      agent: await meView(ctx, await getAgent(ctx, actor, actor.id)),
      expiresAt: session.expiresAt.toISOString(),
    });
  });

  router.put('/agents/:id/password', async (req, res) => {
    const input = parseBody(setPasswordInput, req.body);
    await setAgentPassword(
      ctx,
      actorOf(res),
      idParam(req, 'agent'),
      input.password,
      sessionOf(res)?.id,
    );
    res.status(204).end();
  });

  router.post('/agents/:id/invite', async (req, res) => {
    const invitation = await inviteAgent(ctx, actorOf(res), idParam(req, 'agent'));
    res.status(202).json({ ...invitation, expiresAt: invitation.expiresAt.toISOString() });
  });
  return router;
}
