import type { Operation } from '../operation';
import {
  pageOf,
  ticketListItemResponse,
  ticketResponse,
  timelineEventResponse,
  timelineEventWithTicketResponse,
} from '../responses';
import {
  createTicketInput,
  customerMessageInput,
  listTicketsQuery,
  postUpdateInput,
  queueQuery,
  reopenInput,
  resolveInput,
  timelineQuery,
  updateTicketInput,
} from '../../tickets/tickets.input';

/** lifecycle: every route of src/lifecycle/. */
export const lifecycleOperations: Operation[] = [
  {
    method: 'post',
    path: '/api/v1/tickets',
    body: createTicketInput,
    summary: 'Creates a ticket (201); the same Idempotency-Key and body again returns it (200)',
    success: 201,
    alsoSuccess: [200],
    response: ticketResponse,
  },
  {
    method: 'get',
    path: '/api/v1/tickets',
    query: listTicketsQuery,
    success: 200,
    response: pageOf(ticketListItemResponse),
  },
  {
    method: 'get',
    path: '/api/v1/me/queue',
    query: queueQuery,
    success: 200,
    response: pageOf(ticketListItemResponse),
  },
  { method: 'get', path: '/api/v1/tickets/:id', success: 200, response: ticketResponse },
  {
    method: 'patch',
    path: '/api/v1/tickets/:id',
    body: updateTicketInput,
    success: 200,
    response: ticketResponse,
  },
  {
    method: 'get',
    path: '/api/v1/tickets/:id/timeline',
    query: timelineQuery,
    success: 200,
    response: pageOf(timelineEventResponse),
  },
  {
    method: 'post',
    path: '/api/v1/tickets/:id/updates',
    body: postUpdateInput,
    success: 201,
    response: timelineEventWithTicketResponse,
  },
  {
    method: 'post',
    path: '/api/v1/tickets/:id/customer-messages',
    body: customerMessageInput,
    success: 201,
    response: timelineEventWithTicketResponse,
  },
  {
    method: 'post',
    path: '/api/v1/tickets/:id/resolve',
    body: resolveInput,
    success: 200,
    response: ticketResponse,
  },
  {
    method: 'post',
    path: '/api/v1/tickets/:id/reopen',
    body: reopenInput,
    success: 200,
    response: ticketResponse,
  },
];
