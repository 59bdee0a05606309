import type { EntityManager } from 'typeorm';
import type { Actor } from '../actor';
import type { TicketStatus } from '../tickets/ticket.entity';
import type { TimelineEventType } from '../timeline/timeline-event.entity';

/**
 * The story's reads: a fixed number of queries (one per table, never one per ticket), each
 * reaching the customer's tickets through an index on customer_id. The caller runs them in one
 * REPEATABLE READ snapshot (customer-story.ts).
 */

/**
 * What happened to the customer. Left out: internal notes (their bodies are staff talk),
 * field edits, warnings before a deadline, reminders and email delivery (the system's own
 * nudges, not something that happened to the customer).
 */
const STORY_EVENT_TYPES: readonly TimelineEventType[] = [
  'created',
  'owner_changed',
  'public_update',
  'customer_message',
  'status_changed',
  'resolved',
  'reopened',
  'deadline_breached',
  'escalated',
  'handoff_offered',
  'handoff_accepted',
  'handoff_declined',
  'handoff_expired',
  'handoff_cancelled',
  'consult_asked',
  'consult_answered',
  'consult_overdue',
  'promise_made',
  'promise_kept',
  'promise_broken',
  'promise_cancelled',
  'satisfaction_scored',
  'recovery_follow_up',
];

/** Free text in event data that the story never shows (message and note bodies, answers). */
const HIDDEN_EVENT_FIELDS = ['body', 'note', 'answer', 'question', 'resolution'];

export interface TicketRow {
  id: string;
  ref: string;
  subject: string;
  team_id: string;
  team_name: string;
  status: TicketStatus;
  channel: string;
  received_at: Date;
  resolved_at: Date | null;
  reopen_count: number;
  root_cause_silo: string | null;
  root_cause_category: string | null;
  root_cause_detail: string | null;
  first_response_due_at: Date | null;
}

export interface PeriodRow {
  ticket_id: string;
  agent_id: string;
  agent_name: string;
  agent_team_id: string | null;
  started_at: Date;
  ended_at: Date | null;
  reason: string;
}

export interface BreachRow {
  ticket_id: string;
  kind: string;
  due_at: Date;
  acted_at: Date;
  owner_id: string;
  owner_name: string;
}

export interface PromiseRow {
  id: string;
  ticket_id: string;
  description: string;
  silo: string;
  due_at: Date;
  status: string;
  closed_at: Date | null;
  made_by_id: string;
  made_by_name: string;
}

export interface ConsultRow {
  id: string;
  ticket_id: string;
  team_id: string;
  team_name: string;
  agent_id: string | null;
  agent_name: string | null;
  question: string;
  status: string;
  due_at: Date;
  answered_at: Date | null;
}

export interface ScoreRow {
  ticket_id: string;
  score: number;
  at: Date;
}

export interface EventRow {
  ticket_id: string;
  type: TimelineEventType;
  at: Date;
  actor_id: string | null;
  actor_name: string | null;
  data: Record<string, unknown>;
}

export interface StoryRows {
  tickets: TicketRow[];
  periods: PeriodRow[];
  breaches: BreachRow[];
  promises: PromiseRow[];
  consults: ConsultRow[];
  scores: ScoreRow[];
  events: EventRow[];
  /** Agents named only inside event data (a handoff target, a breached owner). */
  agentNames: Map<string, string>;
}

export async function mayReadStory(
  manager: EntityManager,
  actor: Actor,
  customerId: string,
): Promise<boolean> {
  if (actor.role === 'admin' || actor.role === 'supervisor') return true;
  const rows: unknown[] = await manager.query(
    `SELECT 1 FROM tickets
      WHERE customer_id = $1 AND (team_id = $2 OR owner_id = $3)
      LIMIT 1`,
    [customerId, actor.teamId, actor.id],
  );
  return rows.length > 0;
}

/** One query per table, each reaching the customer's tickets through an index on customer_id. */
export async function loadStoryRows(
  manager: EntityManager,
  customerId: string,
): Promise<StoryRows> {
  const tickets: TicketRow[] = await manager.query(
    `SELECT t.id, t.ref, t.subject, t.team_id, tm.name AS team_name, t.status, t.channel,
            t.received_at, t.resolved_at, t.reopen_count, t.root_cause_silo, t.root_cause_category,
            t.root_cause_detail, t.first_response_due_at
       FROM tickets t
       JOIN teams tm ON tm.id = t.team_id
      WHERE t.customer_id = $1
      ORDER BY t.received_at, t.number`,
    [customerId],
  );
  const periods: PeriodRow[] = await manager.query(
    `SELECT p.ticket_id, p.agent_id, a.name AS agent_name, a.team_id AS agent_team_id,
            p.started_at, p.ended_at, p.reason
       FROM tickets t
       JOIN ownership_periods p ON p.ticket_id = t.id
       JOIN agents a ON a.id = p.agent_id
      WHERE t.customer_id = $1
      ORDER BY p.started_at, p.ended_at NULLS LAST`,
    [customerId],
  );
  const breaches: BreachRow[] = await manager.query(
    `SELECT d.ticket_id, d.kind, d.due_at, d.acted_at, d.owner_id, a.name AS owner_name
       FROM tickets t
       JOIN deadline_actions d ON d.ticket_id = t.id AND d.step = 'breached'
       JOIN agents a ON a.id = d.owner_id
      WHERE t.customer_id = $1
      ORDER BY d.acted_at, d.due_at`,
    [customerId],
  );
  const promises: PromiseRow[] = await manager.query(
    `SELECT p.id, p.ticket_id, p.description, p.silo, p.due_at, p.status, p.closed_at,
            p.made_by_id, a.name AS made_by_name
       FROM promises p
       JOIN agents a ON a.id = p.made_by_id
      WHERE p.customer_id = $1
      ORDER BY p.created_at, p.id`,
    [customerId],
  );
  const consults: ConsultRow[] = await manager.query(
    `SELECT c.id, c.ticket_id, c.team_id, tm.name AS team_name, c.agent_id, a.name AS agent_name,
            c.question, c.status, c.due_at, c.answered_at
       FROM tickets t
       JOIN consults c ON c.ticket_id = t.id
       JOIN teams tm ON tm.id = c.team_id
       LEFT JOIN agents a ON a.id = c.agent_id
      WHERE t.customer_id = $1
      ORDER BY c.created_at, c.id`,
    [customerId],
  );
  const scores: ScoreRow[] = await manager.query(
    `SELECT s.ticket_id, s.score, s.at
       FROM tickets t
       JOIN satisfaction_scores s ON s.ticket_id = t.id
      WHERE t.customer_id = $1`,
    [customerId],
  );
  // Free text is stripped in the database: bodies never leave it for this view.
  const events: EventRow[] = await manager.query(
    `SELECT e.ticket_id, e.type, e.at, e.actor_id, a.name AS actor_name,
            e.data - $3::text[] AS data
       FROM tickets t
       JOIN timeline_events e ON e.ticket_id = t.id
       LEFT JOIN agents a ON a.id = e.actor_id
      WHERE t.customer_id = $1 AND e.type = ANY($2::text[])
      ORDER BY e.at, e.seq`,
    [customerId, STORY_EVENT_TYPES, HIDDEN_EVENT_FIELDS],
  );

  const agentNames = new Map<string, string>();
  for (const p of periods) agentNames.set(p.agent_id, p.agent_name);
  for (const b of breaches) agentNames.set(b.owner_id, b.owner_name);
  for (const e of events) if (e.actor_id && e.actor_name) agentNames.set(e.actor_id, e.actor_name);
  const unnamed = new Set<string>();
  for (const e of events) {
    for (const key of ['fromAgentId', 'toAgentId', 'ownerId', 'agentId']) {
      const id = e.data[key];
      if (typeof id === 'string' && !agentNames.has(id)) unnamed.add(id);
    }
  }
  // Run even when empty, so the story costs the same number of queries for every customer.
  const named: Array<{ id: string; name: string }> = await manager.query(
    `SELECT id, name FROM agents WHERE id = ANY($1::uuid[])`,
    [[...unnamed]],
  );
  for (const a of named) agentNames.set(a.id, a.name);
  return { tickets, periods, breaches, promises, consults, scores, events, agentNames };
}
