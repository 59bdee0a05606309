/**
 * The routes an Express app has registered, read from its router stack: each with its method and
 * its full path pattern (mount paths included), e.g. `GET /api/v1/tickets/:id`. Used to label
 * request metrics by route pattern (never by raw path: ids would make a series per ticket) and
 * by the test that every route is described in the OpenAPI document.
 */
export interface RouteEntry {
  method: string;
  /** The Express pattern, e.g. `/api/v1/tickets/:id`; a RegExp route as its source. */
  path: string;
  /** The route was registered with a RegExp, not a path pattern (the console's catch-all). */
  regexp: boolean;
  /** Whether a request path (without query) is this pattern. */
  matches(requestPath: string): boolean;
}

interface LayerLike {
  route?: { path: unknown; methods: Record<string, boolean | undefined> };
  handle?: { stack?: LayerLike[] };
  rawPath?: unknown;
  slash?: boolean;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

/** path-to-regexp 8 patterns as used here: `:name` segments, `*name` wildcards, `{optional}`. */
function compile(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length;) {
    const rest = pattern.slice(i);
    const param = /^:([A-Za-z_$][\w$]*)/.exec(rest);
    const wildcard = /^\*([A-Za-z_$][\w$]*)/.exec(rest);
    if (param) {
      source += '([^/]+?)';
      i += param[0].length;
    } else if (wildcard) {
      source += '(.+)';
      i += wildcard[0].length;
    } else if (rest[0] === '{') {
      source += '(?:';
      i += 1;
    } else if (rest[0] === '}') {
      source += ')?';
      i += 1;
    } else {
      source += escapeRegExp(rest[0] ?? '');
      i += 1;
    }
  }
  return new RegExp(`^${source}\\/?$`, 'i');
}

function joinPath(prefix: string, path: string): string {
  if (path === '/' && prefix !== '') return prefix;
  return `${prefix}${path}`.replace(/\/{2,}/g, '/');
}

function walk(stack: LayerLike[], prefix: string, found: RouteEntry[]): void {
  for (const layer of stack) {
    if (layer.route) {
      const { path, methods } = layer.route;
      const paths = Array.isArray(path) ? (path as unknown[]) : [path];
      for (const one of paths) {
        const full = typeof one === 'string' ? joinPath(prefix, one) : String(one);
        const regexp =
          typeof one === 'string' ? compile(full) : one instanceof RegExp ? one : undefined;
        for (const [method, on] of Object.entries(methods)) {
          if (!on) continue;
          found.push({
            method: method === '_all' ? '*' : method.toUpperCase(),
            path: full,
            regexp: typeof one !== 'string',
            matches: (requestPath) =>
              regexp !== undefined &&
              requestPath.startsWith(prefix) &&
              regexp.test(typeof one === 'string' ? requestPath : requestPath.slice(prefix.length)),
          });
        }
      }
    } else if (layer.handle?.stack) {
      const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
      walk(layer.handle.stack, joinPath(prefix, mount).replace(/\/$/, ''), found);
    }
  }
}

/** Every route of an Express 5 app (or router), in the order Express tries them. */
export function listRoutes(appOrRouter: unknown): RouteEntry[] {
  const candidate = appOrRouter as { router?: { stack?: LayerLike[] }; stack?: LayerLike[] };
  const stack = candidate.router?.stack ?? candidate.stack ?? [];
  const found: RouteEntry[] = [];
  walk(stack, '', found);
  return found;
}

/** The pattern Express would route a request to (HEAD goes where GET goes), if any. */
export function routeFor(
  routes: RouteEntry[],
  method: string,
  requestPath: string,
): RouteEntry | undefined {
  const wanted = method === 'HEAD' ? 'GET' : method;
  return routes.find(
    (route) => (route.method === wanted || route.method === '*') && route.matches(requestPath),
  );
}
