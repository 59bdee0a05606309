import type { EntityManager } from 'typeorm';
import { updateReturning } from '../db/update-returning';
import { insertRow } from '../db/insert-returning';
import type { Ticket } from '../tickets/ticket.entity';
import { writeTicket } from '../tickets/ticket-writes';
import { recordEvent } from '../timeline/record-event';
import { OwnershipPeriod, type OwnershipReason } from './ownership-period.entity';

export interface OwnerChange {
  toAgentId: string;
  reason: OwnershipReason;
  actorId: string | null;
  at: Date;
  /** Why, in words (the handoff note or the supervisor's reason). */
  note?: string;
  handoffId?: string;
}

/**
 * Moves ownership of a ticket that the caller has locked: closes the current ownership period,
 * opens the next, bumps the version, withdraws pending handoff offers and records the change.
 * The one-open-period unique index makes a second concurrent owner impossible.
 */
export async function changeOwner(
  manager: EntityManager,
  ticket: Ticket,
  change: OwnerChange,
): Promise<void> {
  const fromAgentId = ticket.ownerId;
  await manager.query(
    `UPDATE ownership_periods SET ended_at = $2 WHERE ticket_id = $1 AND ended_at IS NULL`,
    [ticket.id, change.at],
  );
  await insertRow(manager, OwnershipPeriod, {
    ticketId: ticket.id,
    agentId: change.toAgentId,
    startedAt: change.at,
    endedAt: null,
    reason: change.reason,
    changedById: change.actorId,
  });
  await cancelPendingHandoffs(manager, ticket.id, change.at, change.actorId, 'owner changed');

  await writeTicket(manager, ticket, { ownerId: change.toAgentId }, change.at);
  await recordEvent(manager, {
    ticketId: ticket.id,
    type: 'owner_changed',
    at: change.at,
    actorId: change.actorId,
    data: {
      fromAgentId,
      toAgentId: change.toAgentId,
      reason: change.reason,
      ...(change.note ? { note: change.note } : {}),
      ...(change.handoffId ? { handoffId: change.handoffId } : {}),
    },
  });
}

/** Withdraws open handoff offers on a ticket whose ownership or state moved on. */
export async function cancelPendingHandoffs(
  manager: EntityManager,
  ticketId: string,
  at: Date,
  actorId: string | null,
  why: string,
): Promise<void> {
  const cancelled = await updateReturning<{ id: string; to_agent_id: string }>(
    manager,
    `UPDATE handoffs SET status = 'cancelled', responded_at = $2, response_note = $3
      WHERE ticket_id = $1 AND status = 'pending'
      RETURNING id, to_agent_id`,
    [ticketId, at, why],
  );
  for (const handoff of cancelled) {
    await recordEvent(manager, {
      ticketId,
      type: 'handoff_cancelled',
      at,
      actorId,
      data: { handoffId: handoff.id, toAgentId: handoff.to_agent_id, reason: why },
    });
  }
}

/** Opens the first ownership period of a new ticket. */
export async function startOwnership(
  manager: EntityManager,
  ticket: Ticket,
  reason: OwnershipReason,
  actorId: string,
  at: Date,
): Promise<void> {
  await insertRow(manager, OwnershipPeriod, {
    ticketId: ticket.id,
    agentId: ticket.ownerId,
    startedAt: at,
    endedAt: null,
    reason,
    changedById: actorId,
  });
}
