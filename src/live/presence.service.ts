import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../actor';
import type { ServiceContext } from '../context';
import { findReadableTicket } from '../tickets/ticket-access';

/**
 * Who has a ticket open in the console. The console heartbeats every ~15 s while a ticket is
 * open; a viewer not heard from for 40 s is gone. Joining and leaving (also by going quiet) are
 * announced on ownit_presence, so every API process tells its subscribers.
 */
export const PRESENCE_CHANNEL = 'ownit_presence';
export const PRESENCE_TIMEOUT_MS = 40_000;

export interface Viewer {
  agentId: string;
  name: string;
  since: string;
}

export async function currentViewers(
  manager: EntityManager,
  ticketId: string,
  now: Date,
): Promise<Viewer[]> {
  const rows: Array<{ agent_id: string; name: string; since: Date }> = await manager.query(
    `SELECT p.agent_id, a.name, p.since
       FROM ticket_presence p JOIN agents a ON a.id = p.agent_id
      WHERE p.ticket_id = $1 AND p.seen_at > $2 AND a.active
      ORDER BY p.since, a.name`,
    [ticketId, new Date(now.getTime() - PRESENCE_TIMEOUT_MS)],
  );
  return rows.map((row) => ({
    agentId: row.agent_id,
    name: row.name,
    since: row.since.toISOString(),
  }));
}

async function announce(manager: EntityManager, ticketId: string): Promise<void> {
  await manager.query(`SELECT pg_notify($1, $2)`, [PRESENCE_CHANNEL, JSON.stringify({ ticketId })]);
}

/** A heartbeat from the viewer of a ticket; answers the others viewing it. */
export async function markViewing(
  ctx: ServiceContext,
  actor: Actor,
  idOrRef: string,
): Promise<{ viewers: Viewer[] }> {
  const manager = ctx.dataSource.manager;
  const ticket = await findReadableTicket(manager, actor, idOrRef);
  const now = ctx.clock.now();
  const cutoff = new Date(now.getTime() - PRESENCE_TIMEOUT_MS);
  // A viewer counts as new when there was no row, or only a stale one (its tab went quiet).
  const rows: Array<{ joined: boolean }> = await manager.query(
    `INSERT INTO ticket_presence AS p (ticket_id, agent_id, since, seen_at) VALUES ($1, $2, $3, $3)
     ON CONFLICT (ticket_id, agent_id) DO UPDATE
       SET seen_at = EXCLUDED.seen_at,
           since = CASE WHEN p.seen_at <= $4 THEN EXCLUDED.since ELSE p.since END
     RETURNING (xmax = 0 OR since = seen_at) AS joined`,
    [ticket.id, actor.id, now, cutoff],
  );
  if (rows[0]?.joined) await announce(manager, ticket.id);
  const viewers = await currentViewers(manager, ticket.id, now);
  return { viewers: viewers.filter((viewer) => viewer.agentId !== actor.id) };
}

export async function stopViewing(
  ctx: ServiceContext,
  actor: Actor,
  idOrRef: string,
): Promise<void> {
  const manager = ctx.dataSource.manager;
  const ticket = await findReadableTicket(manager, actor, idOrRef);
  const removed: unknown[] = await manager.query(
    `DELETE FROM ticket_presence WHERE ticket_id = $1 AND agent_id = $2 RETURNING 1`,
    [ticket.id, actor.id],
  );
  if (removed.length > 0) await announce(manager, ticket.id);
}

/** Removes viewers gone quiet and announces each ticket whose viewers changed. */
export async function sweepStalePresence(dataSource: DataSource, now: Date): Promise<number> {
  const rows: Array<{ ticket_id: string }> = await dataSource.query(
    `DELETE FROM ticket_presence WHERE seen_at <= $1 RETURNING ticket_id`,
    [new Date(now.getTime() - PRESENCE_TIMEOUT_MS)],
  );
  const tickets = [...new Set(rows.map((row) => row.ticket_id))];
  for (const ticketId of tickets) await announce(dataSource.manager, ticketId);
  return tickets.length;
}
