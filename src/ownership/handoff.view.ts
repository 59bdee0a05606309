import type { Handoff } from './handoff.entity';

export function handoffView(handoff: Handoff, ticket?: { ref: string; subject: string }) {
  return {
    id: handoff.id,
    ticketId: handoff.ticketId,
    ...(ticket ? { ticketRef: ticket.ref, ticketSubject: ticket.subject } : {}),
    fromAgentId: handoff.fromAgentId,
    toAgentId: handoff.toAgentId,
    note: handoff.note,
    status: handoff.status,
    createdAt: handoff.createdAt.toISOString(),
    expiresAt: handoff.expiresAt.toISOString(),
    respondedAt: handoff.respondedAt ? handoff.respondedAt.toISOString() : null,
    responseNote: handoff.responseNote,
  };
}
