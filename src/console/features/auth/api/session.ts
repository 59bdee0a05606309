import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api-client';
import { isApiError } from '../../../lib/api-error';
import type { Agent } from '../../../lib/api-types';
import { queryKeys } from '../../../lib/query-keys';

/** Who is signed in (null: nobody). Works with the session cookie and with a bearer token. */
export function useSession() {
  return useQuery({
    queryKey: queryKeys.session,
    queryFn: async (): Promise<Agent | null> => {
      try {
        return await apiRequest<Agent>('/me');
      } catch (error) {
        if (isApiError(error) && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
    retry: (count, error) => !(isApiError(error) && error.status < 500) && count < 2,
  });
}

export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { email: string; password: string }) =>
      apiRequest<{ agent: Agent }>('/session', { method: 'POST', body: input }),
    onSuccess: ({ agent }) => {
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'session' });
      queryClient.setQueryData(queryKeys.session, agent);
    },
  });
}

export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiRequest<void>('/session', { method: 'DELETE' }),
    onSettled: () => {
      queryClient.clear();
      queryClient.setQueryData(queryKeys.session, null);
    },
  });
}

export function useSetPassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { token: string; password: string }) =>
      apiRequest<{ agent: Agent }>('/password/set', { method: 'POST', body: input }),
    onSuccess: ({ agent }) => queryClient.setQueryData(queryKeys.session, agent),
  });
}

export function useRequestPasswordReset() {
  return useMutation({
    mutationFn: (input: { email: string }) =>
      apiRequest<void>('/password-reset', { method: 'POST', body: input }),
  });
}
