import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { Histogram, type Registry } from 'prom-client';
import { listRoutes, routeFor, type RouteEntry } from './route-table';

/** Seconds; from a cached read to a report query. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * Request latency by route pattern (`/api/v1/tickets/:id`, never the raw path), method and
 * status. Requests no route matched are labelled `unmatched`; console pages and files `console`.
 * Live event streams (text/event-stream) stay open for hours and are left out.
 */
export function httpMetricsMiddleware(registry: Registry, appOf: () => unknown): RequestHandler {
  const duration = new Histogram({
    name: 'ownit_http_request_duration_seconds',
    help: 'HTTP requests of the API by route pattern, method and status: time until the response was sent.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  let routes: RouteEntry[] | undefined;
  const labelOf = (req: Request): string => {
    routes ??= listRoutes(appOf());
    const path = (req.originalUrl.split('?')[0] ?? '/').replace(/\/{2,}/g, '/');
    const route = routeFor(routes, req.method, path);
    if (!route) return 'unmatched';
    return route.regexp ? 'console' : route.path;
  };
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      if (String(res.getHeader('content-type') ?? '').startsWith('text/event-stream')) return;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      duration.observe(
        { method: req.method, route: labelOf(req), status: String(res.statusCode) },
        seconds,
      );
    });
    next();
  };
}
