import { Router } from 'express';
import type { ServiceContext } from '../context';
import { actorOf, idParam } from '../http/request-context';
import { parseBody } from '../http/validate';
import {
  churnCustomerInput,
  markCustomerChurned,
  unmarkCustomerChurned,
} from '../customers/churn.service';
import { customerView } from '../customers/customer.view';
import { getCustomerStory } from './customer-story';

/** Why customers leave: marking churn, and the cross-silo story that explains it. */
export function customerStoryRoutes(ctx: ServiceContext): Router {
  const router = Router();
  router.post('/customers/:id/churn', async (req, res) => {
    const customer = await markCustomerChurned(
      ctx,
      actorOf(res),
      idParam(req, 'customer'),
      parseBody(churnCustomerInput, req.body),
    );
    res.json(customerView(customer));
  });
  router.delete('/customers/:id/churn', async (req, res) => {
    res.json(
      customerView(await unmarkCustomerChurned(ctx, actorOf(res), idParam(req, 'customer'))),
    );
  });
  router.get('/customers/:id/story', async (req, res) => {
    res.json(await getCustomerStory(ctx, actorOf(res), idParam(req, 'customer')));
  });
  return router;
}
