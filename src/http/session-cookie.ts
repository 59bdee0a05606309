import type { Request, Response } from 'express';

export const SESSION_COOKIE = 'ownit_session';

/** The session cookie's value, if the request carries one. */
export function sessionCookieOf(req: Request): string | undefined {
  const header = req.get('cookie');
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator < 0) continue;
    if (part.slice(0, separator).trim() !== SESSION_COOKIE) continue;
    const value = part.slice(separator + 1).trim();
    return value.length > 0 ? value : undefined;
  }
  return undefined;
}

/** HttpOnly (scripts never see it), SameSite=Lax, and Secure when the console is served on https. */
function cookieOptions(publicUrl: string) {
  return {
    httpOnly: true,
    sameSite: 'lax' as const,
    path: '/',
    secure: publicUrl.startsWith('https:'),
  };
}

export function setSessionCookie(
  res: Response,
  publicUrl: string,
  sessionId: string,
  maxAgeMs: number,
): void {
  res.cookie(SESSION_COOKIE, sessionId, { ...cookieOptions(publicUrl), maxAge: maxAgeMs });
}

export function clearSessionCookie(res: Response, publicUrl: string): void {
  res.clearCookie(SESSION_COOKIE, cookieOptions(publicUrl));
}
