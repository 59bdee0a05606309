import type { DataSource } from 'typeorm';
import type { TicketBody } from '../helpers/factories';

/**
 * Shared by the report tests only (not a test file itself). Reports read history (when a ticket
 * was answered, resolved, breached), which the API writes only as time passes; these helpers
 * write that history straight into the tables, on tickets created through the API.
 */

/** A local Berlin time in March 2026 (UTC+1 until the 29th) as an instant. */
export const berlin = (day: string, time: string): Date => new Date(`${day}T${time}:00+01:00`);

const NINE_TO_FIVE = { open: '09:00', close: '17:00' };
export const WEEKDAYS_9_TO_17 = {
  mon: NINE_TO_FIVE,
  tue: NINE_TO_FIVE,
  wed: NINE_TO_FIVE,
  thu: NINE_TO_FIVE,
  fri: NINE_TO_FIVE,
};

/** Sets ticket columns (snake_case names, as in the table) directly. */
export async function setTicket(
  db: DataSource,
  ticketId: string,
  values: Record<string, unknown>,
): Promise<void> {
  const columns = Object.keys(values);
  await db.query(
    `UPDATE tickets SET ${columns.map((c, i) => `${c} = $${i + 2}`).join(', ')} WHERE id = $1`,
    [ticketId, ...columns.map((c) => values[c])],
  );
}

/** A first response: the clock started at `started`, due at `due`, answered at `responded`. */
export function firstResponse(started: Date, due: Date, responded: Date | null) {
  return {
    received_at: started,
    response_clock_started_at: started,
    first_response_due_at: due,
    first_responded_at: responded,
    last_public_update_at: responded,
  };
}

/** Resolved with a root cause at `at`. */
export function resolved(at: Date, silo: string, category: string) {
  return {
    status: 'resolved',
    resolved_at: at,
    resolution: 'Fixed',
    root_cause_silo: silo,
    root_cause_category: category,
    next_update_due_at: null,
  };
}

/** A breach as the worker records it (and counted on the ticket). */
export async function recordBreach(
  db: DataSource,
  ticket: TicketBody,
  kind: 'first_response' | 'next_update',
  dueAt: Date,
  actedAt: Date = dueAt,
): Promise<void> {
  await db.query(
    `INSERT INTO deadline_actions (ticket_id, team_id, kind, deadline_version, step, due_at, acted_at, owner_id, escalation_level)
     VALUES ($1, $2, $3, 1, 'breached', $4, $5, $6, 1)`,
    [ticket.id, ticket.teamId, kind, dueAt, actedAt, ticket.ownerId],
  );
  await db.query(`UPDATE tickets SET breach_count = breach_count + 1 WHERE id = $1`, [ticket.id]);
}

export async function addPromise(
  db: DataSource,
  ticket: TicketBody,
  status: 'open' | 'kept' | 'broken' | 'cancelled',
  closedAt: Date | null,
  silo = 'field_service',
): Promise<void> {
  await db.query(
    `INSERT INTO promises (ticket_id, customer_id, team_id, made_by_id, description, due_at, silo, status, closed_at, created_at)
     VALUES ($1, $2, $3, $4, 'Technician visit', $5, $6, $7, $8, $5::timestamptz - interval '1 day')`,
    [
      ticket.id,
      ticket.customerId,
      ticket.teamId,
      ticket.ownerId,
      closedAt ?? new Date('2026-03-01T00:00:00Z'),
      silo,
      status,
      closedAt,
    ],
  );
}

export async function addScore(
  db: DataSource,
  ticket: TicketBody,
  score: number,
  at: Date,
): Promise<void> {
  await db.query(
    `INSERT INTO satisfaction_scores (ticket_id, customer_id, owner_id, score, at) VALUES ($1, $2, $3, $4, $5)`,
    [ticket.id, ticket.customerId, ticket.ownerId, score, at],
  );
}

export async function churn(db: DataSource, customerId: string, at: Date): Promise<void> {
  await db.query(`UPDATE customers SET churned_at = $2, churn_reason = 'left' WHERE id = $1`, [
    customerId,
    at,
  ]);
}

/** Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF) into rows of fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        field += ch;
      }
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else {
      field += ch;
    }
  }
  if (field !== '' || row.length) rows.push([...row, field]);
  return rows;
}
