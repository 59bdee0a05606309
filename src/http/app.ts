import express, { type NextFunction, type Request, type Response } from 'express';
import type { Redis } from 'ioredis';
import { pinoHttp } from 'pino-http';
import { randomUUID } from 'node:crypto';
import { agentsRoutes } from '../agent-admin/agents.routes';
import { tokenAuthenticator } from '../agents/authenticate';
import type { ServiceContext } from '../context';
import { consultsRoutes } from '../consults/consults.routes';
import { customersRoutes } from '../customers/customers.routes';
import { recomputeOnTierChange } from '../deadlines/recompute-team-deadlines';
import { customerStoryRoutes } from '../story/customer-story.routes';
import { promisesRoutes } from '../promises/promises.routes';
import { deadlinesRoutes } from '../deadlines/deadlines.routes';
import type { Logger } from '../logger';
import { outboxRoutes } from '../outbox/outbox.routes';
import { ownershipRoutes } from '../ownership/ownership.routes';
import { reportsRoutes } from '../reports/reports.routes';
import { healthRoutes } from '../system/health.routes';
import { createDependencyHealth, type DependencyHealth } from './dependency-health';
import { devMailboxRoutes } from '../system/dev-mailbox.routes';
import type { DevMailbox } from '../notifications/dev-mailbox';
import { customerPagesRoutes } from '../customer-pages/customer-pages.routes';
import { inboundEmailRoutes } from '../inbound/inbound-email.routes';
import { teamsRoutes } from '../team-admin/teams.routes';
import { supervisionRoutes } from '../supervision/supervision.routes';
import { ticketsRoutes } from '../lifecycle/tickets.routes';
import { webhooksRoutes } from '../webhooks/webhooks.routes';
import { limitConcurrency } from './limit-concurrency';
import { attachmentsRoutes } from '../attachments/attachments.routes';
import { mailboxesRoutes } from '../mailboxes/mailboxes.routes';
import { consoleRoutes } from './console-static';
import { errorHandler, sendProblem } from './problem';
import { unstorableStrings } from './validate';
import { InvalidInput } from '../errors';
import { LiveEventHub } from '../live/live-event-hub';
import { liveRoutes } from '../live/live.routes';
import { searchRoutes } from '../search/search.routes';
import { csrfGuard } from './csrf';
import { authenticateCaller } from './request-context';
import { publicSessionRoutes, sessionRoutes } from '../sessions/sessions.routes';
import { sessionAuthenticator } from '../sessions/session-authenticator';
import type { Registry } from 'prom-client';
import { httpMetricsMiddleware } from './http-metrics';
import { serverTimingMiddleware } from './server-timing';
import { adminOnly, readOnly } from './admin-only';
import { openApiRoutes } from '../openapi/openapi.routes';

export interface AppDependencies {
  ctx: ServiceContext;
  redis: Redis;
  logger: Logger;
  /** Mounted at /dev/mailbox when OwnIt runs without SMTP_URL. */
  devMailbox?: DevMailbox;
  /** Recent database failures seen by requests, for /readyz (one per app by default). */
  health?: DependencyHealth;
  /** Redis key prefix of this install (the readiness probe writes one key under it). */
  keyPrefix?: string;
  /** Reports running at once (the rest wait, then 503): reports never take every connection. */
  reportConcurrency?: number;
  /** How long a report waits for its turn before 503. */
  reportWaitMs?: number;
  /** Feeds GET /events; pass one to close its streams on shutdown (else the app makes its own). */
  liveEvents?: LiveEventHub;
  /** Where request latency is recorded (the process's metrics registry); none: not recorded. */
  metrics?: Registry;
  /** bull-board's handler (worker/queue-board.ts), served to admins at /admin/queues. */
  queueBoard?: unknown;
}

/** Where admins inspect the BullMQ queues (bull-board). */
export const QUEUE_BOARD_PATH = '/admin/queues';

export const MAX_BODY_BYTES = 256 * 1024;

/** Every route, whether or not it validates: no string Postgres cannot store gets past here. */
function refuseUnstorableInput(req: Request, _res: Response, next: NextFunction): void {
  const errors = [...unstorableStrings(req.query), ...unstorableStrings(req.body ?? {})];
  if (errors.length > 0)
    throw new InvalidInput(errors, errors.map((e) => `${e.path}: ${e.message}`).join('; '));
  next();
}

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

export function createApp({
  ctx,
  redis,
  logger,
  devMailbox,
  health = createDependencyHealth(),
  keyPrefix,
  reportConcurrency = 2,
  reportWaitMs = 10_000,
  liveEvents,
  metrics,
  queueBoard,
}: AppDependencies) {
  const hub = liveEvents ?? new LiveEventHub(ctx.dataSource, ctx.clock, logger);
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.use(serverTimingMiddleware());
  if (metrics) app.use(httpMetricsMiddleware(metrics, () => app));

  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const id = (req.headers['x-request-id'] as string | undefined) ?? randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      // 503 is an outage answered as such (logged where it is detected), not a bug.
      customLogLevel: (_req, res, error) =>
        res.statusCode === 503
          ? 'warn'
          : error || res.statusCode >= 500
            ? 'error'
            : res.statusCode >= 400
              ? 'info'
              : 'debug',
    }),
  );
  app.use(healthRoutes(ctx.dataSource, redis, { health, keyPrefix }));
  app.use(openApiRoutes());
  app.use(customerPagesRoutes(ctx));
  const authenticateApiCaller = authenticateCaller(
    tokenAuthenticator(ctx.dataSource),
    sessionAuthenticator(ctx),
  );
  if (devMailbox) app.use(devMailboxRoutes(devMailbox, authenticateApiCaller));

  const api = express.Router();
  // Raw RFC 822 mail, not JSON: mounted before the JSON body handling, authenticates itself.
  api.use(inboundEmailRoutes(ctx));
  // Before body parsing: a forged cross-site write is refused before anything reads it.
  api.use(csrfGuard(ctx.settings.publicUrl));
  // Uploads are raw bytes: before the JSON-only check, with the API's own authentication.
  api.use(attachmentsRoutes(ctx, authenticateApiCaller));
  api.use(requireJsonBody);
  api.use(
    express.json({ limit: MAX_BODY_BYTES, type: ['application/json', 'application/*+json'] }),
  );
  api.use(publicSessionRoutes(ctx));
  api.use(authenticateApiCaller);
  api.use(refuseUnstorableInput);
  const reportTurns = limitConcurrency(reportConcurrency, reportWaitMs);
  api.use('/reports', reportTurns);
  api.get('/customers/:id/story', reportTurns);
  api.use(sessionRoutes(ctx));
  api.use(liveRoutes(ctx, hub));
  api.use(searchRoutes(ctx));
  api.use(teamsRoutes(ctx));
  api.use(supervisionRoutes(ctx));
  api.use(agentsRoutes(ctx));
  api.use(customersRoutes(ctx, { onTierChange: recomputeOnTierChange(ctx) }));
  api.use(customerStoryRoutes(ctx));
  api.use(ticketsRoutes(ctx));
  api.use(ownershipRoutes(ctx));
  api.use(deadlinesRoutes(ctx));
  api.use(reportsRoutes(ctx));
  api.use(consultsRoutes(ctx));
  api.use(promisesRoutes(ctx));
  api.use(outboxRoutes(ctx));
  api.use(webhooksRoutes(ctx));
  api.use(mailboxesRoutes(ctx));
  app.use('/api/v1', api);
  if (queueBoard) {
    app.use(
      QUEUE_BOARD_PATH,
      csrfGuard(ctx.settings.publicUrl),
      authenticateApiCaller,
      adminOnly(),
      readOnly('The queue board'),
      queueBoard as express.RequestHandler,
    );
  }
  app.use(consoleRoutes());

  app.use((req, res) => {
    sendProblem(res, {
      type: '/problems/not-found',
      title: 'Not found',
      status: 404,
      detail: `No route for ${req.method} ${req.path}.`,
    });
  });
  app.use(errorHandler(logger, health));
  return app;
}
