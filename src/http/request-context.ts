import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { DataSource } from 'typeorm';
import type { Actor } from '../agents/actor';
import { authenticateToken } from '../agents/authenticate';
import { Forbidden, NotFound } from '../errors';
import { parseIfMatch } from '../tickets/tickets.input';

/** Resolves the bearer token of every /api/v1 request to the calling agent. */
export function authenticate(dataSource: DataSource): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const header = req.get('authorization');
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    res.locals.actor = await authenticateToken(dataSource, match?.[1]);
    next();
  };
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
