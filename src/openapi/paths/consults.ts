import type { Operation } from '../operation';
import { consultResponse, pageOf } from '../responses';
import {
  answerConsultInput,
  askConsultInput,
  cancelConsultInput,
  myConsultsQuery,
} from '../../consults/consults.input';

/** consults: every route of src/consults/. */
export const consultsOperations: Operation[] = [
  {
    method: 'post',
    path: '/api/v1/tickets/:id/consults',
    body: askConsultInput,
    success: 201,
    response: consultResponse,
  },
  {
    method: 'get',
    path: '/api/v1/tickets/:id/consults',
    success: 200,
    response: pageOf(consultResponse),
  },
  {
    method: 'get',
    path: '/api/v1/me/consults',
    query: myConsultsQuery,
    success: 200,
    response: pageOf(consultResponse),
  },
  { method: 'get', path: '/api/v1/consults/:id', success: 200, response: consultResponse },
  {
    method: 'post',
    path: '/api/v1/consults/:id/answer',
    body: answerConsultInput,
    success: 200,
    response: consultResponse,
  },
  {
    method: 'post',
    path: '/api/v1/consults/:id/cancel',
    summary:
      "Cancel an open consult (the ticket's owner or a supervisor of its team); its access ends",
    body: cancelConsultInput,
    success: 200,
    response: consultResponse,
  },
];
