import type { OutboxStatus } from '../notifications/outbox-email.entity';

/** One row of the outbox list, as the queries read it. */
export interface OutboxRow {
  id: string;
  template: string;
  to_address: string;
  ticket_id: string;
  customer_id: string;
  status: OutboxStatus;
  attempts: number;
  ambiguous_sends: number;
  last_error: string | null;
  created_at: Date;
  next_attempt_at: Date;
  sent_at: Date | null;
  failed_at: Date | null;
  settled_at: Date | null;
  settled_by_id: string | null;
  settled_by_name: string | null;
  settled_note: string | null;
  resent_from_id: string | null;
  resent_as_id: string | null;
  payload: Record<string, unknown>;
  ref: string;
  ticket_subject: string;
  team_id: string;
  owner_id: string;
  customer_email: string;
}

export interface OutboxItem {
  id: string;
  ticketId: string;
  ticketRef: string;
  ticketSubject: string;
  teamId: string;
  ownerId: string;
  customerId: string;
  /** The address this email was (or is to be) sent to. */
  to: string;
  /** The customer's address now: a resend goes there. */
  customerEmail: string;
  /** The template: ticket_acknowledgement, public_update, holding_update, … */
  kind: string;
  /** The email's subject line as sent. */
  subject: string;
  status: OutboxStatus;
  lastError: string | null;
  attempts: number;
  createdAt: string;
  nextAttemptAt: string | null;
  sentAt: string | null;
  failedAt: string | null;
  settledAt: string | null;
  settledBy: { id: string; name: string } | null;
  settledNote: string | null;
  /** The failed email this one resends, and the resend that replaced this one. */
  resentFromId: string | null;
  resentAsId: string | null;
  links: {
    self: string;
    ticket: string;
    resentFrom: string | null;
    resentAs: string | null;
    /** Present while the email can be resent or dismissed (failed or ambiguous). */
    resend: string | null;
    dismiss: string | null;
  };
}

const BASE = '/api/v1';
const iso = (value: Date | null) => (value ? new Date(value).toISOString() : null);

export const isSettleable = (status: OutboxStatus): boolean =>
  status === 'failed' || status === 'ambiguous';

export function outboxItemView(row: OutboxRow, subject: string): OutboxItem {
  const self = `${BASE}/outbox/${row.id}`;
  const settleable = isSettleable(row.status);
  return {
    id: row.id,
    ticketId: row.ticket_id,
    ticketRef: row.ref,
    ticketSubject: row.ticket_subject,
    teamId: row.team_id,
    ownerId: row.owner_id,
    customerId: row.customer_id,
    to: row.to_address,
    customerEmail: row.customer_email,
    kind: row.template,
    subject,
    status: row.status,
    lastError: row.last_error,
    attempts: row.attempts,
    createdAt: new Date(row.created_at).toISOString(),
    nextAttemptAt:
      row.status === 'pending' || row.status === 'ambiguous' ? iso(row.next_attempt_at) : null,
    sentAt: iso(row.sent_at),
    failedAt: iso(row.failed_at),
    settledAt: iso(row.settled_at),
    settledBy:
      row.settled_by_id && row.settled_by_name
        ? { id: row.settled_by_id, name: row.settled_by_name }
        : null,
    settledNote: row.settled_note,
    resentFromId: row.resent_from_id,
    resentAsId: row.resent_as_id,
    links: {
      self,
      ticket: `${BASE}/tickets/${row.ticket_id}`,
      resentFrom: row.resent_from_id ? `${BASE}/outbox/${row.resent_from_id}` : null,
      resentAs: row.resent_as_id ? `${BASE}/outbox/${row.resent_as_id}` : null,
      resend: settleable ? `${self}/resend` : null,
      dismiss: settleable ? `${self}/dismiss` : null,
    },
  };
}
