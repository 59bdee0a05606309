import type { NextFunction, Request, Response } from 'express';
import { sendServiceUnavailable } from './problem';

export interface ConcurrencyLimit {
  (req: Request, res: Response, next: NextFunction): void;
  /** Requests running and waiting now (for tests and metrics). */
  load(): { running: number; waiting: number };
}

/**
 * Lets at most `limit` requests run at once; the rest wait in order for up to `waitMs`, then get
 * 503 with Retry-After. Heavy reports go through one of these so that a burst of them (every
 * supervisor at 17:00) can hold only a few database connections and never stall the reps.
 */
export function limitConcurrency(limit: number, waitMs: number): ConcurrencyLimit {
  let running = 0;
  const waiting: Array<() => void> = [];
  const release = () => {
    running -= 1;
    const next = waiting.shift();
    if (next) next();
  };
  const middleware = ((req: Request, res: Response, next: NextFunction) => {
    const start = () => {
      running += 1;
      let released = false;
      const once = () => {
        if (!released) {
          released = true;
          release();
        }
      };
      res.once('finish', once);
      res.once('close', once);
      next();
    };
    if (running < limit) {
      start();
      return;
    }
    const timer = setTimeout(() => {
      const index = waiting.indexOf(admit);
      if (index >= 0) waiting.splice(index, 1);
      sendServiceUnavailable(res, 'Too many reports are running right now. Retry shortly.');
    }, waitMs);
    const admit = () => {
      clearTimeout(timer);
      start();
    };
    waiting.push(admit);
    req.once('close', () => {
      const index = waiting.indexOf(admit);
      if (index >= 0) {
        waiting.splice(index, 1);
        clearTimeout(timer);
      }
    });
  }) as ConcurrencyLimit;
  middleware.load = () => ({ running, waiting: waiting.length });
  return middleware;
}
