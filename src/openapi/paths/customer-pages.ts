import type { Operation } from '../operation';
import { ticketStatusResponse } from '../responses';

/** Customer pages answer unknown links as plain text and bad scores as pages, not problem+json. */
const PAGE_ERRORS = { 400: 'text/html', 404: 'text/plain', 409: 'text/html' };

/** customer-pages: every route of src/customer-pages/. */
export const customerPagesOperations: Operation[] = [
  {
    method: 'get',
    path: '/status/:token',
    summary: "The customer's status page; JSON with Accept: application/json",
    success: 200,
    successType: 'text/html',
    alsoTypes: [{ type: 'application/json', response: ticketStatusResponse }],
    errorTypes: PAGE_ERRORS,
  },
  {
    method: 'get',
    path: '/survey/:token',
    success: 200,
    successType: 'text/html',
    errorTypes: PAGE_ERRORS,
  },
  {
    method: 'post',
    path: '/survey/:token',
    summary: 'Records the score (form field `score`, 1–5) once; the GET page only asks',
    success: 200,
    successType: 'text/html',
    errorTypes: PAGE_ERRORS,
  },
];
