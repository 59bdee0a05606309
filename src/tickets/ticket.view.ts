import type { Ticket } from './ticket.entity';

const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);

export function ticketView(ticket: Ticket) {
  return {
    id: ticket.id,
    ref: ticket.ref,
    status: ticket.status,
    customerId: ticket.customerId,
    teamId: ticket.teamId,
    ownerId: ticket.ownerId,
    createdById: ticket.createdById,
    subject: ticket.subject,
    description: ticket.description,
    channel: ticket.channel,
    category: ticket.category,
    priority: ticket.priority,
    receivedAt: ticket.receivedAt.toISOString(),
    firstResponseDueAt: iso(ticket.firstResponseDueAt),
    firstRespondedAt: iso(ticket.firstRespondedAt),
    nextUpdateDueAt: iso(ticket.nextUpdateDueAt),
    lastPublicUpdateAt: iso(ticket.lastPublicUpdateAt),
    escalationLevel: ticket.escalationLevel,
    breachCount: ticket.breachCount,
    resolvedAt: iso(ticket.resolvedAt),
    resolution: ticket.resolution,
    rootCause: ticket.rootCauseSilo
      ? {
          silo: ticket.rootCauseSilo,
          category: ticket.rootCauseCategory,
          detail: ticket.rootCauseDetail,
        }
      : null,
    closedAt: iso(ticket.closedAt),
    followUpOfId: ticket.followUpOfId,
    latestFollowUpId: ticket.latestFollowUpId,
    reopenCount: ticket.reopenCount,
    version: ticket.version,
    createdAt: ticket.createdAt.toISOString(),
    updatedAt: ticket.updatedAt.toISOString(),
  };
}

export type TicketView = ReturnType<typeof ticketView>;
