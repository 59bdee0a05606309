import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { Forbidden } from '../errors';
import { actorOf } from './request-context';
import { sendProblem } from './problem';

/**
 * After authenticateCaller (bearer token or console session): admins pass, other agents get 403
 * (the unauthenticated got 401 there). For admin pages outside /api/v1 (the queue board).
 */
export function adminOnly(): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction) => {
    if (actorOf(res).role !== 'admin') throw new Forbidden('Only admins may inspect the queues.');
    next();
  };
}

/** Pages that only show: any write is 405 (the queue board is for looking, not for changing). */
export function readOnly(what: string): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    res.setHeader('Allow', 'GET, HEAD');
    sendProblem(res, {
      type: '/problems/method-not-allowed',
      title: 'Method not allowed',
      status: 405,
      detail: `${what} is read-only.`,
    });
  };
}
