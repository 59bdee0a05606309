import type { Operation } from '../operation';

/** live: every route of src/live/. */
export const liveOperations: Operation[] = [
  { method: 'get', path: '/api/v1/events', success: 200, successType: 'text/event-stream' },
  { method: 'post', path: '/api/v1/tickets/:id/presence', success: 200 },
  { method: 'delete', path: '/api/v1/tickets/:id/presence', success: 204 },
];
