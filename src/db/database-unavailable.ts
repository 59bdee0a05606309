/**
 * Whether an error means "the database cannot serve us right now" (an outage, a restart, a
 * failover, an exhausted pool) rather than anything about the request: such errors are answered
 * 503 with Retry-After, never 500, and make /readyz report the database as failing.
 */
const UNAVAILABLE_SQLSTATE_CLASSES = ['08']; // connection exception
const UNAVAILABLE_SQLSTATES = new Set([
  '57P01', // admin_shutdown: terminated by an operator or pg_terminate_backend
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or shutting down
  '53300', // too_many_connections
  '53100', // disk_full
  '53200', // out_of_memory
  '25006', // read_only_sql_transaction: a standby after a failover
]);
const UNAVAILABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
const UNAVAILABLE_MESSAGES = [
  /timeout exceeded when trying to connect/i, // waited too long for a pooled connection
  /Connection terminated/i,
  /not queryable/i,
  /Cannot use a pool after calling end/i,
];

/** TypeORM's errors for a transaction whose connection was lost underneath it (then released). */
const LOST_CONNECTION_ERRORS = new Set([
  'QueryRunnerAlreadyReleasedError',
  'QueryRunnerProviderAlreadyReleasedError',
]);

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  driverError?: unknown;
  cause?: unknown;
}

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 3) return false;
  const e = error as ErrorLike & { name?: unknown };
  if (typeof e.name === 'string' && LOST_CONNECTION_ERRORS.has(e.name)) return true;
  if (typeof e.code === 'string') {
    if (UNAVAILABLE_SQLSTATES.has(e.code)) return true;
    if (e.code.length === 5 && UNAVAILABLE_SQLSTATE_CLASSES.includes(e.code.slice(0, 2))) {
      return true;
    }
    if (UNAVAILABLE_NODE_CODES.has(e.code)) return true;
  }
  if (
    typeof e.message === 'string' &&
    UNAVAILABLE_MESSAGES.some((p) => p.test(e.message as string))
  ) {
    return true;
  }
  return (
    isDatabaseUnavailable(e.driverError, depth + 1) || isDatabaseUnavailable(e.cause, depth + 1)
  );
}
