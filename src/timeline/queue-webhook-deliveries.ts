/**
 * The INSERT that writes one delivery per enabled endpoint subscribed to a webhook event that
 * timeline events stand for: `source` is a CTE with the timeline event's columns (id,
 * ticket_id, at, actor_id, data) and `hook_type`, one row per (event, webhook event type).
 * Endpoints scoped to a team only hear about that team's tickets. It runs in the statement that
 * records the events (record-event.ts), so a delivery exists exactly when its change does.
 */
export function webhookDeliveriesInsert(source: string): string {
  return `INSERT INTO webhook_deliveries
       (webhook_id, event_type, ticket_id, timeline_event_id, payload, next_attempt_at, created_at)
     SELECT w.id, ev.hook_type, t.id, ev.id,
            jsonb_build_object(
              'type', ev.hook_type,
              'timestamp', to_char(ev.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
              'data', jsonb_build_object(
                'ticketId', t.id, 'ticketRef', t.ref, 'teamId', t.team_id,
                'customerId', t.customer_id,
                'timelineEventId', ev.id, 'actorId', ev.actor_id, 'details', ev.data)),
            ev.at, ev.at
       FROM ${source} ev
       JOIN tickets t ON t.id = ev.ticket_id
       JOIN webhooks w ON w.enabled AND (w.team_id IS NULL OR w.team_id = t.team_id)
                       AND ev.hook_type = ANY (w.events)
     ON CONFLICT (webhook_id, timeline_event_id, event_type) DO NOTHING`;
}
