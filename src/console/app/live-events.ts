import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { Viewer } from '../lib/api-types';
import { setLiveState } from '../lib/live-status';
import { queryKeys } from '../lib/query-keys';

interface TicketEvent {
  ticketId: string;
}
interface PresenceEvent {
  ticketId: string;
  viewers: Viewer[];
}

function parse<T>(event: Event): T | null {
  try {
    return JSON.parse((event as MessageEvent).data as string) as T;
  } catch {
    return null;
  }
}

/**
 * Keeps every screen live: one EventSource for the signed-in agent. A ticket change refreshes
 * that ticket, the queue, the inbox and the supervisor pages (board, load); a handoff or consult addressed to me refreshes the inbox;
 * presence replaces who is looking; `reset` (too much missed while away) refreshes everything.
 * The browser reconnects by itself and sends Last-Event-ID, so nothing in between is missed.
 */
export function useLiveEvents(): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource('/api/v1/events', { withCredentials: true });
    const refreshTicket = (event: Event) => {
      const change = parse<TicketEvent>(event);
      void queryClient.invalidateQueries({ queryKey: queryKeys.queue });
      void queryClient.invalidateQueries({ queryKey: queryKeys.inbox });
      void queryClient.invalidateQueries({ queryKey: queryKeys.supervision });
      if (change?.ticketId) {
        void queryClient.invalidateQueries({ queryKey: ['ticket', change.ticketId] });
      }
    };
    source.onopen = () => setLiveState('live');
    source.onerror = () => setLiveState('reconnecting');
    source.addEventListener('ticket', refreshTicket);
    source.addEventListener('handoff', refreshTicket);
    source.addEventListener('consult', refreshTicket);
    source.addEventListener('reset', () => void queryClient.invalidateQueries());
    source.addEventListener('presence', (event) => {
      const presence = parse<PresenceEvent>(event);
      if (presence?.ticketId) {
        queryClient.setQueryData(queryKeys.presence(presence.ticketId), presence.viewers);
      }
    });
    return () => {
      source.close();
      setLiveState('connecting');
    };
  }, [queryClient]);
}
