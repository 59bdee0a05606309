import { Router } from 'express';
import type { DataSource } from 'typeorm';
import type { Redis } from 'ioredis';

const CHECK_TIMEOUT_MS = 2_000;

function withTimeout<T>(work: Promise<T>, what: string): Promise<T> {
  return Promise.race([
    work,
    new Promise<T>((_, reject) =>
      setTimeout(
        () => reject(new Error(`${what} did not answer in ${CHECK_TIMEOUT_MS} ms`)),
        CHECK_TIMEOUT_MS,
      ).unref(),
    ),
  ]);
}

/** /healthz: the process is up. /readyz: it can reach Postgres and Redis. */
export function healthRoutes(dataSource: DataSource, redis: Redis): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const checks = await Promise.allSettled([
      withTimeout(dataSource.query('SELECT 1'), 'postgres'),
      withTimeout(redis.ping(), 'redis'),
    ]);
    const [postgres, redisCheck] = checks.map((c) =>
      c.status === 'fulfilled' ? 'ok' : 'unreachable',
    );
    const ready = checks.every((c) => c.status === 'fulfilled');
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'not ready',
      checks: { postgres, redis: redisCheck },
    });
  });
  return router;
}
