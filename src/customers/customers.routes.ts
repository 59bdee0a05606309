import { Router } from 'express';
import type { ServiceContext } from '../context';
import { actorOf, idParam, staffOnly } from '../http/request-context';
import { parseBody, parseQuery } from '../http/validate';
import { customerView } from './customer.view';
import { createCustomerInput, listCustomersQuery, updateCustomerInput } from './customers.input';
import {
  createCustomer,
  getCustomer,
  listCustomers,
  updateCustomer,
  type TierChangeHook,
} from './customers.service';

export function customersRoutes(
  ctx: ServiceContext,
  options: { onTierChange?: TierChangeHook } = {},
): Router {
  const router = Router();
  router.post('/customers', async (req, res) => {
    const customer = await createCustomer(
      ctx,
      actorOf(res),
      parseBody(createCustomerInput, req.body),
    );
    res.status(201).location(`/api/v1/customers/${customer.id}`).json(customerView(customer));
  });
  router.get('/customers', async (req, res) => {
    res.json(await listCustomers(ctx, actorOf(res), parseQuery(listCustomersQuery, req.query)));
  });
  router.get('/customers/:id', async (req, res) => {
    res.json(customerView(await getCustomer(ctx, idParam(req, 'customer'))));
  });
  router.patch('/customers/:id', async (req, res) => {
    const customer = await updateCustomer(
      ctx,
      staffOnly(res),
      idParam(req, 'customer'),
      parseBody(updateCustomerInput, req.body),
      options.onTierChange,
    );
    res.json(customerView(customer));
  });
  return router;
}
