import type { ServiceContext } from '../context';
import type { Logger } from '../logger';
import {
  drainOutbox,
  type DeliveryOutcome,
  type DeliverySettings,
} from '../notifications/deliver-outbox';
import type { Mailer } from '../notifications/mailer';

export interface OutboxDispatcher {
  /** Stops polling and waits for the emails in hand to be sent and recorded. */
  stop(): Promise<void>;
}

/**
 * Polls the outbox (every `idleMs` when there is nothing to send) and sends what is due.
 * Polling Postgres keeps the outbox the single source of truth: nothing depends on a Redis
 * message arriving. Several workers may run this at once.
 */
export function startOutboxDispatcher(
  ctx: ServiceContext,
  mailer: Mailer,
  settings: DeliverySettings,
  logger: Logger,
  options: {
    idleMs?: number;
    parallel?: number;
    /** Told each round's outcomes (the metrics seam: email outcomes). */
    observe?: (counts: Record<DeliveryOutcome, number>) => void;
  } = {},
): OutboxDispatcher {
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
    while (!stopped) {
      try {
        const counts = await drainOutbox(ctx, mailer, settings, {
          parallel: options.parallel ?? 1,
          shouldStop: () => stopped,
        });
        options.observe?.(counts);
        if (counts.sent + counts.failed + counts.ambiguous + counts.retry > 0) {
          logger.debug(counts, 'outbox drained');
        }
      } catch (error) {
        logger.error({ err: error }, 'outbox dispatch failed; retrying');
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
