import type { Operation } from '../operation';
import { inboundEmailQuery } from '../../inbound/inbound-email';

/** inbound: every route of src/inbound/. */
export const inboundOperations: Operation[] = [
  {
    method: 'post',
    path: '/api/v1/inbound/email',
    summary:
      'A raw RFC 822 message (message/rfc822) from an email gateway: 201 when it opened a ticket, 200 when it was a reply or ignored',
    query: inboundEmailQuery,
    success: 200,
    alsoSuccess: [201],
  },
];
