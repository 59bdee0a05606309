import type { Operation } from '../operation';
import { healthResponse } from '../responses';

/** system: every route of src/system/. */
export const systemOperations: Operation[] = [
  { method: 'get', path: '/dev/mailbox', success: 200, successType: 'text/html' },
  { method: 'get', path: '/dev/mailbox/:id', success: 200, successType: 'text/html' },
  { method: 'get', path: '/healthz', success: 200, response: healthResponse },
  {
    method: 'get',
    path: '/readyz',
    summary: 'Ready to serve: 200, or 503 with the same JSON body naming what is failing',
    success: 200,
    errors: [503],
    errorTypes: { 503: 'application/json' },
  },
];
