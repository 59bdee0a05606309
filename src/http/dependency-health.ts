/**
 * What requests have recently seen of Postgres and Redis. A database can accept connections and
 * answer a probe while it fails real requests (connections terminated under load, a standby
 * refusing writes); /readyz turns 503 while such failures keep arriving, not only when a probe
 * cannot connect.
 */
export type Dependency = 'postgres' | 'redis';

export interface DependencyHealth {
  recordFailure(dependency: Dependency): void;
  /** Failures seen in the window, per dependency. */
  recentFailures(dependency: Dependency): number;
}

export const FAILING_WINDOW_MS = 10_000;
/** This many unavailability failures within the window count as "failing requests". */
export const FAILING_THRESHOLD = 3;

export function createDependencyHealth(now: () => number = Date.now): DependencyHealth {
  const failures: Record<Dependency, number[]> = { postgres: [], redis: [] };
  const prune = (dependency: Dependency) => {
    const since = now() - FAILING_WINDOW_MS;
    const kept = failures[dependency].filter((at) => at >= since);
    failures[dependency] = kept.slice(-100);
    return kept.length;
  };
  return {
    recordFailure(dependency) {
      failures[dependency].push(now());
      prune(dependency);
    },
    recentFailures: prune,
  };
}
