import { Webhook as StandardWebhook } from 'standardwebhooks';
import type { EntityManager } from 'typeorm';
import type { ServiceContext } from '../context';
import { inTransaction } from '../db/transaction';
import { queueEmail } from '../notifications/queue-email';
import { secretBoxOf } from '../system/secret-box';
import { postWebhook, type WebhookResponse } from './post-webhook';
import { webhookMessageId } from './webhook.view';

/**
 * Turns webhook outbox rows into signed POSTs. Claims are short transactions (SKIP LOCKED, so
 * several workers share the work); the POST happens with no transaction open; the outcome and
 * the attempt log are written afterwards. Every attempt of a delivery carries the same
 * webhook-id, so a receiver that got an attempt we never heard back from can deduplicate.
 */
export interface WebhookDeliverySettings {
  /** Delay before attempt n+1 after attempt n failed; its length + 1 is the attempt limit. */
  retryDelaysMs: number[];
  timeoutMs: number;
  /** Disable an endpoint after this many failed attempts in a row … */
  disableAfterFailures: number;
  /** … or once it has failed without a success for this long. */
  disableAfterMs: number;
  staleClaimMs: number;
  allowPrivateNetworks: boolean;
}

/** The Standard Webhooks schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (eight attempts). */
export const DEFAULT_WEBHOOK_DELIVERY: WebhookDeliverySettings = {
  retryDelaysMs: [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000],
  timeoutMs: 15_000,
  disableAfterFailures: 50,
  disableAfterMs: 5 * 86_400_000,
  staleClaimMs: 120_000,
  allowPrivateNetworks: false,
};

export type WebhookOutcome = 'delivered' | 'retry' | 'failed' | 'skipped';

/** Told of every attempt's outcome (the metrics seam: webhook outcomes by event type). */
export type WebhookOutcomeObserver = (outcome: {
  outcome: WebhookOutcome;
  eventType: string;
  statusCode: number | null;
  durationMs: number;
}) => void;

interface ClaimedDelivery {
  id: string;
  webhook_id: string;
  event_type: string;
  attempts: number;
  payload: Record<string, unknown>;
  url: string;
  secret_encrypted: string;
}

export async function claimDueDeliveries(
  ctx: ServiceContext,
  limit: number,
): Promise<ClaimedDelivery[]> {
  const now = ctx.clock.now();
  const rows: unknown = await ctx.dataSource.query(
    `WITH due AS (
       SELECT d.id FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
        WHERE d.status = 'pending' AND d.next_attempt_at <= $1 AND w.enabled
        ORDER BY d.next_attempt_at
        LIMIT $2
        FOR UPDATE OF d SKIP LOCKED)
     UPDATE webhook_deliveries d SET status = 'sending', claimed_at = $1, attempts = d.attempts + 1
       FROM due, webhooks w
      WHERE d.id = due.id AND w.id = d.webhook_id
     RETURNING d.id, d.webhook_id, d.event_type, d.attempts, d.payload, w.url, w.secret_encrypted`,
    [now, limit],
  );
  return (Array.isArray(rows) && Array.isArray(rows[0]) ? rows[0] : rows) as ClaimedDelivery[];
}

/** Claims of a worker that died mid-POST go back to pending (the same webhook-id is resent). */
export async function releaseStaleWebhookClaims(
  ctx: ServiceContext,
  staleClaimMs: number,
): Promise<number> {
  const now = ctx.clock.now();
  const result: unknown = await ctx.dataSource.query(
    `UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = $2
      WHERE status = 'sending' AND claimed_at < $1`,
    [new Date(now.getTime() - staleClaimMs), now],
  );
  return Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
}

export async function deliverWebhook(
  ctx: ServiceContext,
  delivery: ClaimedDelivery,
  settings: WebhookDeliverySettings,
  observe?: WebhookOutcomeObserver,
): Promise<WebhookOutcome> {
  const box = await secretBoxOf(ctx.dataSource, ctx.settings.secretsKey);
  const body = JSON.stringify(delivery.payload);
  const messageId = webhookMessageId(delivery.id);
  const startedAt = ctx.clock.now();
  let response: WebhookResponse;
  const began = process.hrtime.bigint();
  try {
    const signature = new StandardWebhook(box.open(delivery.secret_encrypted)).sign(
      messageId,
      startedAt,
      body,
    );
    response = await postWebhook({
      url: delivery.url,
      body,
      timeoutMs: settings.timeoutMs,
      publicOnly: !settings.allowPrivateNetworks,
      headers: {
        'webhook-id': messageId,
        'webhook-timestamp': String(Math.floor(startedAt.getTime() / 1000)),
        'webhook-signature': signature,
      },
    });
  } catch (error) {
    response = {
      ok: false,
      statusCode: null,
      body: '',
      error: `could not sign: ${(error as Error).message}`,
      refused: true,
    };
  }
  const durationMs = Number((process.hrtime.bigint() - began) / 1_000_000n);
  const outcome = await recordOutcome(ctx, delivery, response, startedAt, durationMs, settings);
  observe?.({
    outcome,
    eventType: delivery.event_type,
    statusCode: response.statusCode,
    durationMs,
  });
  return outcome;
}

async function recordOutcome(
  ctx: ServiceContext,
  delivery: ClaimedDelivery,
  response: WebhookResponse,
  at: Date,
  durationMs: number,
  settings: WebhookDeliverySettings,
): Promise<WebhookOutcome> {
  const now = ctx.clock.now();
  const error = response.ok ? null : response.error.slice(0, 500);
  return inTransaction(ctx.dataSource, async (manager) => {
    // Only the holder of the claim records (a released, re-claimed row is someone else's now).
    const [held]: unknown[] = await manager.query(
      `SELECT 1 FROM webhook_deliveries WHERE id = $1 AND status = 'sending' AND attempts = $2 FOR UPDATE`,
      [delivery.id, delivery.attempts],
    );
    if (!held) return 'skipped';
    await manager.query(
      `INSERT INTO webhook_delivery_attempts (delivery_id, attempt, at, duration_ms, status_code, error, response_body)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (delivery_id, attempt) DO NOTHING`,
      [delivery.id, delivery.attempts, at, durationMs, response.statusCode, error, response.body],
    );
    if (response.ok) {
      await manager.query(
        `UPDATE webhook_deliveries SET status = 'delivered', delivered_at = $2, last_status_code = $3,
                last_error = NULL WHERE id = $1`,
        [delivery.id, now, response.statusCode],
      );
      await manager.query(
        `UPDATE webhooks SET consecutive_failures = 0, failing_since = NULL WHERE id = $1`,
        [delivery.webhook_id],
      );
      return 'delivered';
    }
    const delay = settings.retryDelaysMs[delivery.attempts - 1];
    // A refused destination fails at once: retrying the same private address cannot succeed.
    const retry = delay !== undefined && !('refused' in response && response.refused);
    await manager.query(
      `UPDATE webhook_deliveries SET status = $2, next_attempt_at = $3, last_status_code = $4,
              last_error = $5, failed_at = CASE WHEN $2 = 'failed' THEN $6::timestamptz END
        WHERE id = $1`,
      [
        delivery.id,
        retry ? 'pending' : 'failed',
        retry ? new Date(now.getTime() + delay) : now,
        response.statusCode,
        retry ? error : `gave up after ${delivery.attempts} attempts: ${error}`,
        now,
      ],
    );
    const updated: unknown = await manager.query(
      `UPDATE webhooks SET consecutive_failures = consecutive_failures + 1,
                failing_since = COALESCE(failing_since, $2)
          WHERE id = $1 AND enabled RETURNING consecutive_failures, failing_since`,
      [delivery.webhook_id, at],
    );
    const [endpoint] = (
      Array.isArray(updated) && Array.isArray(updated[0]) ? updated[0] : []
    ) as Array<{
      consecutive_failures: number;
      failing_since: Date;
    }>;
    if (
      endpoint &&
      (endpoint.consecutive_failures >= settings.disableAfterFailures ||
        now.getTime() - endpoint.failing_since.getTime() >= settings.disableAfterMs)
    ) {
      const reason = `disabled after ${endpoint.consecutive_failures} failed attempts in a row (failing since ${endpoint.failing_since.toISOString()}); last error: ${error ?? 'unknown'}`;
      await disableEndpoint(manager, delivery, reason, now);
    }
    return retry ? 'retry' : 'failed';
  });
}

async function disableEndpoint(
  manager: EntityManager,
  delivery: ClaimedDelivery,
  reason: string,
  now: Date,
): Promise<void> {
  await manager.query(
    `UPDATE webhooks SET enabled = false, disabled_at = $2, disabled_reason = $3, updated_at = $2 WHERE id = $1`,
    [delivery.webhook_id, now, reason],
  );
  // Every active admin hears of it: deliveries stop until an admin re-enables the endpoint.
  const admins: Array<{ id: string; name: string; email: string }> = await manager.query(
    `SELECT id, name, email FROM agents WHERE role = 'admin' AND active ORDER BY id`,
  );
  for (const admin of admins) {
    await queueEmail(manager, {
      key: `webhook-disabled:${delivery.webhook_id}:${now.getTime()}:${admin.id}`,
      template: 'webhook_disabled',
      toAddress: admin.email,
      agentId: admin.id,
      payload: {
        agentName: admin.name,
        webhookId: delivery.webhook_id,
        url: delivery.url,
        reason,
      },
      at: now,
    });
  }
}

/** Delivers everything due now, `parallel` at a time; `shouldStop` is checked between rounds. */
export async function drainWebhooks(
  ctx: ServiceContext,
  settings: WebhookDeliverySettings,
  options: { parallel?: number; shouldStop?: () => boolean; observe?: WebhookOutcomeObserver } = {},
): Promise<Record<WebhookOutcome, number>> {
  const counts: Record<WebhookOutcome, number> = { delivered: 0, retry: 0, failed: 0, skipped: 0 };
  while (!options.shouldStop?.()) {
    const batch = await claimDueDeliveries(ctx, options.parallel ?? 5);
    if (batch.length === 0) break;
    const outcomes = await Promise.all(
      batch.map((delivery) => deliverWebhook(ctx, delivery, settings, options.observe)),
    );
    for (const outcome of outcomes) counts[outcome] += 1;
  }
  return counts;
}
