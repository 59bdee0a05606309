import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api-client';
import type { Silo, Ticket, TimelineEvent } from '../../../lib/api-types';
import { useCurrentAgent } from '../../../lib/current-agent';
import { queryKeys } from '../../../lib/query-keys';
import { acknowledgeOwnChange, type Visibility } from '../drafts';
import { fetchTicket } from './ticket-queries';

function refreshAfterWrite(queryClient: QueryClient, ticketId: string) {
  void queryClient.invalidateQueries({ queryKey: ['ticket', ticketId] });
  void queryClient.invalidateQueries({ queryKey: queryKeys.queue });
  void queryClient.invalidateQueries({ queryKey: queryKeys.inbox });
}

/**
 * A write to the ticket made against `version`. Afterwards the ticket, its parts, the queue and
 * the inbox refresh, and a draft written against the old version is told this was the rep's own
 * change.
 */
function useTicketWrite<Input, Output>(
  ticketId: string,
  send: (input: Input, version: number) => Promise<Output>,
  newVersionOf?: (output: Output) => number,
) {
  const queryClient = useQueryClient();
  const agent = useCurrentAgent();
  return useMutation({
    mutationFn: async ({ input, version }: { input: Input; version: number }) => {
      const output = await send(input, version);
      const to = newVersionOf ? newVersionOf(output) : (await fetchTicket(ticketId)).version;
      acknowledgeOwnChange(agent.id, ticketId, version, to);
      return output;
    },
    onSuccess: () => refreshAfterWrite(queryClient, ticketId),
    onError: () => void queryClient.invalidateQueries({ queryKey: ['ticket', ticketId] }),
  });
}

export function usePostUpdate(ticketId: string) {
  return useTicketWrite(
    ticketId,
    (input: { body: string; visibility: Visibility }, version) =>
      apiRequest<TimelineEvent & { ticket: Ticket }>(`/tickets/${ticketId}/updates`, {
        method: 'POST',
        body: input,
        ifMatch: version,
      }),
    (output) => output.ticket.version,
  );
}

export function useSetStatus(ticketId: string) {
  return useTicketWrite(
    ticketId,
    (status: 'open' | 'waiting_on_customer', version) =>
      apiRequest<Ticket>(`/tickets/${ticketId}`, {
        method: 'PATCH',
        body: { status },
        ifMatch: version,
      }),
    (ticket) => ticket.version,
  );
}

export function useOfferHandoff(ticketId: string) {
  return useTicketWrite(ticketId, (input: { toAgentId: string; note: string }, version) =>
    apiRequest(`/tickets/${ticketId}/handoffs`, { method: 'POST', body: input, ifMatch: version }),
  );
}

export function useAnswerHandoff(ticketId: string) {
  return useTicketWrite(
    ticketId,
    (input: { handoffId: string; answer: 'accept' | 'decline' | 'cancel' }) =>
      apiRequest(`/handoffs/${input.handoffId}/${input.answer}`, { method: 'POST' }),
  );
}

export function useAskConsult(ticketId: string) {
  return useTicketWrite(
    ticketId,
    (input: { agentId?: string; teamId?: string; question: string; dueAt?: string }, version) =>
      apiRequest(`/tickets/${ticketId}/consults`, {
        method: 'POST',
        body: input,
        ifMatch: version,
      }),
  );
}

export function useCancelConsult(ticketId: string) {
  return useTicketWrite(ticketId, (input: { consultId: string }) =>
    apiRequest(`/consults/${input.consultId}/cancel`, { method: 'POST', body: {} }),
  );
}

export function useMakePromise(ticketId: string) {
  return useTicketWrite(
    ticketId,
    (input: { description: string; dueAt: string; silo: Silo | '' }, version) =>
      apiRequest(`/tickets/${ticketId}/promises`, {
        method: 'POST',
        body: input,
        ifMatch: version,
      }),
  );
}

export function useKeepPromise(ticketId: string) {
  return useTicketWrite(ticketId, (promiseId: string) =>
    apiRequest(`/promises/${promiseId}/kept`, { method: 'POST' }),
  );
}

export interface ResolveInput {
  resolution: string;
  rootCause: { silo: Silo | ''; category: string; detail?: string };
  promises: { id: string; outcome: 'kept' | 'broken' | 'cancelled' | '' }[];
}

export function useResolve(ticketId: string) {
  return useTicketWrite(
    ticketId,
    (input: ResolveInput, version) =>
      apiRequest<Ticket>(`/tickets/${ticketId}/resolve`, {
        method: 'POST',
        body: input,
        ifMatch: version,
      }),
    (ticket) => ticket.version,
  );
}

export function useReopen(ticketId: string) {
  return useTicketWrite(
    ticketId,
    (reason: string, version) =>
      apiRequest<Ticket>(`/tickets/${ticketId}/reopen`, {
        method: 'POST',
        body: { reason },
        ifMatch: version,
      }),
    (ticket) => ticket.version,
  );
}
