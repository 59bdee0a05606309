import { Router } from 'express';
import type { ServiceContext } from '../context';
import { actorOf, idParam } from '../http/request-context';
import { parseBody, parseQuery } from '../http/validate';
import { agentView } from './agent.view';
import { createAgentInput, listAgentsQuery, updateAgentInput } from './agents.input';
import {
  createAgent,
  getAgent,
  listAgents,
  openTicketCount,
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
    res.json(agentView(await getAgent(ctx, actorOf(res), idParam(req, 'agent'))));
  });
  router.patch('/agents/:id', async (req, res) => {
    const agent = await updateAgent(
      ctx,
      actorOf(res),
      idParam(req, 'agent'),
      parseBody(updateAgentInput, req.body),
    );
    res.json(agentView(agent));
  });
  router.post('/agents/:id/token', async (req, res) => {
    const { agent, token } = await rotateToken(ctx, actorOf(res), idParam(req, 'agent'));
    res.status(201).json({ ...agentView(agent), token });
  });
  router.get('/me', async (_req, res) => {
    const actor = actorOf(res);
    const agent = await getAgent(ctx, actor, actor.id);
    res.json({ ...agentView(agent), openTicketCount: await openTicketCount(ctx, actor.id) });
  });
  return router;
}
