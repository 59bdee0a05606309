import { Router } from 'express';
import type { ServiceContext } from '../context';

/** Pages customers reach from their emails (no login): GET /status/:token, GET /survey/:token. */
export function customerPagesRoutes(_ctx: ServiceContext): Router {
  const router = Router();
  return router;
}
