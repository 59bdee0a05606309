import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest, type Page } from '../../../lib/api-client';
import { queryKeys } from '../../../lib/query-keys';

/** One customer email as `GET /outbox` answers it (the fields this page reads). */
export interface OutboxEmail {
  id: string;
  ticketId: string;
  ticketRef: string;
  ticketSubject: string;
  to: string;
  customerEmail: string;
  kind: string;
  subject: string;
  status: 'pending' | 'sending' | 'sent' | 'failed' | 'ambiguous' | 'dismissed' | string;
  lastError: string | null;
  attempts: number;
  createdAt: string;
  failedAt: string | null;
}

/**
 * The team's customer emails that wait for a person (failed or ambiguous), newest first. Every
 * ticket event refreshes it (a failure is a timeline event), a minute as fallback.
 */
export function useFailedEmails(teamId: string | null) {
  return useQuery({
    queryKey: queryKeys.outbox(teamId ?? ''),
    queryFn: ({ signal }) =>
      apiRequest<Page<OutboxEmail>>('/outbox', {
        query: { status: 'failed,ambiguous', teamId: teamId ?? '', limit: 200 },
        signal,
      }),
    enabled: teamId !== null,
    refetchInterval: 60_000,
  });
}

/** Queues a new email to the customer's current address; the original leaves the list. */
export function useResendEmail() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (emailId: string) =>
      apiRequest<OutboxEmail>(`/outbox/${emailId}/resend`, { method: 'POST', body: {} }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.supervision }),
  });
}

/** Settles the email with a note: it is not to be sent. */
export function useDismissEmail() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { emailId: string; note: string }) =>
      apiRequest<OutboxEmail>(`/outbox/${input.emailId}/dismiss`, {
        method: 'POST',
        body: { note: input.note },
      }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.supervision }),
  });
}
