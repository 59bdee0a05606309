import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api-client';
import { queryKeys } from '../../../lib/query-keys';

export interface SlaFigures {
  firstResponse: {
    due: number;
    met: number;
    missed: number;
    pending: number;
    compliance: number | null;
  };
  updates: { answered: number; onTime: number; breached: number; compliance: number | null };
  breaches: { firstResponse: number; nextUpdate: number; total: number };
}

export interface SlaReport {
  period: { from: string; to: string; timezone: string };
  totals: SlaFigures;
  owners: Array<{ ownerId: string; ownerName: string } & SlaFigures>;
  days: Array<{ day: string } & SlaFigures>;
}

interface RootCauseFigures {
  tickets: number;
  share: number | null;
  cumulativeShare: number | null;
}

export interface RootCauseReport {
  totals: { tickets: number };
  silos: Array<{ silo: string } & RootCauseFigures>;
  causes: Array<{ silo: string; category: string } & RootCauseFigures>;
}

export interface Period {
  from: string;
  to: string;
}

function query(teamId: string | null, period: Period) {
  return { teamId: teamId ?? '', from: period.from, to: period.to };
}

/** The address of a report's CSV (the same report the chart draws), for a download link. */
export function csvUrl(path: string, teamId: string | null, period: Period): string {
  const params = new URLSearchParams({ ...query(teamId, period), format: 'csv' });
  return `/api/v1${path}?${params.toString()}`;
}

export function useSlaReport(teamId: string | null, period: Period) {
  return useQuery({
    queryKey: queryKeys.report('sla', teamId ?? '', period.from, period.to),
    queryFn: ({ signal }) =>
      apiRequest<SlaReport>('/reports/sla', { query: query(teamId, period), signal }),
    enabled: teamId !== null,
  });
}

export function useRootCauseReport(teamId: string | null, period: Period) {
  return useQuery({
    queryKey: queryKeys.report('root-causes', teamId ?? '', period.from, period.to),
    queryFn: ({ signal }) =>
      apiRequest<RootCauseReport>('/reports/root-causes', { query: query(teamId, period), signal }),
    enabled: teamId !== null,
  });
}
