import { Router } from 'express';
import type { ServiceContext } from '../context';
import { actorOf, idParam } from '../http/request-context';
import { parseBody } from '../http/validate';
import { teamView } from './team.view';
import { createTeamInput, deadlinePreviewInput, updateTeamInput } from './teams.input';
import { createTeam, getTeam, listTeams, previewDeadlines, updateTeam } from './teams.service';

export function teamsRoutes(ctx: ServiceContext): Router {
  const router = Router();
  router.post('/teams', async (req, res) => {
    const team = await createTeam(ctx, actorOf(res), parseBody(createTeamInput, req.body));
    res.status(201).location(`/api/v1/teams/${team.id}`).json(teamView(team));
  });
  router.post('/teams/deadline-preview', (req, res) => {
    res.json(previewDeadlines(ctx, actorOf(res), parseBody(deadlinePreviewInput, req.body)));
  });
  router.get('/teams', async (_req, res) => {
    const teams = await listTeams(ctx, actorOf(res));
    res.json({ items: teams.map(teamView), nextCursor: null });
  });
  router.get('/teams/:id', async (req, res) => {
    res.json(teamView(await getTeam(ctx, actorOf(res), idParam(req, 'team'))));
  });
  router.patch('/teams/:id', async (req, res) => {
    const team = await updateTeam(
      ctx,
      actorOf(res),
      idParam(req, 'team'),
      parseBody(updateTeamInput, req.body),
    );
    res.json(teamView(team));
  });
  return router;
}
