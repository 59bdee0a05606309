import type { Operation } from '../operation';
import { overdueTicketResponse, pageOf } from '../responses';
import { overdueQuery } from '../../deadlines/deadlines.input';

/** deadlines: every route of src/deadlines/. */
export const deadlinesOperations: Operation[] = [
  {
    method: 'get',
    path: '/api/v1/overdue',
    query: overdueQuery,
    success: 200,
    response: pageOf(overdueTicketResponse),
  },
  { method: 'get', path: '/api/v1/tickets/:id/deadlines', success: 200 },
];
