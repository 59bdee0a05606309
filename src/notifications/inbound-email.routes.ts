import { Router } from 'express';
import type { ServiceContext } from '../context';

/** POST /api/v1/inbound/email (integration role): a raw RFC 822 message from an email gateway. */
export function inboundEmailRoutes(_ctx: ServiceContext): Router {
  const router = Router();
  return router;
}
