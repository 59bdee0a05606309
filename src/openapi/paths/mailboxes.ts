import type { Operation } from '../operation';
import { createMailboxInput, updateMailboxInput } from '../../mailboxes/mailboxes.input';

/** mailboxes: every route of src/mailboxes/. */
export const mailboxesOperations: Operation[] = [
  { method: 'post', path: '/api/v1/mailboxes', body: createMailboxInput, success: 201 },
  { method: 'get', path: '/api/v1/mailboxes', success: 200 },
  { method: 'get', path: '/api/v1/mailboxes/:id', success: 200 },
  { method: 'patch', path: '/api/v1/mailboxes/:id', body: updateMailboxInput, success: 200 },
  { method: 'delete', path: '/api/v1/mailboxes/:id', success: 204 },
];
