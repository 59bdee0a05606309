import type { customerView } from '../customers/customer.view';
import type { TicketStatus } from '../tickets/ticket.entity';
import type { TimelineEventType } from '../timeline/timeline-event.entity';

/** The shape of a customer's story as the API returns it (GET /customers/:id/story). */

export interface StoryOwner {
  agentId: string;
  name: string;
  from: string;
  to: string | null;
  reason: string;
}

export interface StoryResponse {
  at: string;
  agentId: string | null;
  name: string | null;
  firstResponse: boolean;
  dueAt: string | null;
  lateMinutes: number | null;
}

export interface StoryHandoff {
  id: string;
  fromAgentId: string | null;
  fromName: string | null;
  toAgentId: string | null;
  toName: string | null;
  offeredAt: string;
  status: 'pending' | 'accepted' | 'declined' | 'expired' | 'cancelled';
  respondedAt: string | null;
}

export interface StoryConcern {
  ticketId: string;
  ref: string;
  subject: string;
  teamId: string;
  teamName: string;
  status: TicketStatus;
  channel: string;
  receivedAt: string;
  resolvedAt: string | null;
  reopenCount: number;
  rootCause: { silo: string; category: string | null; detail: string | null } | null;
  owners: StoryOwner[];
  /** The concern's first answer (of its first cycle when it was reopened since). */
  firstResponse: { dueAt: string | null; respondedAt: string | null; lateMinutes: number | null };
  /** Every public update; a first response (of any cycle) carries its due time and lateness. */
  responses: StoryResponse[];
  breaches: Array<{
    kind: string;
    dueAt: string;
    at: string;
    ownerId: string;
    ownerName: string;
    lateMinutes: number;
  }>;
  promises: Array<{
    id: string;
    description: string;
    silo: string;
    dueAt: string;
    status: string;
    closedAt: string | null;
    madeById: string;
    madeByName: string;
  }>;
  consults: Array<{
    id: string;
    teamId: string;
    teamName: string;
    agentId: string | null;
    agentName: string | null;
    question: string;
    status: string;
    dueAt: string;
    answeredAt: string | null;
  }>;
  handoffs: StoryHandoff[];
  satisfaction: { score: number; at: string } | null;
}

export interface StoryEvent {
  at: string;
  ticketId: string | null;
  ref: string | null;
  type: TimelineEventType | 'churned';
  actorId: string | null;
  actorName: string | null;
  summary: string;
}

export interface StorySummary {
  concerns: number;
  open: number;
  breaches: number;
  brokenPromises: number;
  keptPromises: number;
  openPromises: number;
  handoffs: number;
  ownerChanges: number;
  consults: number;
  reopenings: number;
  lowScores: number;
  averageScore: number | null;
  rootCauses: Array<{ silo: string; category: string | null; count: number }>;
  ownersInvolved: Array<{ agentId: string; name: string; teamId: string | null; concerns: number }>;
}

/**
 * Another team's concerns as facts without text (no subjects, notes, promise texts or consult
 * questions): what a reader outside that team may know of its work with the customer.
 */
export interface StoryOtherTeam {
  teamId: string;
  teamName: string;
  concerns: number;
  /** Concerns by status: open, waiting_on_customer, resolved, closed. */
  byStatus: Record<TicketStatus, number>;
  /** Resolved concerns by root-cause silo, most first. */
  bySilo: Array<{ silo: string; count: number }>;
  breaches: number;
  reopenings: number;
  promises: { kept: number; broken: number; open: number };
  consults: number;
  scores: { count: number; average: number | null; low: number };
  firstReceivedAt: string;
  lastReceivedAt: string;
}

export interface CustomerStory {
  customer: ReturnType<typeof customerView>;
  /**
   * `all`: an admin reads every concern in full. `team`: `summary`, `concerns` and `events` hold
   * the reader's team's concerns (and those it owns); other teams' are only in `otherTeams`.
   */
  scope: 'all' | 'team';
  summary: StorySummary;
  concerns: StoryConcern[];
  events: StoryEvent[];
  /** Other teams' concerns as counts, one entry per team (empty for an admin). */
  otherTeams: StoryOtherTeam[];
  /** Every change to the customer: who, when, field, old → new (customer_changes). */
  changes?: Array<{
    at: string;
    field: string;
    from: string | null;
    to: string | null;
    actorId: string | null;
    actorName: string | null;
    summary: string;
  }>;
}
