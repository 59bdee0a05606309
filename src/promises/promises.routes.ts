import { Router } from 'express';
import type { ServiceContext } from '../context';
import { actorOf, idParam, ifMatchOf, staffOnly, ticketParam } from '../http/request-context';
import { parseBody } from '../http/validate';
import { getTicket } from '../tickets/get-ticket';
import { promiseView } from './promise.view';
import { cancelPromiseInput, keepPromiseInput, makePromiseInput } from './promises.input';
import { cancelPromise, keepPromise, listTicketPromises, makePromise } from './promises.service';

export function promisesRoutes(ctx: ServiceContext): Router {
  const router = Router();
  router.post('/tickets/:id/promises', async (req, res) => {
    const input = parseBody(makePromiseInput, req.body);
    const promise = await makePromise(ctx, staffOnly(res), ticketParam(req), input, ifMatchOf(req));
    res.status(201).json(promiseView(promise));
  });
  router.get('/tickets/:id/promises', async (req, res) => {
    const ticket = await getTicket(ctx, actorOf(res), ticketParam(req));
    res.json({
      items: (await listTicketPromises(ctx, ticket.id)).map(promiseView),
      nextCursor: null,
    });
  });
  router.post('/promises/:id/kept', async (req, res) => {
    const input = parseBody(keepPromiseInput, req.body);
    res.json(promiseView(await keepPromise(ctx, staffOnly(res), idParam(req, 'promise'), input)));
  });
  router.post('/promises/:id/cancel', async (req, res) => {
    const input = parseBody(cancelPromiseInput, req.body);
    res.json(promiseView(await cancelPromise(ctx, staffOnly(res), idParam(req, 'promise'), input)));
  });
  return router;
}
