/**
 * Every TanStack Query key in one place, so the live-event handler can invalidate exactly what a
 * ticket change touches without the features knowing about each other.
 */
export const queryKeys = {
  session: ['session'] as const,
  queue: ['queue'] as const,
  queueFiltered: (filter: string) => ['queue', filter] as const,
  ticket: (id: string) => ['ticket', id] as const,
  ticketPart: (id: string, part: 'timeline' | 'deadlines' | 'consults' | 'promises' | 'handoffs') =>
    ['ticket', id, part] as const,
  presence: (id: string) => ['presence', id] as const,
  inbox: ['inbox'] as const,
  inboxPart: (part: 'handoffs' | 'consults') => ['inbox', part] as const,
  search: (q: string) => ['search', q] as const,
  teammates: (teamId: string) => ['teammates', teamId] as const,
  agent: (id: string) => ['agent', id] as const,
  customer: (id: string) => ['customer', id] as const,
  story: (id: string) => ['story', id] as const,
  /** Everything on the supervisor pages: refreshed by every ticket event. */
  supervision: ['supervision'] as const,
  board: (teamId: string) => ['supervision', 'board', teamId] as const,
  load: (teamId: string) => ['supervision', 'load', teamId] as const,
  atRisk: (teamId: string) => ['supervision', 'at-risk', teamId] as const,
  report: (name: string, teamId: string, from: string, to: string) =>
    ['report', name, teamId, from, to] as const,
  outbox: (teamId: string) => ['supervision', 'outbox', teamId] as const,
  teams: ['teams'] as const,
  allAgents: ['agents'] as const,
  deactivationPreview: (agentId: string) => ['agents', agentId, 'deactivation'] as const,
};
