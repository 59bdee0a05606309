/** Shapes of the API's answers the console reads (see API.md); extra fields are ignored. */
export type Role = 'admin' | 'supervisor' | 'rep' | 'integration';
export type TicketStatus = 'open' | 'waiting_on_customer' | 'resolved' | 'closed';
export type Tier = 'standard' | 'high_value' | 'vip';
export type DeadlineKind = 'first_response' | 'next_update';
export const SILOS = [
  'marketing',
  'sales',
  'field_service',
  'customer_care',
  'billing',
  'product',
  'network',
  'other',
] as const;
export type Silo = (typeof SILOS)[number];

export interface Agent {
  id: string;
  name: string;
  email: string;
  role: Role;
  teamId: string | null;
  away: boolean;
  active: boolean;
  capacity?: number;
}

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export const ESCALATION_AUDIENCES = ['owner_supervisor', 'team_supervisors', 'admins'] as const;
export type EscalationAudience = (typeof ESCALATION_AUDIENCES)[number];

export interface TeamPolicy {
  warnBeforeMinutes: number;
  reescalateAfterMinutes: number;
  autoHoldingUpdate: boolean;
  tiers: {
    vip?: { firstResponseWithinMinutes: number };
    high_value?: { firstResponseWithinMinutes: number };
  };
  nextUpdateWithinMinutes?: number | null;
  waitingReminderAfterMinutes?: number | null;
  waitingResumeAfterMinutes?: number | null;
  closeAfterDays?: number;
  escalationLadder?: { notify: EscalationAudience }[];
}

export interface Team {
  id: string;
  name: string;
  timezone: string;
  businessHours: Partial<Record<Weekday, { open: string; close: string }>>;
  holidays: string[];
  sameDayCutoff: string | null;
  policy: TeamPolicy;
}

export interface CustomerSummary {
  id: string;
  name: string;
  email: string;
  tier: Tier;
}

export interface Ticket {
  id: string;
  ref: string;
  status: TicketStatus;
  customerId: string;
  teamId: string;
  ownerId: string;
  subject: string;
  description: string;
  channel: string;
  category: string | null;
  priority: string;
  receivedAt: string;
  firstResponseDueAt: string | null;
  firstRespondedAt: string | null;
  nextUpdateDueAt: string | null;
  escalationLevel: number;
  breachCount: number;
  resolvedAt: string | null;
  resolution: string | null;
  rootCause: { silo: Silo; category: string; detail: string | null } | null;
  version: number;
  updatedAt: string;
}

export interface QueueItem extends Ticket {
  customer: CustomerSummary;
  currentDeadline: { kind: DeadlineKind; dueAt: string } | null;
}

export interface TimelineEvent {
  id: string;
  ticketId: string;
  type: string;
  at: string;
  actorId: string | null;
  data: Record<string, unknown>;
}

export interface DeadlineItem {
  kind: DeadlineKind;
  dueAt: string | null;
  state: 'pending' | 'met' | 'breached' | 'paused' | 'cleared' | 'not_started';
  explanation: string;
}

export interface DeadlinesExplanation {
  timezone: string;
  current: { kind: DeadlineKind; dueAt: string; escalationLevel: number } | null;
  items: DeadlineItem[];
}

export interface Handoff {
  id: string;
  ticketId: string;
  ticketRef?: string;
  ticketSubject?: string;
  fromAgentId: string;
  toAgentId: string;
  note: string;
  status: 'pending' | 'accepted' | 'declined' | 'expired' | 'cancelled';
  createdAt: string;
  expiresAt: string;
}

export interface Consult {
  id: string;
  ticketId: string;
  ticketRef?: string;
  ticketSubject?: string;
  askedById: string;
  agentId: string | null;
  teamId: string;
  question: string;
  dueAt: string;
  status: 'open' | 'answered' | 'cancelled';
  answer: string | null;
  answeredById: string | null;
  answeredAt: string | null;
  createdAt: string;
}

export interface CustomerPromise {
  id: string;
  ticketId: string;
  description: string;
  dueAt: string;
  silo: Silo;
  status: 'open' | 'kept' | 'broken' | 'cancelled';
  note: string | null;
  closedAt: string | null;
}

export interface Viewer {
  agentId: string;
  name: string;
  since: string;
}

export interface SearchResults {
  tickets: QueueItem[];
  customers: CustomerSummary[];
}
