import { Router } from 'express';
import type { ServiceContext } from '../context';
import { actorOf, idParam, staffOnly } from '../http/request-context';
import { parseBody, parseQuery } from '../http/validate';
import { dismissInput, listOutboxQuery, resendInput } from './outbox.input';
import { dismissEmail, getOutboxEmail, listOutbox, resendEmail } from './outbox.service';

export function outboxRoutes(ctx: ServiceContext): Router {
  const router = Router();
  router.get('/outbox', async (req, res) => {
    res.json(await listOutbox(ctx, actorOf(res), parseQuery(listOutboxQuery, req.query)));
  });
  router.get('/outbox/:id', async (req, res) => {
    res.json(await getOutboxEmail(ctx, staffOnly(res), idParam(req, 'email')));
  });
  router.post('/outbox/:id/resend', async (req, res) => {
    const id = idParam(req, 'email');
    const input = parseBody(resendInput, req.body ?? {});
    const resend = await resendEmail(ctx, staffOnly(res), id, input);
    res.status(201).setHeader('Location', resend.links.self).json(resend);
  });
  router.post('/outbox/:id/dismiss', async (req, res) => {
    const id = idParam(req, 'email');
    const input = parseBody(dismissInput, req.body ?? {});
    res.json(await dismissEmail(ctx, staffOnly(res), id, input));
  });
  return router;
}
