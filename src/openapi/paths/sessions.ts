import type { Operation } from '../operation';
import { sessionResponse } from '../responses';
import { setPasswordInput } from '../../agent-admin/agents.input';
import {
  passwordResetInput,
  signInInput,
  usePasswordLinkInput,
} from '../../sessions/sessions.input';

/** sessions: every route of src/sessions/. */
export const sessionsOperations: Operation[] = [
  {
    method: 'post',
    path: '/api/v1/session',
    body: signInInput,
    summary:
      'Signs in: wrong credentials 401, a write from another origin 403, repeated failures 429',
    success: 200,
    errors: [401, 403],
    response: sessionResponse,
  },
  { method: 'delete', path: '/api/v1/session', success: 204 },
  {
    method: 'post',
    path: '/api/v1/password/set',
    body: usePasswordLinkInput,
    summary:
      'Sets the password from an emailed link and signs in; a used, replaced or expired link is 410',
    success: 200,
    errors: [410],
  },
  {
    method: 'post',
    path: '/api/v1/password-reset',
    body: passwordResetInput,
    success: 202,
    errors: [429],
  },
  {
    method: 'get',
    path: '/api/v1/session',
    success: 200,
    response: sessionResponse,
    errors: [401],
  },
  { method: 'put', path: '/api/v1/agents/:id/password', body: setPasswordInput, success: 204 },
  { method: 'post', path: '/api/v1/agents/:id/invite', success: 202 },
];
