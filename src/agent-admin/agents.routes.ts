import { Router } from 'express';
import type { ServiceContext } from '../context';
import { actorOf, idParam } from '../http/request-context';
import { parseBody, parseQuery } from '../http/validate';
import { agentView } from './agent.view';
import { meView } from './me.view';
import { createAgentInput, listAgentsQuery, updateAgentInput } from './agents.input';
import {
  createAgent,
  getAgent,
  listAgents,
  previewDeactivation,
  rotateToken,
  updateAgent,
} from './agents.service';

export function agentsRoutes(ctx: ServiceContext): Router {
  const router = Router();
  router.post('/agents', async (req, res) => {
    const { agent, token } = await createAgent(
      ctx,
      actorOf(res),
      parseBody(createAgentInput, req.body),
    );
    res
      .status(201)
      .location(`/api/v1/agents/${agent.id}`)
      .json({ ...agentView(agent), token });
  });
  router.get('/agents', async (req, res) => {
    res.json(await listAgents(ctx, actorOf(res), parseQuery(listAgentsQuery, req.query)));
  });
  router.get('/agents/:id', async (req, res) => {
    const actor = actorOf(res);
    res.json(agentView(await getAgent(ctx, actor, idParam(req, 'agent')), actor));
  });
  router.patch('/agents/:id', async (req, res) => {
    const { agent, token } = await updateAgent(
      ctx,
      actorOf(res),
      idParam(req, 'agent'),
      parseBody(updateAgentInput, req.body),
    );
    const actor = actorOf(res);
    // A reactivated agent gets a new token, shown here once (the old one stays dead).
    res.json(token === undefined ? agentView(agent, actor) : { ...agentView(agent, actor), token });
  });
  router.get('/agents/:id/deactivation-preview', async (req, res) => {
    res.json(await previewDeactivation(ctx, actorOf(res), idParam(req, 'agent')));
  });
  router.post('/agents/:id/token', async (req, res) => {
    const { agent, token } = await rotateToken(ctx, actorOf(res), idParam(req, 'agent'));
    res.status(201).json({ ...agentView(agent), token });
  });
  router.get('/me', async (_req, res) => {
    const actor = actorOf(res);
    res.json(await meView(ctx, await getAgent(ctx, actor, actor.id)));
  });
  return router;
}
