import { createServer, type Server } from 'node:http';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { poolStats, type PoolStats } from './db/pool-stats';
import type { Logger } from './logger';

const GAUGES_NAMED_TOTAL = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

/**
 * Prometheus metrics of one process. prom-client lives only here, in src/http/http-metrics.ts
 * and in src/worker/: the domain reports what happened through plain observer functions and the
 * edges turn that into metrics (`npm run lint` enforces it).
 */
export function createMetricsRegistry(
  role: 'api' | 'worker' | 'all',
  options: { processMetrics?: boolean } = {},
): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ role });
  // Process CPU, memory, event-loop lag, GC: the standard Node.js set (one per process).
  if (options.processMetrics ?? true) {
    collectDefaultMetrics({ register: registry });
    // Gauges named like counters (promtool's lint refuses them); nodejs_active_handles and
    // nodejs_active_requests (by type) say the same.
    for (const name of GAUGES_NAMED_TOTAL) registry.removeSingleMetric(name);
  }
  return registry;
}

/** Use of each Postgres pool (the API's and the worker's are separate), read at each scrape. */
export function registerPoolMetrics(
  registry: Registry,
  pools: Array<{ pool: 'api' | 'worker'; dataSource: DataSource }>,
): void {
  const eachPool = (read: (pool: string, stats: PoolStats) => void) => {
    for (const { pool, dataSource } of pools) {
      const stats = poolStats(dataSource);
      if (stats) read(pool, stats);
    }
  };
  new Gauge({
    name: 'ownit_db_pool_connections',
    help: 'Postgres connections of a pool: in_use (checked out) or idle.',
    labelNames: ['pool', 'state'] as const,
    registers: [registry],
    collect() {
      eachPool((pool, stats) => {
        this.set({ pool, state: 'in_use' }, stats.total - stats.idle);
        this.set({ pool, state: 'idle' }, stats.idle);
      });
    },
  });
  new Gauge({
    name: 'ownit_db_pool_max_connections',
    help: 'The size limit of a Postgres pool.',
    labelNames: ['pool'] as const,
    registers: [registry],
    collect() {
      eachPool((pool, stats) => this.set({ pool }, stats.max));
    },
  });
  new Gauge({
    name: 'ownit_db_pool_waiting_queries',
    help: 'Queries waiting for a free connection of a pool (above 0: the pool is exhausted).',
    labelNames: ['pool'] as const,
    registers: [registry],
    collect() {
      eachPool((pool, stats) => this.set({ pool }, stats.waiting));
    },
  });
}

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

/**
 * GET /metrics on its own listener (METRICS_PORT, bound to METRICS_HOST: loopback by default),
 * never on the public port: the numbers tell an outsider too much about the install.
 */
export async function startMetricsServer(
  registry: Registry,
  options: { port: number; host: string; logger: Logger; variable: string },
): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found\n');
      return;
    }
    registry.metrics().then(
      (body) => {
        res.writeHead(200, { 'Content-Type': registry.contentType });
        res.end(req.method === 'HEAD' ? undefined : body);
      },
      (error: unknown) => {
        options.logger.error({ err: error }, 'collecting metrics failed');
        res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Error\n');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(
              `${options.variable} ${options.port} on ${options.host} is taken: set ${options.variable} to a free port`,
            )
          : error,
      ),
    );
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  options.logger.info(
    { port, host: options.host },
    `metrics at http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}/metrics`,
  );
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
