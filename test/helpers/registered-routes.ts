import { listRoutes } from '../../src/http/route-table';
import type { TestApp } from './test-app';

/** One route the running app registers, as Express matches it. */
export interface RegisteredRoute {
  method: string;
  /** The Express pattern with mount paths, e.g. `/api/v1/tickets/:id`. */
  path: string;
  /** `METHOD /path`, the key tests index their tables by. */
  key: string;
  /** A RegExp route (the console's catch-all), not a path pattern. */
  regexp: boolean;
}

export const routeKey = (method: string, path: string): string => `${method} ${path}`;

/**
 * Every route of the test app's Express router, read at runtime (not from a hand-kept list), each
 * once even if a router mounts it twice, in the order Express tries them. A new route shows up
 * here the moment it is registered, so tables keyed by route must take a decision about it.
 */
export function registeredRoutes(app: TestApp): RegisteredRoute[] {
  // The Express app itself: the server's first request listener may be the response recorder.
  const express = app.express;
  const seen = new Set<string>();
  const routes: RegisteredRoute[] = [];
  for (const route of listRoutes(express)) {
    const key = routeKey(route.method, route.path);
    if (seen.has(key)) continue;
    seen.add(key);
    routes.push({ method: route.method, path: route.path, key, regexp: route.regexp });
  }
  return routes;
}

/**
 * Fills a route pattern's `:params`; `valueFor` gets the parameter's name and the path segment
 * before it (`tickets` for `/api/v1/tickets/:id`), which names the resource it stands for.
 */
export function fillPath(
  path: string,
  valueFor: (param: string, resource: string) => string,
): string {
  const segments = path.split('/');
  return segments
    .map((segment, i) =>
      segment.startsWith(':')
        ? encodeURIComponent(valueFor(segment.slice(1), segments[i - 1] ?? ''))
        : segment,
    )
    .join('/');
}
