import type { Operation } from '../operation';
import { pageOf, promiseResponse } from '../responses';
import {
  cancelPromiseInput,
  keepPromiseInput,
  makePromiseInput,
} from '../../promises/promises.input';

/** promises: every route of src/promises/. */
export const promisesOperations: Operation[] = [
  {
    method: 'post',
    path: '/api/v1/tickets/:id/promises',
    body: makePromiseInput,
    success: 201,
    response: promiseResponse,
  },
  {
    method: 'get',
    path: '/api/v1/tickets/:id/promises',
    success: 200,
    response: pageOf(promiseResponse),
  },
  {
    method: 'post',
    path: '/api/v1/promises/:id/kept',
    body: keepPromiseInput,
    success: 200,
    response: promiseResponse,
  },
  {
    method: 'post',
    path: '/api/v1/promises/:id/cancel',
    body: cancelPromiseInput,
    success: 200,
    response: promiseResponse,
  },
];
