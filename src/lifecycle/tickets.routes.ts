import { Router } from 'express';
import type { ServiceContext } from '../context';
import { actorOf, ifMatchOf, sendVersioned, staffOnly, ticketParam } from '../http/request-context';
import { parseBody, parseQuery } from '../http/validate';
import { InvalidInput } from '../errors';
import { timelineEventView } from '../timeline/record-event';
import { listTimeline } from '../timeline/timeline.service';
import {
  logCustomerMessage,
  postUpdate,
  reopenTicket,
  resolveTicket,
  updateTicket,
} from './ticket-lifecycle';
import { ticketView } from '../tickets/ticket.view';
import {
  createTicketInput,
  customerMessageInput,
  listTicketsQuery,
  postUpdateInput,
  queueQuery,
  reopenInput,
  resolveInput,
  timelineQuery,
  updateTicketInput,
} from '../tickets/tickets.input';
import { getTicket } from '../tickets/get-ticket';
import { createTicket, listMyQueue, listTickets } from './tickets.service';

function idempotencyKeyOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const key = header.trim();
  if (key.length === 0 || key.length > 255) {
    throw InvalidInput.field('Idempotency-Key', 'must be 1 to 255 characters');
  }
  return key;
}

export function ticketsRoutes(ctx: ServiceContext): Router {
  const router = Router();

  router.post('/tickets', async (req, res) => {
    const input = parseBody(createTicketInput, req.body);
    const key = idempotencyKeyOf(req.get('idempotency-key'));
    const { ticket, created } = await createTicket(ctx, actorOf(res), input, key);
    res.location(`/api/v1/tickets/${ticket.id}`);
    if (!created) res.setHeader('Idempotent-Replayed', 'true');
    sendVersioned(res, created ? 201 : 200, ticketView(ticket));
  });

  router.get('/tickets', async (req, res) => {
    res.json(await listTickets(ctx, actorOf(res), parseQuery(listTicketsQuery, req.query)));
  });

  router.get('/me/queue', async (req, res) => {
    res.json(await listMyQueue(ctx, staffOnly(res), parseQuery(queueQuery, req.query)));
  });

  router.get('/tickets/:id', async (req, res) => {
    sendVersioned(res, 200, ticketView(await getTicket(ctx, actorOf(res), ticketParam(req))));
  });

  router.patch('/tickets/:id', async (req, res) => {
    const input = parseBody(updateTicketInput, req.body);
    const ticket = await updateTicket(ctx, staffOnly(res), ticketParam(req), input, ifMatchOf(req));
    sendVersioned(res, 200, ticketView(ticket));
  });

  router.get('/tickets/:id/timeline', async (req, res) => {
    const page = parseQuery(timelineQuery, req.query);
    res.json(await listTimeline(ctx, actorOf(res), ticketParam(req), page));
  });

  router.post('/tickets/:id/updates', async (req, res) => {
    const input = parseBody(postUpdateInput, req.body);
    const { event, ticket } = await postUpdate(
      ctx,
      staffOnly(res),
      ticketParam(req),
      input,
      ifMatchOf(req),
    );
    res.status(201).setHeader('ETag', `"${ticket.version}"`);
    res.json({ ...timelineEventView(event), ticket: ticketView(ticket) });
  });

  router.post('/tickets/:id/customer-messages', async (req, res) => {
    const input = parseBody(customerMessageInput, req.body);
    const { event, ticket } = await logCustomerMessage(
      ctx,
      actorOf(res),
      ticketParam(req),
      input,
      ifMatchOf(req),
    );
    res.status(201).setHeader('ETag', `"${ticket.version}"`);
    res.json({ ...timelineEventView(event), ticket: ticketView(ticket) });
  });

  router.post('/tickets/:id/resolve', async (req, res) => {
    const input = parseBody(resolveInput, req.body);
    const ticket = await resolveTicket(
      ctx,
      staffOnly(res),
      ticketParam(req),
      input,
      ifMatchOf(req),
    );
    sendVersioned(res, 200, ticketView(ticket));
  });

  router.post('/tickets/:id/reopen', async (req, res) => {
    const input = parseBody(reopenInput, req.body);
    const ticket = await reopenTicket(ctx, actorOf(res), ticketParam(req), input, ifMatchOf(req));
    sendVersioned(res, 200, ticketView(ticket));
  });

  return router;
}
