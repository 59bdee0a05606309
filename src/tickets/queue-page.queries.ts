import type { DataSource } from 'typeorm';
import { queryPrepared, type PreparedStatement } from '../db/prepared-query';
import type { TicketListItem } from './ticket-list-item';

/** Where a queue page starts: after this (effective due time, id); `infinity` for paused ones. */
export interface QueuePosition {
  due: string;
  id: string;
}

export interface QueueRow {
  item: TicketListItem;
  /** The row's sort key, for the next page's cursor. */
  position: QueuePosition;
}

/** An instant as `Date.toISOString()` writes it (UTC, milliseconds truncated as pg's parser does). */
const iso = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** Same key as the partial index tickets_owner_queue_idx, so the scan stops after one page. */
const EFFECTIVE_DUE = `COALESCE(t.deadline_due_at, 'infinity'::timestamptz)`;

/**
 * Only the columns a list item shows, the customer joined in, instants formatted by Postgres and
 * the current deadline taken from the generated deadline_kind/deadline_due_at columns (which
 * mirror deadline-rules/current-deadline.ts): no entity hydration and no per-row date parsing.
 * Parameters: owner id, rows to take, then (with a cursor) its due time and id.
 */
export const queuePageSql = (withCursor: boolean) => `
  SELECT t.id, t.ref, t.status, t.customer_id, t.team_id, t.owner_id, t.created_by_id,
         t.subject, t.description, t.channel, t.category, t.priority,
         ${iso('t.received_at')} AS received_at,
         ${iso('t.first_response_due_at')} AS first_response_due_at,
         ${iso('t.first_responded_at')} AS first_responded_at,
         ${iso('t.next_update_due_at')} AS next_update_due_at,
         ${iso('t.last_public_update_at')} AS last_public_update_at,
         t.escalation_level, t.breach_count,
         ${iso('t.resolved_at')} AS resolved_at,
         t.resolution, t.root_cause_silo, t.root_cause_category, t.root_cause_detail,
         ${iso('t.closed_at')} AS closed_at,
         t.follow_up_of_id, t.latest_follow_up_id, t.reopen_count, t.version,
         ${iso('t.created_at')} AS created_at,
         ${iso('t.updated_at')} AS updated_at,
         c.id AS c_id, c.name AS c_name, c.email AS c_email, c.tier AS c_tier,
         t.deadline_kind,
         ${iso('t.deadline_due_at')} AS deadline_due_at
    FROM tickets t
    LEFT JOIN customers c ON c.id = t.customer_id
   WHERE t.owner_id = $1 AND t.status IN ('open', 'waiting_on_customer')
     ${withCursor ? `AND (${EFFECTIVE_DUE}, t.id) > ($3::timestamptz, $4::uuid)` : ''}
   ORDER BY ${EFFECTIVE_DUE}, t.id
   LIMIT $2`;

/**
 * Prepared once per pooled connection (every console refresh reads the queue): planning this
 * statement costs about as much as running it (~0.2 ms each). The generic plan Postgres settles
 * on is the same index scan, since neither the owner nor the page size changes which index
 * reads the page in order.
 */
const QUEUE_PAGE: PreparedStatement = { name: 'ownit_queue_page', text: queuePageSql(false) };
const QUEUE_PAGE_AFTER: PreparedStatement = {
  name: 'ownit_queue_page_after',
  text: queuePageSql(true),
};

interface RawQueueRow {
  id: string;
  ref: string;
  status: TicketListItem['status'];
  customer_id: string;
  team_id: string;
  owner_id: string;
  created_by_id: string;
  subject: string;
  description: string;
  channel: TicketListItem['channel'];
  category: string | null;
  priority: TicketListItem['priority'];
  received_at: string;
  first_response_due_at: string | null;
  first_responded_at: string | null;
  next_update_due_at: string | null;
  last_public_update_at: string | null;
  escalation_level: number;
  breach_count: number;
  resolved_at: string | null;
  resolution: string | null;
  root_cause_silo: NonNullable<TicketListItem['rootCause']>['silo'] | null;
  root_cause_category: string | null;
  root_cause_detail: string | null;
  closed_at: string | null;
  follow_up_of_id: string | null;
  latest_follow_up_id: string | null;
  reopen_count: number;
  version: number;
  created_at: string;
  updated_at: string;
  c_id: string | null;
  c_name: string;
  c_email: string;
  c_tier: string;
  deadline_kind: string | null;
  deadline_due_at: string | null;
}

/** The same fields in the same order as ticketListItem(ticketView(...)): clients see no change. */
function queueItem(row: RawQueueRow): TicketListItem {
  return {
    id: row.id,
    ref: row.ref,
    status: row.status,
    customerId: row.customer_id,
    teamId: row.team_id,
    ownerId: row.owner_id,
    createdById: row.created_by_id,
    subject: row.subject,
    description: row.description,
    channel: row.channel,
    category: row.category,
    priority: row.priority,
    receivedAt: row.received_at,
    firstResponseDueAt: row.first_response_due_at,
    firstRespondedAt: row.first_responded_at,
    nextUpdateDueAt: row.next_update_due_at,
    lastPublicUpdateAt: row.last_public_update_at,
    escalationLevel: row.escalation_level,
    breachCount: row.breach_count,
    resolvedAt: row.resolved_at,
    resolution: row.resolution,
    rootCause: row.root_cause_silo
      ? {
          silo: row.root_cause_silo,
          category: row.root_cause_category,
          detail: row.root_cause_detail,
        }
      : null,
    closedAt: row.closed_at,
    followUpOfId: row.follow_up_of_id,
    latestFollowUpId: row.latest_follow_up_id,
    reopenCount: row.reopen_count,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    customer: row.c_id
      ? { id: row.c_id, name: row.c_name, email: row.c_email, tier: row.c_tier }
      : null,
    currentDeadline:
      row.deadline_kind && row.deadline_due_at
        ? { kind: row.deadline_kind, dueAt: row.deadline_due_at }
        : null,
  };
}

/**
 * Up to `take` of the owner's open and waiting tickets after `after`, the one due soonest first
 * (paused ones, with no current deadline, last), read through tickets_owner_queue_idx.
 */
export async function readQueuePage(
  dataSource: DataSource,
  ownerId: string,
  take: number,
  after?: QueuePosition,
): Promise<QueueRow[]> {
  const rows = await queryPrepared<RawQueueRow>(
    dataSource,
    after ? QUEUE_PAGE_AFTER : QUEUE_PAGE,
    after ? [ownerId, take, after.due, after.id] : [ownerId, take],
  );
  return rows.map((row) => ({
    item: queueItem(row),
    position: { due: row.deadline_due_at ?? 'infinity', id: row.id },
  }));
}
