import type { EntityManager } from 'typeorm';
import { currentDeadlineOf } from '../deadline-rules/current-deadline';
import type { Ticket } from './ticket.entity';
import { ticketView, type TicketView } from './ticket.view';

export interface ListCustomer {
  id: string;
  name: string;
  email: string;
  tier: string;
}

/** A ticket in a list (queue, search, filters): the ticket plus what a row shows, in one answer. */
export type TicketListItem = TicketView & {
  customer: ListCustomer | null;
  currentDeadline: { kind: string; dueAt: string } | null;
};

/** The customers of a page of tickets, in one query (no query per row). */
export async function customersOf(
  manager: EntityManager,
  tickets: Ticket[],
): Promise<Map<string, ListCustomer>> {
  const ids = [...new Set(tickets.map((ticket) => ticket.customerId))];
  if (ids.length === 0) return new Map();
  const rows: ListCustomer[] = await manager.query(
    `SELECT id, name, email, tier FROM customers WHERE id = ANY($1::uuid[])`,
    [ids],
  );
  return new Map(rows.map((row) => [row.id, row]));
}

export function ticketListItem(
  ticket: Ticket,
  customers: Map<string, ListCustomer>,
): TicketListItem {
  const current = currentDeadlineOf(ticket);
  return {
    ...ticketView(ticket),
    customer: customers.get(ticket.customerId) ?? null,
    currentDeadline: current ? { kind: current.kind, dueAt: current.dueAt.toISOString() } : null,
  };
}
