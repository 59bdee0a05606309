import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Actor } from '../actor';
import { Forbidden, InvalidInput, NotFound, Unauthenticated } from '../errors';
import { sessionCookieOf } from './session-cookie';

/** Turns a bearer token (or its absence) into the caller, or throws Unauthenticated. */
export type ResolveActor = (token: string | undefined) => Promise<Actor>;

/** Turns a console session id into the caller and when the session ends, if it is live. */
export type ResolveSession = (
  sessionId: string,
) => Promise<{ actor: Actor; expiresAt: Date } | undefined>;

function bearerTokenOf(req: Request): string | undefined {
  const header = req.get('authorization');
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1];
}

/**
 * Resolves the bearer token of a request to the calling agent (bearer only: machine routes). The
 * lookup is passed in (agents/authenticate.ts, wired in app.ts) so this glue imports no domain
 * module.
 */
export function authenticate(resolveActor: ResolveActor): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    res.locals.actor = await resolveActor(bearerTokenOf(req));
    next();
  };
}

/**
 * Resolves every /api/v1 request to the calling agent: by its bearer token if it sends an
 * Authorization header, else by the console's session cookie. Both lead to the same Actor, so
 * roles and access rules are the same however the caller signed in.
 */
export function authenticateCaller(
  resolveActor: ResolveActor,
  resolveSession: ResolveSession,
): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const sessionId = sessionCookieOf(req);
    if (req.get('authorization') !== undefined || sessionId === undefined) {
      res.locals.actor = await resolveActor(bearerTokenOf(req));
      return next();
    }
    const session = await resolveSession(sessionId);
    if (!session) throw new Unauthenticated('Your session has ended; sign in again.');
    res.locals.actor = session.actor;
    res.locals.session = { id: sessionId, expiresAt: session.expiresAt };
    next();
  };
}

/** The console session the request was authenticated by, if any. */
export function sessionOf(res: Response): { id: string; expiresAt: Date } | undefined {
  return res.locals.session as { id: string; expiresAt: Date } | undefined;
}

export function actorOf(res: Response): Actor {
  return res.locals.actor as Actor;
}

/** Integrations create tickets and log customer messages; they never act as staff. */
export function staffOnly(res: Response): Actor {
  const actor = actorOf(res);
  if (actor.role === 'integration') throw new Forbidden('Integrations cannot do this.');
  return actor;
}

/** If-Match carries the ticket version: "3", a quoted ETag "\"3\"" or a weak one W/"3". */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!match?.[1]) {
    throw InvalidInput.field('If-Match', 'must be the ticket version, e.g. 3');
  }
  return Number(match[1]);
}

export function ifMatchOf(req: Request): number | undefined {
  return parseIfMatch(req.get('if-match'));
}

/** ETag carries the ticket version so clients can send it back in If-Match. */
export function sendVersioned(res: Response, status: number, body: { version: number }): void {
  res.status(status).setHeader('ETag', `"${body.version}"`).json(body);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path id; anything that is not a UUID cannot name an object, so it is a plain 404. */
export function idParam(req: Request, what: string): string {
  const value = req.params.id;
  if (typeof value !== 'string' || !UUID.test(value))
    throw new NotFound(`No ${what} ${String(value)}.`);
  return value;
}

/** Tickets are addressed by id or by reference ("T-000123"); ticket-access checks the shape. */
export function ticketParam(req: Request): string {
  const value = req.params.id;
  return typeof value === 'string' ? value : '';
}
