import { useQuery } from '@tanstack/react-query';
import { apiRequest, type Page } from '../../../lib/api-client';
import type { QueueItem } from '../../../lib/api-types';
import { queryKeys } from '../../../lib/query-keys';

export const QUEUE_FILTERS = ['all', 'open', 'waiting', 'overdue'] as const;
export type QueueFilter = (typeof QUEUE_FILTERS)[number];

/** The API's page maximum: a rep with more open tickets sees the most urgent 200. */
const QUEUE_LIMIT = 200;

/**
 * The signed-in rep's open tickets. "All" is the API's own queue (soonest deadline first); the
 * filters ask the API for exactly that subset of the rep's tickets.
 */
export function useQueue(filter: QueueFilter, agentId: string) {
  return useQuery({
    queryKey: queryKeys.queueFiltered(filter),
    queryFn: ({ signal }) => {
      if (filter === 'all') {
        return apiRequest<Page<QueueItem>>('/me/queue', { query: { limit: QUEUE_LIMIT }, signal });
      }
      const status =
        filter === 'open'
          ? 'open'
          : filter === 'waiting'
            ? 'waiting_on_customer'
            : 'open,waiting_on_customer';
      return apiRequest<Page<QueueItem>>('/tickets', {
        query: {
          ownerId: agentId,
          status,
          overdue: filter === 'overdue' ? true : undefined,
          limit: QUEUE_LIMIT,
        },
        signal,
      });
    },
    // Live events refresh it at once; this is only the fallback if the event stream is down.
    refetchInterval: 60_000,
  });
}
