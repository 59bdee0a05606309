import type { ServiceContext } from '../context';
import type { Logger } from '../logger';
import {
  drainWebhooks,
  releaseStaleWebhookClaims,
  type WebhookDeliverySettings,
  type WebhookOutcomeObserver,
} from '../webhooks/deliver-webhooks';

export interface WebhookDispatcher {
  /** Stops polling and waits for the deliveries in hand to be recorded. */
  stop(): Promise<void>;
}

/**
 * Polls the webhook outbox (every `idleMs` when idle) and delivers what is due. Postgres is the
 * source of truth, so nothing depends on Redis; several workers may run this at once.
 */
export function startWebhookDispatcher(
  ctx: ServiceContext,
  settings: WebhookDeliverySettings,
  logger: Logger,
  options: { idleMs?: number; parallel?: number; observe?: WebhookOutcomeObserver } = {},
): WebhookDispatcher {
  let stopped = false;
  let wake: (() => void) | undefined;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const loop = (async () => {
    let lastRelease = 0;
    while (!stopped) {
      try {
        if (Date.now() - lastRelease > 60_000) {
          const released = await releaseStaleWebhookClaims(ctx, settings.staleClaimMs);
          if (released) logger.warn({ released }, 'released webhook claims of a worker that died');
          lastRelease = Date.now();
        }
        const counts = await drainWebhooks(ctx, settings, {
          parallel: options.parallel ?? 5,
          shouldStop: () => stopped,
          ...(options.observe ? { observe: options.observe } : {}),
        });
        if (counts.delivered + counts.retry + counts.failed > 0) {
          logger.debug(counts, 'webhooks delivered');
        }
      } catch (error) {
        logger.error({ err: error }, 'webhook dispatch failed; retrying');
      }
      if (!stopped) await sleep(options.idleMs ?? 1_000);
    }
  })();
  return {
    async stop() {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}
