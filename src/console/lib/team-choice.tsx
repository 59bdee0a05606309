import { NativeSelect } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { apiRequest, type Page } from './api-client';
import type { Team } from './api-types';
import { useCurrentAgent } from './current-agent';
import { queryKeys } from './query-keys';

/** The teams the caller may see: an admin every team, anyone else their own. */
export function useTeams() {
  return useQuery({
    queryKey: queryKeys.teams,
    queryFn: ({ signal }) => apiRequest<Page<Team>>('/teams', { signal }),
    staleTime: 60_000,
  });
}

/**
 * Which team a supervisor page shows: a supervisor's own team; an admin picks one (kept in the
 * address as `?team=`, the first team by default).
 */
export function useChosenTeam(): {
  teamId: string | null;
  teams: Team[];
  setTeamId: (id: string) => void;
} {
  const agent = useCurrentAgent();
  const teams = useTeams();
  const [params, setParams] = useSearchParams();
  const list = teams.data?.items ?? [];
  const wanted = params.get('team');
  const teamId =
    agent.role === 'admin'
      ? (list.find((team) => team.id === wanted)?.id ?? list[0]?.id ?? null)
      : agent.teamId;
  const setTeamId = (id: string) => {
    const next = new URLSearchParams(params);
    next.set('team', id);
    setParams(next, { replace: true });
  };
  return { teamId, teams: list, setTeamId };
}

/** The team picker an admin sees on each supervisor page (a supervisor has one team: none). */
export function TeamPicker({
  teamId,
  teams,
  onChange,
}: {
  teamId: string | null;
  teams: Team[];
  onChange: (id: string) => void;
}) {
  const { t } = useTranslation();
  const agent = useCurrentAgent();
  if (agent.role !== 'admin') return null;
  return (
    <NativeSelect
      label={t('supervision.team')}
      value={teamId ?? ''}
      onChange={(e) => onChange(e.currentTarget.value)}
      data={teams.map((team) => ({ value: team.id, label: team.name }))}
      w={240}
    />
  );
}
