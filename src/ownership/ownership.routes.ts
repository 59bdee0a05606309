import { Router } from 'express';
import type { ServiceContext } from '../context';
import { idParam, ifMatchOf, sendVersioned, staffOnly, ticketParam } from '../http/request-context';
import { parseBody, parseQuery } from '../http/validate';
import { ticketView } from '../tickets/ticket.view';
import { handoffView } from './handoff.view';
import {
  acceptHandoff,
  cancelHandoff,
  declineHandoff,
  getHandoff,
  listMyHandoffs,
  offerHandoff,
} from './handoffs.service';
import {
  answerHandoffInput,
  myHandoffsQuery,
  offerHandoffInput,
  reassignInput,
} from './ownership.input';
import { reassignTicket } from './reassign.service';

export function ownershipRoutes(ctx: ServiceContext): Router {
  const router = Router();

  router.post('/tickets/:id/handoffs', async (req, res) => {
    const input = parseBody(offerHandoffInput, req.body);
    const handoff = await offerHandoff(
      ctx,
      staffOnly(res),
      ticketParam(req),
      input,
      ifMatchOf(req),
    );
    res.status(201).location(`/api/v1/handoffs/${handoff.id}`).json(handoffView(handoff));
  });

  router.get('/me/handoffs', async (req, res) => {
    res.json(await listMyHandoffs(ctx, staffOnly(res), parseQuery(myHandoffsQuery, req.query)));
  });

  router.get('/handoffs/:id', async (req, res) => {
    res.json(handoffView(await getHandoff(ctx, staffOnly(res), idParam(req, 'handoff'))));
  });

  router.post('/handoffs/:id/accept', async (req, res) => {
    const input = parseBody(answerHandoffInput, req.body);
    res.json(handoffView(await acceptHandoff(ctx, staffOnly(res), idParam(req, 'handoff'), input)));
  });

  router.post('/handoffs/:id/decline', async (req, res) => {
    const input = parseBody(answerHandoffInput, req.body);
    res.json(
      handoffView(await declineHandoff(ctx, staffOnly(res), idParam(req, 'handoff'), input)),
    );
  });

  router.post('/handoffs/:id/cancel', async (req, res) => {
    const input = parseBody(answerHandoffInput, req.body);
    res.json(handoffView(await cancelHandoff(ctx, staffOnly(res), idParam(req, 'handoff'), input)));
  });

  router.post('/tickets/:id/reassign', async (req, res) => {
    const input = parseBody(reassignInput, req.body);
    const ticket = await reassignTicket(
      ctx,
      staffOnly(res),
      ticketParam(req),
      input,
      ifMatchOf(req),
    );
    sendVersioned(res, 200, ticketView(ticket));
  });

  return router;
}
