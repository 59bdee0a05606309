import type { Operation } from '../operation';
import {
  createWebhookInput,
  deliveriesQuery,
  updateWebhookInput,
} from '../../webhooks/webhooks.input';

/** webhooks: every route of src/webhooks/. */
export const webhooksOperations: Operation[] = [
  { method: 'post', path: '/api/v1/webhooks', body: createWebhookInput, success: 201 },
  { method: 'get', path: '/api/v1/webhooks', success: 200 },
  { method: 'get', path: '/api/v1/webhooks/:id', success: 200 },
  { method: 'patch', path: '/api/v1/webhooks/:id', body: updateWebhookInput, success: 200 },
  { method: 'delete', path: '/api/v1/webhooks/:id', success: 204 },
  { method: 'get', path: '/api/v1/webhooks/:id/deliveries', query: deliveriesQuery, success: 200 },
];
