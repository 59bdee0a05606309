/** A webhook endpoint as the API shows it; the signing secret is never part of it. */
export interface WebhookRow {
  id: string;
  url: string;
  events: string[];
  team_id: string | null;
  description: string | null;
  enabled: boolean;
  disabled_at: Date | null;
  disabled_reason: string | null;
  consecutive_failures: number;
  failing_since: Date | null;
  created_at: Date;
  updated_at: Date;
}

const iso = (value: Date | null) => (value ? value.toISOString() : null);

export function webhookView(row: WebhookRow) {
  return {
    id: row.id,
    url: row.url,
    events: row.events,
    teamId: row.team_id,
    description: row.description,
    enabled: row.enabled,
    disabledAt: iso(row.disabled_at),
    disabledReason: row.disabled_reason,
    consecutiveFailures: row.consecutive_failures,
    failingSince: iso(row.failing_since),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export interface DeliveryRow {
  id: string;
  webhook_id: string;
  event_type: string;
  ticket_id: string | null;
  status: string;
  attempts: number;
  next_attempt_at: Date;
  created_at: Date;
  delivered_at: Date | null;
  failed_at: Date | null;
  last_status_code: number | null;
  last_error: string | null;
  attempt_log: Array<{
    attempt: number;
    at: string;
    duration_ms: number;
    status_code: number | null;
    error: string | null;
  }>;
}

export function deliveryView(row: DeliveryRow) {
  return {
    id: row.id,
    /** The webhook-id header of every attempt of this delivery. */
    messageId: webhookMessageId(row.id),
    webhookId: row.webhook_id,
    eventType: row.event_type,
    ticketId: row.ticket_id,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.status === 'pending' ? row.next_attempt_at.toISOString() : null,
    createdAt: row.created_at.toISOString(),
    deliveredAt: iso(row.delivered_at),
    failedAt: iso(row.failed_at),
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    attemptLog: row.attempt_log.map((a) => ({
      attempt: a.attempt,
      at: new Date(a.at).toISOString(),
      durationMs: a.duration_ms,
      statusCode: a.status_code,
      error: a.error,
    })),
  };
}

/** Standard Webhooks: the id stays the same on every retry, so receivers can deduplicate. */
export function webhookMessageId(deliveryId: string): string {
  return `msg_${deliveryId.replaceAll('-', '')}`;
}
