import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest, type Page } from '../../../lib/api-client';
import type { Agent, Consult, Handoff } from '../../../lib/api-types';
import { queryKeys } from '../../../lib/query-keys';

export function useIncomingHandoffs() {
  return useQuery({
    queryKey: queryKeys.inboxPart('handoffs'),
    queryFn: ({ signal }) =>
      apiRequest<Page<Handoff>>('/me/handoffs', {
        query: { direction: 'incoming', status: 'pending', limit: 200 },
        signal,
      }),
    refetchInterval: 60_000,
  });
}

export function useIncomingConsults() {
  return useQuery({
    queryKey: queryKeys.inboxPart('consults'),
    queryFn: ({ signal }) =>
      apiRequest<Page<Consult>>('/me/consults', {
        query: { direction: 'incoming', status: 'open', limit: 200 },
        signal,
      }),
    refetchInterval: 60_000,
  });
}

/** What waits for me: pending offers plus open consults ("200+" past one page). */
export function useInboxCount(): { count: number; more: boolean } {
  const handoffs = useIncomingHandoffs();
  const consults = useIncomingConsults();
  return {
    count: (handoffs.data?.items.length ?? 0) + (consults.data?.items.length ?? 0),
    more: Boolean(handoffs.data?.nextCursor || consults.data?.nextCursor),
  };
}

function useRefreshAfter() {
  const queryClient = useQueryClient();
  return (ticketId: string) => {
    void queryClient.invalidateQueries({ queryKey: queryKeys.inbox });
    void queryClient.invalidateQueries({ queryKey: queryKeys.queue });
    void queryClient.invalidateQueries({ queryKey: ['ticket', ticketId] });
  };
}

export function useAnswerOffer() {
  const refresh = useRefreshAfter();
  return useMutation({
    mutationFn: (input: { handoff: Handoff; answer: 'accept' | 'decline' }) =>
      apiRequest<Handoff>(`/handoffs/${input.handoff.id}/${input.answer}`, { method: 'POST' }),
    onSuccess: (_, input) => refresh(input.handoff.ticketId),
  });
}

export function useAnswerConsult() {
  const refresh = useRefreshAfter();
  return useMutation({
    mutationFn: (input: { consult: Consult; answer: string }) =>
      apiRequest<Consult>(`/consults/${input.consult.id}/answer`, {
        method: 'POST',
        body: { answer: input.answer },
      }),
    onSuccess: (_, input) => refresh(input.consult.ticketId),
  });
}

export function useAgentName(id: string) {
  return useQuery({
    queryKey: queryKeys.agent(id),
    queryFn: ({ signal }) => apiRequest<Agent>(`/agents/${id}`, { signal }),
    staleTime: 5 * 60_000,
    retry: false,
  });
}
