import type { Operation } from '../operation';
import { attachmentResponse, pageOf } from '../responses';

/** attachments: every route of src/attachments/. */
export const attachmentsOperations: Operation[] = [
  {
    method: 'get',
    path: '/api/v1/tickets/:id/attachments',
    success: 200,
    response: pageOf(attachmentResponse),
  },
  {
    method: 'get',
    path: '/api/v1/attachments/:id',
    success: 200,
    summary: 'The file, as the content type read from its bytes (Content-Disposition: attachment)',
    successType: '*/*',
  },
  {
    method: 'post',
    path: '/api/v1/tickets/:id/attachments',
    success: 201,
    response: attachmentResponse,
  },
];
