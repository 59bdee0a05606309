import type { Fixtures, TicketBody } from '../helpers/factories';
import type { TestApp } from '../helpers/test-app';

/**
 * Small helpers shared by the ownership tests only: reading what a user (or an auditor) would see
 * after an ownership change. Everything else goes through the public fixtures.
 */
export interface PeriodRow {
  agent_id: string;
  ended_at: Date | null;
  reason: string;
}

export interface TimelineItem {
  id: string;
  type: string;
  at: string;
  actorId: string | null;
  data: Record<string, unknown>;
}

/** Every ownership period of a ticket, oldest first. */
export async function periodsOf(app: TestApp, ticketId: string): Promise<PeriodRow[]> {
  return app.dataSource.query(
    `SELECT agent_id, ended_at, reason FROM ownership_periods WHERE ticket_id = $1 ORDER BY started_at, ended_at NULLS LAST`,
    [ticketId],
  );
}

export async function openPeriodsOf(app: TestApp, ticketId: string): Promise<PeriodRow[]> {
  return (await periodsOf(app, ticketId)).filter((p) => p.ended_at === null);
}

/** The ticket's timeline as the given agent sees it over HTTP. */
export async function timelineOf(
  f: Fixtures,
  token: string,
  ticketId: string,
): Promise<TimelineItem[]> {
  const res = await f.as(token).get(`/tickets/${ticketId}/timeline?limit=200`);
  expect(res.status).toBe(200);
  return res.body.items as TimelineItem[];
}

export async function eventsOfType(f: Fixtures, token: string, ticketId: string, type: string) {
  return (await timelineOf(f, token, ticketId)).filter((e) => e.type === type);
}

/** The ticket as the given agent sees it over HTTP. */
export async function ticketAs(f: Fixtures, token: string, ticketId: string): Promise<TicketBody> {
  const res = await f.as(token).get(`/tickets/${ticketId}`);
  expect(res.status).toBe(200);
  return res.body as TicketBody;
}

/** The owner offers the ticket; asserts the offer was accepted by the server. */
export async function offer(
  f: Fixtures,
  ownerToken: string,
  ticketId: string,
  toAgentId: string,
  note = 'Billing dispute, you know this account',
): Promise<{ id: string; status: string; [key: string]: unknown }> {
  const res = await f.as(ownerToken).post(`/tickets/${ticketId}/handoffs`, { toAgentId, note });
  expect(res.status).toBe(201);
  return res.body;
}

export const RESOLVE_BODY = {
  resolution: 'Replaced the router',
  rootCause: { silo: 'field_service', category: 'hardware' },
};
