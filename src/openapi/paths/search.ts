import type { Operation } from '../operation';

/** search: every route of src/search/. */
export const searchOperations: Operation[] = [
  { method: 'get', path: '/api/v1/search', success: 200 },
];
