import type { Consult } from './consult.entity';

const iso = (value: Date | null) => (value ? value.toISOString() : null);

export function consultView(consult: Consult, ticket?: { ref: string; subject: string }) {
  return {
    id: consult.id,
    ticketId: consult.ticketId,
    ...(ticket ? { ticketRef: ticket.ref, ticketSubject: ticket.subject } : {}),
    askedById: consult.askedById,
    agentId: consult.agentId,
    teamId: consult.teamId,
    question: consult.question,
    dueAt: consult.dueAt.toISOString(),
    status: consult.status,
    answer: consult.answer,
    answeredById: consult.answeredById,
    answeredAt: iso(consult.answeredAt),
    overdueAt: iso(consult.overdueAt),
    cancelledAt: iso(consult.cancelledAt),
    cancelledById: consult.cancelledById,
    createdAt: consult.createdAt.toISOString(),
  };
}
