import type { EntityManager } from 'typeorm';
import { supervisesTeam, type Actor } from '../actor';
import { Forbidden, NotFound, PreconditionFailed } from '../errors';
import { Ticket } from './ticket.entity';

/**
 * Who may see and change a ticket. Reads: the ticket's team, its owner, the target of a pending
 * handoff, the party of an open consult, admins, and integrations of the ticket's team (or the
 * gateway that matched an inbound mail to it). Anything else gets 404 so another team's data
 * never leaks.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const REF = /^T-\d{6,}$/;

async function isPendingHandoffTarget(
  manager: EntityManager,
  actor: Actor,
  ticketId: string,
): Promise<boolean> {
  const rows: unknown[] = await manager.query(
    `SELECT 1 FROM handoffs WHERE ticket_id = $1 AND to_agent_id = $2 AND status = 'pending' LIMIT 1`,
    [ticketId, actor.id],
  );
  return rows.length > 0;
}

/**
 * A consult opens the ticket to whom it names, while it is open: a consult to an agent to that
 * agent only (not the agent's teammates), a consult to a team to that team's reps and supervisors.
 */
async function isOpenConsultParty(
  manager: EntityManager,
  actor: Actor,
  ticketId: string,
): Promise<boolean> {
  const rows: unknown[] = await manager.query(
    `SELECT 1 FROM consults WHERE ticket_id = $1 AND status = 'open'
        AND (agent_id = $2
             OR (agent_id IS NULL AND team_id = $3 AND $4 IN ('rep', 'supervisor'))) LIMIT 1`,
    [ticketId, actor.id, actor.teamId, actor.role],
  );
  return rows.length > 0;
}

/**
 * An email gateway writes a customer's reply to the ticket it matched, whichever team owns it
 * (one support address may serve several teams); inbound-email.ts logs the match first.
 */
async function gatewayMatched(
  manager: EntityManager,
  actor: Actor,
  ticketId: string,
): Promise<boolean> {
  const rows: unknown[] = await manager.query(
    `SELECT 1 FROM inbound_emails
      WHERE ticket_id = $1 AND actor_id = $2 AND matched_by <> 'ignored' LIMIT 1`,
    [ticketId, actor.id],
  );
  return rows.length > 0;
}

/**
 * Refuses an actor whose only ground to read the ticket is an open consult: a consulted party
 * reads and answers its consult, it never speaks for the customer or works the ticket.
 */
export async function assertNotOnlyConsulted(
  manager: EntityManager,
  actor: Actor,
  ticket: Ticket,
  action: string,
): Promise<void> {
  if (actor.role === 'admin' || actor.role === 'integration') return;
  if (ticket.ownerId === actor.id || ticket.teamId === actor.teamId) return;
  if (await isPendingHandoffTarget(manager, actor, ticket.id)) return;
  throw new Forbidden(`A consulted party answers its consult; it cannot ${action}.`);
}

export async function canReadTicket(
  manager: EntityManager,
  actor: Actor,
  ticket: Ticket,
): Promise<boolean> {
  if (actor.role === 'admin') return true;
  if (actor.role === 'integration') {
    // An integration with a team is scoped to it: no owner, handoff or consult reaches it. One
    // without a team is an organisation-wide gateway the admin chose to create (API v1).
    if (actor.teamId === null) return true;
    return ticket.teamId === actor.teamId || (await gatewayMatched(manager, actor, ticket.id));
  }
  if (ticket.ownerId === actor.id || ticket.teamId === actor.teamId) return true;
  return (
    (await isPendingHandoffTarget(manager, actor, ticket.id)) ||
    (await isOpenConsultParty(manager, actor, ticket.id))
  );
}

/**
 * Loads a ticket by id or reference ("T-000123") that the actor may read, or throws NotFound.
 * With `forUpdate` the row is locked until the transaction ends: every write to a ticket goes
 * through this lock, so concurrent writes are serialised and none is lost.
 */
export async function findReadableTicket(
  manager: EntityManager,
  actor: Actor,
  idOrRef: string,
  options: { forUpdate?: boolean } = {},
): Promise<Ticket> {
  const where = UUID.test(idOrRef) ? { id: idOrRef } : REF.test(idOrRef) ? { ref: idOrRef } : null;
  const ticket = where
    ? await manager.getRepository(Ticket).findOne({
        where,
        ...(options.forUpdate ? { lock: { mode: 'for_no_key_update' as const } } : {}),
      })
    : null;
  if (!ticket || !(await canReadTicket(manager, actor, ticket))) {
    throw new NotFound(`No ticket ${idOrRef}.`);
  }
  return ticket;
}

/** Checks an If-Match version against the locked row. */
export function assertVersion(ticket: Ticket, expected: number | undefined): void {
  if (expected !== undefined && expected !== ticket.version) {
    throw new PreconditionFailed(
      `Ticket ${ticket.ref} is at version ${ticket.version}, not ${expected}; reload it and retry.`,
      ticket.version,
    );
  }
}

export function isOwner(actor: Actor, ticket: Ticket): boolean {
  return actor.id === ticket.ownerId;
}

/** The owner works the ticket; admins may act for anyone. */
export function assertOwner(actor: Actor, ticket: Ticket, action: string): void {
  if (isOwner(actor, ticket) || actor.role === 'admin') return;
  throw new Forbidden(`Only the ticket's owner can ${action}.`);
}

export function assertOwnerOrSupervisor(actor: Actor, ticket: Ticket, action: string): void {
  if (isOwner(actor, ticket) || supervisesTeam(actor, ticket.teamId)) return;
  throw new Forbidden(`Only the ticket's owner or a supervisor of its team can ${action}.`);
}
