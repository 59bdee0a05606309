import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest, type Page } from '../../../lib/api-client';
import type { Agent, DeadlineKind, Tier } from '../../../lib/api-types';
import { queryKeys } from '../../../lib/query-keys';

interface BoardPerson {
  id: string;
  name: string;
  email: string;
}

export interface BoardItem {
  ticketId: string;
  ref: string;
  subject: string;
  status: string;
  customer: { id: string; name: string; tier: Tier };
  owner: BoardPerson;
  deadline: DeadlineKind;
  dueAt: string;
  minutesOverdue: number;
  escalationLevel: number;
  breachCount: number;
  currentDueAt: string | null;
  holdingUpdates: { at: string; status: string }[];
}

export interface DueSoonItem {
  ticketId: string;
  ref: string;
  subject: string;
  customer: { id: string; name: string; tier: Tier };
  owner: BoardPerson;
  deadline: DeadlineKind;
  dueAt: string;
  minutesLeft: number;
}

export interface OverdueBoard {
  at: string;
  overdue: BoardItem[];
  dueSoon: DueSoonItem[];
}

export interface AgentLoad {
  agentId: string;
  name: string;
  role: string;
  away: boolean;
  active: boolean;
  capacity: number;
  openOwned: number;
  overdue: number;
}

export interface AtRiskCustomer {
  customerId: string;
  name: string;
  email: string;
  tier: Tier;
  score: number;
  reasons: { factor: string; count: number; points: number; text: string }[];
}

/** The overdue board of a team, live: every ticket event refreshes it; a minute as fallback. */
export function useOverdueBoard(teamId: string | null) {
  return useQuery({
    queryKey: queryKeys.board(teamId ?? ''),
    queryFn: ({ signal }) => apiRequest<OverdueBoard>(`/teams/${teamId}/board`, { signal }),
    enabled: teamId !== null,
    refetchInterval: 60_000,
  });
}

export function useTeamLoad(teamId: string | null) {
  return useQuery({
    queryKey: queryKeys.load(teamId ?? ''),
    queryFn: ({ signal }) =>
      apiRequest<{ items: AgentLoad[] }>(`/teams/${teamId}/load`, { signal }),
    enabled: teamId !== null,
    refetchInterval: 60_000,
  });
}

export function useTeamAgents(teamId: string | null) {
  return useQuery({
    queryKey: queryKeys.teammates(teamId ?? ''),
    queryFn: ({ signal }) =>
      apiRequest<Page<Agent>>('/agents', { query: { teamId: teamId ?? '', limit: 200 }, signal }),
    enabled: teamId !== null,
  });
}

export function useAtRisk(teamId: string | null) {
  return useQuery({
    queryKey: queryKeys.atRisk(teamId ?? ''),
    queryFn: ({ signal }) =>
      apiRequest<Page<AtRiskCustomer>>('/reports/at-risk-customers', {
        query: { teamId: teamId ?? '', limit: 100 },
        signal,
      }),
    enabled: teamId !== null,
  });
}

export function useReassign() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { ticketId: string; toAgentId: string; reason: string }) =>
      apiRequest(`/tickets/${input.ticketId}/reassign`, {
        method: 'POST',
        body: { toAgentId: input.toAgentId, reason: input.reason },
      }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.supervision }),
  });
}

/** The supervisor's word to the owner: an internal note on the ticket (the owner sees it live). */
export function useMessageOwner() {
  return useMutation({
    mutationFn: (input: { ticketId: string; body: string }) =>
      apiRequest(`/tickets/${input.ticketId}/updates`, {
        method: 'POST',
        body: { body: input.body, visibility: 'internal' },
      }),
  });
}
