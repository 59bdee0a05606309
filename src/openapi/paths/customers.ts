import type { Operation } from '../operation';
import { customerResponse, pageOf } from '../responses';
import {
  createCustomerInput,
  listCustomersQuery,
  updateCustomerInput,
} from '../../customers/customers.input';

/** customers: every route of src/customers/. */
export const customersOperations: Operation[] = [
  {
    method: 'post',
    path: '/api/v1/customers',
    body: createCustomerInput,
    success: 201,
    response: customerResponse,
  },
  {
    method: 'get',
    path: '/api/v1/customers',
    query: listCustomersQuery,
    success: 200,
    response: pageOf(customerResponse),
  },
  { method: 'get', path: '/api/v1/customers/:id', success: 200, response: customerResponse },
  {
    method: 'patch',
    path: '/api/v1/customers/:id',
    body: updateCustomerInput,
    success: 200,
    response: customerResponse,
  },
];
