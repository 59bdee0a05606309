import { Router } from 'express';
import type { DataSource } from 'typeorm';
import type { Redis } from 'ioredis';
import { FAILING_THRESHOLD, type DependencyHealth } from '../http/dependency-health';

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

type CheckResult = 'ok' | 'unreachable' | 'failing';

/**
 * /healthz: the process is up. /readyz: Postgres and Redis serve requests: a read of a real
 * table and a Redis write answer in time (a full or read-only Redis still answers PING), and
 * requests have not kept failing on the database in the last few seconds.
 */
export function healthRoutes(
  dataSource: DataSource,
  redis: Redis,
  options: { health?: DependencyHealth; keyPrefix?: string } = {},
): Router {
  const router = Router();
  const probeKey = `${options.keyPrefix ?? 'ownit'}:readyz`;
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const [postgresProbe, redisProbe] = await Promise.allSettled([
      withTimeout(dataSource.query('SELECT 1 FROM agents LIMIT 1'), 'postgres'),
      withTimeout(redis.set(probeKey, String(Date.now()), 'PX', 60_000), 'redis'),
    ]);
    const judge = (probe: PromiseSettledResult<unknown>, failures: number): CheckResult =>
      probe.status === 'rejected'
        ? 'unreachable'
        : failures >= FAILING_THRESHOLD
          ? 'failing'
          : 'ok';
    const checks = {
      postgres: judge(postgresProbe, options.health?.recentFailures('postgres') ?? 0),
      redis: judge(redisProbe, options.health?.recentFailures('redis') ?? 0),
    };
    const ready = checks.postgres === 'ok' && checks.redis === 'ok';
    if (!ready) res.setHeader('Retry-After', '5');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks });
  });
  return router;
}
