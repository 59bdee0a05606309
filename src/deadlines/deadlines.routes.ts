import { Router } from 'express';
import type { ServiceContext } from '../context';
import { actorOf, ticketParam } from '../http/request-context';
import { parseQuery } from '../http/validate';
import { overdueQuery } from './deadlines.input';
import { explainDeadlines } from './explain-deadlines';
import { listOverdue } from './overdue.service';

export function deadlinesRoutes(ctx: ServiceContext): Router {
  const router = Router();
  router.get('/overdue', async (req, res) => {
    res.json(await listOverdue(ctx, actorOf(res), parseQuery(overdueQuery, req.query)));
  });
  router.get('/tickets/:id/deadlines', async (req, res) => {
    res.json(await explainDeadlines(ctx, actorOf(res), ticketParam(req)));
  });
  return router;
}
