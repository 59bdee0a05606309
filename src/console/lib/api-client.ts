import { ApiError, type FieldError } from './api-error';

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** JSON body; writes without one send `{}` (cookie-authenticated writes must be JSON). */
  body?: unknown;
  /** The ticket version the write was made against: the API answers 412 when it is stale. */
  ifMatch?: number;
  query?: Record<string, string | number | boolean | undefined>;
  signal?: AbortSignal;
}

const BASE = '/api/v1';

function urlOf(path: string, query: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return `${BASE}${path}${search ? `?${search}` : ''}`;
}

function retryAfterOf(response: Response): number | null {
  const header = response.headers.get('Retry-After');
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

async function errorOf(response: Response): Promise<ApiError> {
  let problem: Record<string, unknown> = {};
  try {
    problem = (await response.json()) as Record<string, unknown>;
  } catch {
    // Not JSON (a proxy's error page): the status alone has to do.
  }
  const text = (key: string) => (typeof problem[key] === 'string' ? problem[key] : undefined);
  return new ApiError({
    status: response.status,
    type: text('type'),
    title: text('title'),
    detail: text('detail'),
    fieldErrors: Array.isArray(problem.errors) ? (problem.errors as FieldError[]) : [],
    retryAfterSeconds: retryAfterOf(response),
    currentVersion: typeof problem.currentVersion === 'number' ? problem.currentVersion : null,
  });
}

/**
 * The one way the console talks to the API: same-origin with the session cookie, JSON in and out,
 * and every non-2xx answer turned into an ApiError carrying the problem's words.
 */
export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json' };
  let body: string | undefined;
  if (method !== 'GET') {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body ?? {});
  }
  if (options.ifMatch !== undefined) headers['If-Match'] = `"${options.ifMatch}"`;
  let response: Response;
  try {
    response = await fetch(urlOf(path, options.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError({ status: 0, detail: 'network' });
  }
  if (!response.ok) throw await errorOf(response);
  if (response.status === 204 || response.status === 202) return undefined as T;
  const type = response.headers.get('Content-Type') ?? '';
  return (type.includes('json') ? await response.json() : undefined) as T;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
