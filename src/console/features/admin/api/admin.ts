import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiRequest, type Page } from '../../../lib/api-client';
import type { Agent, Role, Team, TeamPolicy, Tier } from '../../../lib/api-types';
import { queryKeys } from '../../../lib/query-keys';

/** A team's calendar and policy as the editor sends them (POST/PATCH /teams, the preview). */
export interface TeamDraft {
  name: string;
  timezone: string;
  businessHours: Team['businessHours'];
  holidays: string[];
  sameDayCutoff: string | null;
  policy: Omit<Partial<TeamPolicy>, 'tiers'> & {
    tiers?: {
      vip?: { firstResponseWithinMinutes: number } | null;
      high_value?: { firstResponseWithinMinutes: number } | null;
    };
  };
}

export interface DeadlinePreview {
  at: string;
  timezone: string;
  items: { tier: Tier; dueAt: string; explanation: string }[];
}

export interface DeactivationPreview {
  tickets: { ticketId: string; ref: string; subject: string; to: { id: string; name: string } }[];
  blocked: string | null;
}

export function useTeam(teamId: string | undefined) {
  return useQuery({
    queryKey: ['teams', teamId],
    queryFn: ({ signal }) => apiRequest<Team>(`/teams/${teamId}`, { signal }),
    enabled: teamId !== undefined,
  });
}

export function useSaveTeam(teamId: string | undefined) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (draft: TeamDraft) =>
      apiRequest<Team>(teamId ? `/teams/${teamId}` : '/teams', {
        method: teamId ? 'PATCH' : 'POST',
        body: draft,
      }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.teams }),
  });
}

/** The server's own answer to "a concern arriving now would be due at …" for the draft. */
export function useDeadlinePreview(draft: Omit<TeamDraft, 'name'> | null) {
  return useQuery({
    queryKey: ['deadline-preview', draft],
    queryFn: ({ signal }) =>
      apiRequest<DeadlinePreview>('/teams/deadline-preview', {
        method: 'POST',
        body: draft,
        signal,
      }),
    enabled: draft !== null,
    placeholderData: (previous) => previous,
    staleTime: 30_000,
    retry: false,
  });
}

export function useAllAgents() {
  return useQuery({
    queryKey: queryKeys.allAgents,
    queryFn: ({ signal }) => apiRequest<Page<Agent>>('/agents', { query: { limit: 200 }, signal }),
  });
}

function useAgentsWrite<Input, Output>(send: (input: Input) => Promise<Output>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: send,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.allAgents });
      void queryClient.invalidateQueries({ queryKey: queryKeys.supervision });
    },
  });
}

export interface Invitation {
  name: string;
  email: string;
  role: Exclude<Role, 'integration'>;
  teamId: string | null;
}

/** Creates the agent (no password) and emails it the one-time link to set one (72 hours). */
export function useInviteAgent() {
  return useAgentsWrite(async (input: Invitation) => {
    const agent = await apiRequest<Agent>('/agents', {
      method: 'POST',
      body: { ...input, teamId: input.teamId || null },
    });
    await apiRequest<void>(`/agents/${agent.id}/invite`, { method: 'POST' });
    return agent;
  });
}

export function useResendInvitation() {
  return useAgentsWrite((agentId: string) =>
    apiRequest<void>(`/agents/${agentId}/invite`, { method: 'POST' }),
  );
}

export function useUpdateAgent() {
  return useAgentsWrite(
    (input: { id: string; away?: boolean; active?: boolean; capacity?: number }) => {
      const { id, ...change } = input;
      return apiRequest<Agent>(`/agents/${id}`, { method: 'PATCH', body: change });
    },
  );
}

export function useRotateToken() {
  return useMutation({
    mutationFn: (agentId: string) =>
      apiRequest<Agent & { token: string }>(`/agents/${agentId}/token`, { method: 'POST' }),
  });
}

export function useDeactivationPreview(agentId: string | null) {
  return useQuery({
    queryKey: queryKeys.deactivationPreview(agentId ?? ''),
    queryFn: ({ signal }) =>
      apiRequest<DeactivationPreview>(`/agents/${agentId}/deactivation-preview`, { signal }),
    enabled: agentId !== null,
    staleTime: 0,
    gcTime: 0,
  });
}
