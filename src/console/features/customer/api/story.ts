import { useQuery } from '@tanstack/react-query';
import { apiRequest } from '../../../lib/api-client';
import type { CustomerSummary, TicketStatus } from '../../../lib/api-types';
import { queryKeys } from '../../../lib/query-keys';

/** Another team's concerns with this customer, told as counts only (no subjects or notes). */
export interface StoryOtherTeam {
  teamId: string;
  teamName: string;
  concerns: number;
  byStatus: Record<TicketStatus, number>;
  bySilo: { silo: string; count: number }[];
  breaches: number;
  reopenings: number;
  promises: { kept: number; broken: number; open: number };
  consults: number;
  scores: { count: number; average: number | null; low: number };
  firstReceivedAt: string;
  lastReceivedAt: string;
}

export interface CustomerStory {
  customer: CustomerSummary;
  /** `team`: concerns and events are the reader's team's; other teams are in otherTeams. */
  scope: 'all' | 'team';
  otherTeams: StoryOtherTeam[];
  summary: {
    concerns: number;
    open: number;
    breaches: number;
    brokenPromises: number;
    averageScore: number | null;
  };
  concerns: {
    ticketId: string;
    ref: string;
    subject: string;
    teamName: string;
    status: TicketStatus;
    receivedAt: string;
    owners: { agentId: string; name: string }[];
  }[];
  events: {
    at: string;
    ticketId: string | null;
    ref: string | null;
    type: string;
    actorName: string | null;
    summary: string;
  }[];
}

export function useCustomerStory(id: string) {
  return useQuery({
    queryKey: queryKeys.story(id),
    queryFn: ({ signal }) => apiRequest<CustomerStory>(`/customers/${id}/story`, { signal }),
  });
}
