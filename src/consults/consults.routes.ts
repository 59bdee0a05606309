import { Router } from 'express';
import type { ServiceContext } from '../context';
import { idParam, ifMatchOf, staffOnly, ticketParam } from '../http/request-context';
import { parseBody, parseQuery } from '../http/validate';
import { getTicket } from '../tickets/get-ticket';
import { consultView } from './consult.view';
import {
  answerConsultInput,
  askConsultInput,
  cancelConsultInput,
  myConsultsQuery,
} from './consults.input';
import {
  answerConsult,
  askConsult,
  cancelConsult,
  getConsult,
  listMyConsults,
  listTicketConsults,
} from './consults.service';

export function consultsRoutes(ctx: ServiceContext): Router {
  const router = Router();
  router.post('/tickets/:id/consults', async (req, res) => {
    const input = parseBody(askConsultInput, req.body);
    const consult = await askConsult(ctx, staffOnly(res), ticketParam(req), input, ifMatchOf(req));
    res.status(201).location(`/api/v1/consults/${consult.id}`).json(consultView(consult));
  });
  router.get('/tickets/:id/consults', async (req, res) => {
    const ticket = await getTicket(ctx, staffOnly(res), ticketParam(req));
    res.json({
      items: (await listTicketConsults(ctx, ticket.id)).map((c) => consultView(c)),
      nextCursor: null,
    });
  });
  router.get('/me/consults', async (req, res) => {
    res.json(await listMyConsults(ctx, staffOnly(res), parseQuery(myConsultsQuery, req.query)));
  });
  router.get('/consults/:id', async (req, res) => {
    res.json(consultView(await getConsult(ctx, staffOnly(res), idParam(req, 'consult'))));
  });
  router.post('/consults/:id/answer', async (req, res) => {
    const input = parseBody(answerConsultInput, req.body);
    res.json(consultView(await answerConsult(ctx, staffOnly(res), idParam(req, 'consult'), input)));
  });
  router.post('/consults/:id/cancel', async (req, res) => {
    const input = parseBody(cancelConsultInput, req.body ?? {});
    res.json(consultView(await cancelConsult(ctx, staffOnly(res), idParam(req, 'consult'), input)));
  });
  return router;
}
