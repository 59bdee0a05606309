import { Router } from 'express';
import type { ServiceContext } from '../context';
import { actorOf, idParam } from '../http/request-context';
import { overdueBoard } from './overdue-board.service';
import { teamLoad } from './team-load.service';

/** What a team's supervisors watch: the overdue board and who carries how much. */
export function supervisionRoutes(ctx: ServiceContext): Router {
  const router = Router();
  router.get('/teams/:id/board', async (req, res) => {
    res.json(await overdueBoard(ctx, actorOf(res), idParam(req, 'team')));
  });
  router.get('/teams/:id/load', async (req, res) => {
    res.json(await teamLoad(ctx, actorOf(res), idParam(req, 'team')));
  });
  return router;
}
