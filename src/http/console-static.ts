import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';

/** Paths that are never the console: they keep their own answers, 404s included. */
const SERVER_PATHS = /^\/(api|status|survey|dev|healthz|readyz|inbound|metrics)(\/|$)/;

/** dist/console next to the compiled server (dist/src/http), or from the sources (src/http). */
export function findConsoleDir(): string | null {
  const candidates = [
    resolve(__dirname, '../../console'),
    resolve(__dirname, '../../dist/console'),
  ];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? null;
}

/**
 * The agent console at /: hashed assets cached for a year, index.html never cached (so a new
 * build is picked up at once), and every other GET that is not a server path answered with
 * index.html so client routes (/tickets/…) survive a reload.
 */
export function consoleRoutes(dir: string | null = findConsoleDir()): Router {
  const router = express.Router();
  if (!dir) return router;
  const indexFile = join(dir, 'index.html');
  router.use(
    '/assets',
    express.static(join(dir, 'assets'), {
      immutable: true,
      maxAge: '365d',
      index: false,
      fallthrough: true,
    }),
  );
  const sendIndex = (_req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(indexFile);
  };
  router.get(/.*/, (req: Request, res: Response, next: NextFunction) => {
    if (SERVER_PATHS.test(req.path) || req.path.startsWith('/assets/')) return next();
    // A file name that is not there (favicon.ico, robots.txt): a 404, not the app.
    if (/\.[a-z0-9]+$/i.test(req.path) && req.path !== '/index.html') {
      return express.static(dir, { index: false, maxAge: '1h' })(req, res, next);
    }
    sendIndex(req, res);
  });
  return router;
}
