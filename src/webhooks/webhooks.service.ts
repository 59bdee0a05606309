import { randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { isAdmin, type Actor } from '../actor';
import type { ServiceContext } from '../context';
import { InvalidInput, Forbidden, NotFound } from '../errors';
import { decodeCursor, toPage, type Page } from '../pagination';
import { secretBoxOf } from '../system/secret-box';
import { requireTeamForField } from '../team-admin/teams.service';
import { z } from 'zod';
import { assertPublicDestination, ForbiddenDestination } from './network-guard';
import { deliveryView, webhookView, type DeliveryRow, type WebhookRow } from './webhook.view';
import type { CreateWebhookInput, DeliveriesQuery, UpdateWebhookInput } from './webhooks.input';

const COLUMNS = `id, url, events, team_id, description, enabled, disabled_at, disabled_reason,
  consecutive_failures, failing_since, created_at, updated_at`;

function requireAdmin(actor: Actor): void {
  if (!isAdmin(actor)) throw new Forbidden('Only an admin can manage webhooks.');
}

/** The SSRF guard at registration; delivery checks again after DNS resolution. */
async function assertAllowedUrl(ctx: ServiceContext, url: string): Promise<void> {
  if (ctx.settings.webhookAllowPrivateNetworks) return;
  try {
    await assertPublicDestination(new URL(url));
  } catch (error) {
    if (!(error instanceof ForbiddenDestination)) throw error;
    throw InvalidInput.field(
      'url',
      `must reach a public address: ${error.message}; private networks are allowed only with WEBHOOK_ALLOW_PRIVATE_NETWORKS=true`,
    );
  }
}

/** 32 random bytes, base64, with the Standard Webhooks prefix. */
function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export async function createWebhook(
  ctx: ServiceContext,
  actor: Actor,
  input: CreateWebhookInput,
): Promise<ReturnType<typeof webhookView> & { secret: string }> {
  requireAdmin(actor);
  await assertAllowedUrl(ctx, input.url);
  const secret = newSigningSecret();
  const box = await secretBoxOf(ctx.dataSource, ctx.settings.secretsKey);
  const now = ctx.clock.now();
  const row = await ctx.dataSource.transaction(async (manager) => {
    if (input.teamId) await requireTeamForField(manager, input.teamId, 'teamId');
    const [inserted]: WebhookRow[] = await manager.query(
      `INSERT INTO webhooks (url, events, team_id, description, secret_encrypted, created_by_id, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING ${COLUMNS}`,
      [
        input.url,
        input.events,
        input.teamId ?? null,
        input.description ?? null,
        box.seal(secret),
        actor.id,
        now,
      ],
    );
    return inserted!;
  });
  return { ...webhookView(row), secret };
}

async function findWebhook(manager: EntityManager, id: string): Promise<WebhookRow> {
  const [row]: WebhookRow[] = await manager.query(`SELECT ${COLUMNS} FROM webhooks WHERE id = $1`, [
    id,
  ]);
  if (!row) throw new NotFound(`No webhook ${id}.`);
  return row;
}

export async function getWebhook(ctx: ServiceContext, actor: Actor, id: string) {
  requireAdmin(actor);
  return webhookView(await findWebhook(ctx.dataSource.manager, id));
}

export async function listWebhooks(ctx: ServiceContext, actor: Actor) {
  requireAdmin(actor);
  const rows: WebhookRow[] = await ctx.dataSource.query(
    `SELECT ${COLUMNS} FROM webhooks ORDER BY created_at, id`,
  );
  return rows.map(webhookView);
}

export async function updateWebhook(
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  input: UpdateWebhookInput,
) {
  requireAdmin(actor);
  if (input.url !== undefined) await assertAllowedUrl(ctx, input.url);
  const now = ctx.clock.now();
  const row = await ctx.dataSource.transaction(async (manager) => {
    const current = await findWebhook(manager, id);
    if (input.teamId) await requireTeamForField(manager, input.teamId, 'teamId');
    const reenable = input.enabled === true && !current.enabled;
    const [updated]: [WebhookRow[], number] = await manager.query(
      `UPDATE webhooks SET
         url = $2, events = $3::text[], team_id = $4::uuid, description = $5::text,
         enabled = $6::boolean, updated_at = $7::timestamptz,
         disabled_at = CASE WHEN $6::boolean THEN NULL WHEN enabled THEN $7::timestamptz ELSE disabled_at END,
         disabled_reason = CASE WHEN $6::boolean THEN NULL WHEN enabled THEN 'disabled by an admin' ELSE disabled_reason END,
         consecutive_failures = CASE WHEN $8::boolean THEN 0 ELSE consecutive_failures END,
         failing_since = CASE WHEN $8::boolean THEN NULL ELSE failing_since END
       WHERE id = $1 RETURNING ${COLUMNS}`,
      [
        id,
        input.url ?? current.url,
        input.events ?? current.events,
        input.teamId === undefined ? current.team_id : input.teamId,
        input.description === undefined ? current.description : input.description,
        input.enabled ?? current.enabled,
        now,
        reenable,
      ],
    );
    return (updated as unknown as WebhookRow[])[0]!;
  });
  return webhookView(row);
}

export async function deleteWebhook(ctx: ServiceContext, actor: Actor, id: string): Promise<void> {
  requireAdmin(actor);
  const deleted: unknown = await ctx.dataSource.query(`DELETE FROM webhooks WHERE id = $1`, [id]);
  if (!(Array.isArray(deleted) && deleted[1] === 1)) throw new NotFound(`No webhook ${id}.`);
}

const deliveryCursor = z.object({ at: z.string(), id: z.uuid() });

/** The delivery log, newest first, each delivery with every attempt it took. */
export async function listDeliveries(
  ctx: ServiceContext,
  actor: Actor,
  webhookId: string,
  query: DeliveriesQuery,
): Promise<Page<ReturnType<typeof deliveryView>>> {
  requireAdmin(actor);
  await findWebhook(ctx.dataSource.manager, webhookId);
  const after = query.cursor ? decodeCursor(query.cursor, deliveryCursor) : null;
  const rows: Array<DeliveryRow & { cursor_at: string }> = await ctx.dataSource.query(
    `SELECT d.id, d.webhook_id, d.event_type, d.ticket_id, d.status, d.attempts, d.next_attempt_at,
            d.created_at, d.delivered_at, d.failed_at, d.last_status_code, d.last_error,
            to_char(d.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS cursor_at,
            COALESCE((SELECT jsonb_agg(jsonb_build_object(
                        'attempt', a.attempt, 'at', a.at, 'duration_ms', a.duration_ms,
                        'status_code', a.status_code, 'error', a.error) ORDER BY a.attempt)
                        FROM webhook_delivery_attempts a WHERE a.delivery_id = d.id), '[]') AS attempt_log
       FROM webhook_deliveries d
      WHERE d.webhook_id = $1
        AND ($2::text IS NULL OR d.status = $2)
        AND ($3::timestamp IS NULL OR (d.created_at AT TIME ZONE 'UTC', d.id) < ($3::timestamp, $4::uuid))
      ORDER BY d.created_at DESC, d.id DESC
      LIMIT $5`,
    [webhookId, query.status ?? null, after?.at ?? null, after?.id ?? null, query.limit + 1],
  );
  return toPage(rows, query.limit, deliveryView, (row) => ({ at: row.cursor_at, id: row.id }));
}
