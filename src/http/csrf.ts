import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { sendProblem } from './problem';
import { sessionCookieOf } from './session-cookie';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Sign-in endpoints set the cookie: a foreign page must not sign a browser in either. */
const COOKIE_SETTING_PATHS = new Set(['/session', '/password/set']);

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

/**
 * Cross-site request forgery guard for cookie-authenticated writes. Browsers send Origin on every
 * cross-origin (and same-origin non-GET) fetch; it must name this site: PUBLIC_URL's origin or the
 * Host the request came to. Without Origin, Sec-Fetch-Site must say same-origin. And the body must
 * be JSON, which a plain HTML form cannot send. Bearer-token requests carry no ambient credential
 * and pass untouched.
 */
export function csrfGuard(publicUrl: string): RequestHandler {
  const publicOrigin = new URL(publicUrl).origin;
  return (req: Request, res: Response, next: NextFunction) => {
    if (SAFE_METHODS.has(req.method)) return next();
    if (/^Bearer\s/i.test(req.get('authorization') ?? '')) return next();
    const hasCookie = sessionCookieOf(req) !== undefined;
    const setsCookie = COOKIE_SETTING_PATHS.has(req.path);
    if (!hasCookie && !setsCookie) return next();

    const origin = req.get('origin');
    const fetchSite = req.get('sec-fetch-site');
    let sameSite: boolean;
    if (origin !== undefined) {
      sameSite = origin === publicOrigin || hostOf(origin) === req.get('host');
    } else if (fetchSite !== undefined) {
      sameSite = fetchSite === 'same-origin';
    } else {
      // No browser signals at all: a script or curl. Fine for signing in (no cookie to abuse yet);
      // a request riding on a cookie must say where it comes from.
      sameSite = !hasCookie;
    }
    const hasBody =
      Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
    // Uploads (POST /tickets/:id/attachments) are raw bytes: a form cannot send octet-stream either.
    const jsonBody =
      !hasBody ||
      req.is(['application/json', 'application/*+json']) !== false ||
      (/\/attachments$/.test(req.path) && req.is('application/octet-stream') !== false);
    if (sameSite && jsonBody) return next();
    sendProblem(res, {
      type: '/problems/cross-site-request',
      title: 'Cross-site request refused',
      status: 403,
      detail: sameSite
        ? 'Requests signed in with the session cookie must send their body as application/json.'
        : 'This request comes from another site; requests signed in with the session cookie must come from the OwnIt console itself.',
    });
  };
}
