import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api-client';
import type { SearchResults } from '../../../lib/api-types';
import { queryKeys } from '../../../lib/query-keys';

export const MIN_QUERY_LENGTH = 2;

/** One box for tickets and customers, ranked by the API and limited to what I may read. */
export function useSearch(q: string) {
  const query = q.trim();
  return useQuery({
    queryKey: queryKeys.search(query),
    queryFn: ({ signal }) => apiRequest<SearchResults>('/search', { query: { q: query }, signal }),
    enabled: query.length >= MIN_QUERY_LENGTH,
    staleTime: 10_000,
  });
}
