import { Router } from 'express';
import type { ServiceContext } from '../context';
import { actorOf, idParam } from '../http/request-context';
import { parseBody, parseQuery } from '../http/validate';
import { createWebhookInput, deliveriesQuery, updateWebhookInput } from './webhooks.input';
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listDeliveries,
  listWebhooks,
  updateWebhook,
} from './webhooks.service';

/** Webhook endpoints (admin): register, list, change, remove, and read the delivery log. */
export function webhooksRoutes(ctx: ServiceContext): Router {
  const router = Router();
  router.post('/webhooks', async (req, res) => {
    const created = await createWebhook(ctx, actorOf(res), parseBody(createWebhookInput, req.body));
    res.status(201).location(`/api/v1/webhooks/${created.id}`).json(created);
  });
  router.get('/webhooks', async (_req, res) => {
    res.json({ items: await listWebhooks(ctx, actorOf(res)), nextCursor: null });
  });
  router.get('/webhooks/:id', async (req, res) => {
    res.json(await getWebhook(ctx, actorOf(res), idParam(req, 'webhook')));
  });
  router.patch('/webhooks/:id', async (req, res) => {
    const input = parseBody(updateWebhookInput, req.body);
    res.json(await updateWebhook(ctx, actorOf(res), idParam(req, 'webhook'), input));
  });
  router.delete('/webhooks/:id', async (req, res) => {
    await deleteWebhook(ctx, actorOf(res), idParam(req, 'webhook'));
    res.status(204).end();
  });
  router.get('/webhooks/:id/deliveries', async (req, res) => {
    const query = parseQuery(deliveriesQuery, req.query);
    res.json(await listDeliveries(ctx, actorOf(res), idParam(req, 'webhook'), query));
  });
  return router;
}
