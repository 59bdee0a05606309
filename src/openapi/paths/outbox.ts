import type { Operation } from '../operation';
import { dismissInput, listOutboxQuery, resendInput } from '../../outbox/outbox.input';

/** outbox: every route of src/outbox/ (failed and ambiguous customer emails). */
export const outboxOperations: Operation[] = [
  { method: 'get', path: '/api/v1/outbox', query: listOutboxQuery, success: 200 },
  { method: 'get', path: '/api/v1/outbox/:id', success: 200 },
  {
    method: 'post',
    path: '/api/v1/outbox/:id/resend',
    summary: "A new email to the customer's current address, linked to the original",
    body: resendInput,
    success: 201,
  },
  {
    method: 'post',
    path: '/api/v1/outbox/:id/dismiss',
    summary: 'Settles a failed or ambiguous email with a note',
    body: dismissInput,
    success: 200,
  },
];
