import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect } from 'react';
import { apiRequest } from '../../../lib/api-client';
import type { Viewer } from '../../../lib/api-types';
import { useLiveState } from '../../../lib/live-status';
import { queryKeys } from '../../../lib/query-keys';

const HEARTBEAT_MS = 15_000;

/**
 * Says "I have this ticket open" every 15 s while the page shows it, and "I left" on the way out.
 * Who else is looking arrives with each heartbeat and live through `presence` events; each time
 * the live stream (re)connects it beats at once, since a viewer who joined while the stream was
 * down was announced to nobody here.
 */
export function usePresence(ticketId: string): Viewer[] {
  const queryClient = useQueryClient();
  const live = useLiveState();
  const beat = useCallback(async () => {
    try {
      const answer = await apiRequest<{ viewers: Viewer[] }>(`/tickets/${ticketId}/presence`, {
        method: 'POST',
      });
      queryClient.setQueryData(queryKeys.presence(ticketId), answer.viewers);
    } catch {
      // Presence is a courtesy: a failed heartbeat never gets in the rep's way.
    }
  }, [ticketId, queryClient]);

  useEffect(() => {
    void beat();
    const timer = setInterval(() => void beat(), HEARTBEAT_MS);
    const leave = () => {
      void fetch(`/api/v1/tickets/${ticketId}/presence`, {
        method: 'DELETE',
        credentials: 'same-origin',
        keepalive: true,
        headers: { 'Content-Type': 'application/json' },
      }).catch(() => undefined);
    };
    window.addEventListener('pagehide', leave);
    return () => {
      clearInterval(timer);
      window.removeEventListener('pagehide', leave);
      leave();
    };
  }, [ticketId, beat]);

  useEffect(() => {
    if (live === 'live') void beat();
  }, [live, beat]);

  const viewers = useQuery({
    queryKey: queryKeys.presence(ticketId),
    queryFn: () => [] as Viewer[],
    staleTime: Infinity,
    initialData: [],
  });
  return viewers.data;
}
