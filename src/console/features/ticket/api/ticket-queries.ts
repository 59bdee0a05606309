import { useQueries, useQuery } from '@tanstack/react-query';
import { apiRequest, type Page } from '../../../lib/api-client';
import type {
  Agent,
  Consult,
  CustomerPromise,
  CustomerSummary,
  DeadlinesExplanation,
  Handoff,
  Ticket,
  TimelineEvent,
} from '../../../lib/api-types';
import { queryKeys } from '../../../lib/query-keys';

export function fetchTicket(id: string, signal?: AbortSignal) {
  return apiRequest<Ticket>(`/tickets/${encodeURIComponent(id)}`, { signal });
}

export function useTicket(id: string) {
  return useQuery({
    queryKey: queryKeys.ticket(id),
    queryFn: ({ signal }) => fetchTicket(id, signal),
  });
}

/** The whole timeline, oldest first: every page, not just the first 200 events. */
export function useTimeline(id: string) {
  return useQuery({
    queryKey: queryKeys.ticketPart(id, 'timeline'),
    queryFn: async ({ signal }) => {
      const events: TimelineEvent[] = [];
      let cursor: string | undefined;
      do {
        const page = await apiRequest<Page<TimelineEvent>>(`/tickets/${id}/timeline`, {
          query: { limit: 200, cursor },
          signal,
        });
        events.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return events;
    },
  });
}

export function useDeadlines(id: string) {
  return useQuery({
    queryKey: queryKeys.ticketPart(id, 'deadlines'),
    queryFn: ({ signal }) =>
      apiRequest<DeadlinesExplanation>(`/tickets/${id}/deadlines`, { signal }),
  });
}

export function useTicketConsults(id: string) {
  return useQuery({
    queryKey: queryKeys.ticketPart(id, 'consults'),
    queryFn: ({ signal }) => apiRequest<Page<Consult>>(`/tickets/${id}/consults`, { signal }),
    select: (page) => page.items,
  });
}

export function useTicketPromises(id: string) {
  return useQuery({
    queryKey: queryKeys.ticketPart(id, 'promises'),
    queryFn: ({ signal }) =>
      apiRequest<Page<CustomerPromise>>(`/tickets/${id}/promises`, { signal }),
    select: (page) => page.items,
  });
}

/** Handoff offers on this ticket that involve me: one addressed to me, or one I made. */
export function useTicketHandoffs(id: string) {
  return useQuery({
    queryKey: queryKeys.ticketPart(id, 'handoffs'),
    queryFn: async ({ signal }) => {
      const [incoming, outgoing] = await Promise.all(
        (['incoming', 'outgoing'] as const).map((direction) =>
          apiRequest<Page<Handoff>>('/me/handoffs', {
            query: { direction, status: 'pending', limit: 200 },
            signal,
          }),
        ),
      );
      return {
        toMe: incoming?.items.find((h) => h.ticketId === id) ?? null,
        fromMe: outgoing?.items.find((h) => h.ticketId === id) ?? null,
      };
    },
  });
}

export function useCustomer(id: string | undefined) {
  return useQuery({
    queryKey: queryKeys.customer(id ?? ''),
    queryFn: ({ signal }) => apiRequest<CustomerSummary>(`/customers/${id}`, { signal }),
    enabled: id !== undefined,
    staleTime: 60_000,
  });
}

export function useTeammates(teamId: string | undefined) {
  return useQuery({
    queryKey: queryKeys.teammates(teamId ?? ''),
    queryFn: ({ signal }) =>
      apiRequest<Page<Agent>>('/agents', { query: { teamId, limit: 200 }, signal }),
    enabled: teamId !== undefined,
    select: (page) => page.items,
    staleTime: 5 * 60_000,
  });
}

/** Names for the agents a timeline mentions: teammates at once, anyone else by id. */
export function useAgentNames(teamId: string | undefined, ids: string[]): Map<string, string> {
  const teammates = useTeammates(teamId);
  const known = new Map<string, string>((teammates.data ?? []).map((a) => [a.id, a.name]));
  const missing = teammates.isSuccess ? [...new Set(ids)].filter((id) => !known.has(id)) : [];
  const others = useQueries({
    queries: missing.map((id) => ({
      queryKey: queryKeys.agent(id),
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        apiRequest<Agent>(`/agents/${id}`, { signal }),
      staleTime: 5 * 60_000,
      retry: false,
    })),
  });
  for (const other of others) if (other.data) known.set(other.data.id, other.data.name);
  return known;
}

export interface TeamSummary {
  id: string;
  name: string;
}

export function useTeam(teamId: string | undefined) {
  return useQuery({
    queryKey: ['team', teamId],
    queryFn: ({ signal }) => apiRequest<TeamSummary>(`/teams/${teamId}`, { signal }),
    enabled: teamId !== undefined,
    staleTime: 5 * 60_000,
    retry: false,
  });
}
