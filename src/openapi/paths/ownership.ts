import type { Operation } from '../operation';
import { handoffResponse, pageOf, ticketResponse } from '../responses';
import {
  answerHandoffInput,
  myHandoffsQuery,
  offerHandoffInput,
  reassignInput,
} from '../../ownership/ownership.input';

/** ownership: every route of src/ownership/. */
export const ownershipOperations: Operation[] = [
  {
    method: 'post',
    path: '/api/v1/tickets/:id/handoffs',
    body: offerHandoffInput,
    success: 201,
    response: handoffResponse,
  },
  {
    method: 'get',
    path: '/api/v1/me/handoffs',
    query: myHandoffsQuery,
    success: 200,
    response: pageOf(handoffResponse),
  },
  { method: 'get', path: '/api/v1/handoffs/:id', success: 200, response: handoffResponse },
  {
    method: 'post',
    path: '/api/v1/handoffs/:id/accept',
    body: answerHandoffInput,
    success: 200,
    response: handoffResponse,
  },
  {
    method: 'post',
    path: '/api/v1/handoffs/:id/decline',
    body: answerHandoffInput,
    success: 200,
    response: handoffResponse,
  },
  {
    method: 'post',
    path: '/api/v1/handoffs/:id/cancel',
    body: answerHandoffInput,
    success: 200,
    response: handoffResponse,
  },
  {
    method: 'post',
    path: '/api/v1/tickets/:id/reassign',
    body: reassignInput,
    success: 200,
    response: ticketResponse,
  },
];
