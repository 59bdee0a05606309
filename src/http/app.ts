import express, { type NextFunction, type Request, type Response } from 'express';
import type { Redis } from 'ioredis';
import { pinoHttp } from 'pino-http';
import { randomUUID } from 'node:crypto';
import { agentsRoutes } from '../agents/agents.routes';
import type { ServiceContext } from '../context';
import { consultsRoutes } from '../consults/consults.routes';
import { customersRoutes } from '../customers/customers.routes';
import { customerStoryRoutes } from '../customers/customer-story.routes';
import { promisesRoutes } from '../promises/promises.routes';
import { deadlinesRoutes } from '../deadlines/deadlines.routes';
import type { Logger } from '../logger';
import { ownershipRoutes } from '../ownership/ownership.routes';
import { reportsRoutes } from '../reports/reports.routes';
import { healthRoutes } from '../system/health.routes';
import { devMailboxRoutes } from '../system/dev-mailbox.routes';
import type { DevMailbox } from '../notifications/dev-mailbox';
import { customerPagesRoutes } from '../notifications/customer-pages.routes';
import { inboundEmailRoutes } from '../notifications/inbound-email.routes';
import { teamsRoutes } from '../teams/teams.routes';
import { ticketsRoutes } from '../tickets/tickets.routes';
import { errorHandler, sendProblem } from './problem';
import { authenticate } from './request-context';

export interface AppDependencies {
  ctx: ServiceContext;
  redis: Redis;
  logger: Logger;
  /** Mounted at /dev/mailbox when OwnIt runs without SMTP_URL. */
  devMailbox?: DevMailbox;
}

export const MAX_BODY_BYTES = 256 * 1024;

function requireJsonBody(req: Request, res: Response, next: NextFunction): void {
  const hasBody =
    Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
  if (hasBody && !req.is(['application/json', 'application/*+json'])) {
    sendProblem(res, {
      type: '/problems/unsupported-media-type',
      title: 'Unsupported media type',
      status: 415,
      detail: 'Send the body as application/json.',
    });
    return;
  }
  next();
}

export function createApp({ ctx, redis, logger, devMailbox }: AppDependencies) {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');

  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const id = (req.headers['x-request-id'] as string | undefined) ?? randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      customLogLevel: (_req, res, error) =>
        error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'info' : 'debug',
    }),
  );
  app.use(healthRoutes(ctx.dataSource, redis));
  app.use(customerPagesRoutes(ctx));
  if (devMailbox) app.use(devMailboxRoutes(devMailbox));

  const api = express.Router();
  // Raw RFC 822 mail, not JSON: mounted before the JSON body handling, authenticates itself.
  api.use(inboundEmailRoutes(ctx));
  api.use(requireJsonBody);
  api.use(
    express.json({ limit: MAX_BODY_BYTES, type: ['application/json', 'application/*+json'] }),
  );
  api.use(authenticate(ctx.dataSource));
  api.use(teamsRoutes(ctx));
  api.use(agentsRoutes(ctx));
  api.use(customersRoutes(ctx));
  api.use(customerStoryRoutes(ctx));
  api.use(ticketsRoutes(ctx));
  api.use(ownershipRoutes(ctx));
  api.use(deadlinesRoutes(ctx));
  api.use(reportsRoutes(ctx));
  api.use(consultsRoutes(ctx));
  api.use(promisesRoutes(ctx));
  app.use('/api/v1', api);

  app.use((req, res) => {
    sendProblem(res, {
      type: '/problems/not-found',
      title: 'Not found',
      status: 404,
      detail: `No route for ${req.method} ${req.path}.`,
    });
  });
  app.use(errorHandler(logger));
  return app;
}
