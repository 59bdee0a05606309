import type { EntityManager } from 'typeorm';
import type { Actor } from '../agents/actor';
import type { ServiceContext } from '../context';
import { Forbidden, NotFound } from '../errors';
import { RECOVERY_MAX_SCORE } from '../notifications/satisfaction.service';
import { ACTIVE_STATUSES, type TicketStatus } from '../tickets/ticket.entity';
import type { TimelineEventType } from '../timeline/timeline-event.entity';
import { Customer } from './customer.entity';
import { customerView } from './customer.view';

/**
 * A customer's whole history across silos, in time order: "who lost this customer, and where?"
 * in one call. Loaded with a fixed number of queries (one per table, never one per ticket) in one
 * REPEATABLE READ snapshot, so the concerns, the counts and the events always agree.
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

const SUMMARY_TEXT_MAX = 80;

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

export interface CustomerStory {
  customer: ReturnType<typeof customerView>;
  summary: StorySummary;
  concerns: StoryConcern[];
  events: StoryEvent[];
}

interface TicketRow {
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

interface PeriodRow {
  ticket_id: string;
  agent_id: string;
  agent_name: string;
  agent_team_id: string | null;
  started_at: Date;
  ended_at: Date | null;
  reason: string;
}

interface BreachRow {
  ticket_id: string;
  kind: string;
  due_at: Date;
  acted_at: Date;
  owner_id: string;
  owner_name: string;
}

interface PromiseRow {
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

interface ConsultRow {
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

interface ScoreRow {
  ticket_id: string;
  score: number;
  at: Date;
}

interface EventRow {
  ticket_id: string;
  type: TimelineEventType;
  at: Date;
  actor_id: string | null;
  actor_name: string | null;
  data: Record<string, unknown>;
}

interface StoryRows {
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

/**
 * Admins and supervisors read every customer's story: churn crosses team lines. A rep reads it
 * when the customer has a concern in the rep's team (or one the rep owns); otherwise 404, as for
 * another team's ticket. Integrations never read it.
 */
export async function getCustomerStory(
  ctx: ServiceContext,
  actor: Actor,
  customerId: string,
): Promise<CustomerStory> {
  if (actor.role === 'integration') {
    throw new Forbidden('Integrations cannot read customer stories.');
  }
  return ctx.dataSource.transaction('REPEATABLE READ', async (manager) => {
    const customer = await manager.getRepository(Customer).findOneBy({ id: customerId });
    if (!customer || !(await mayReadStory(manager, actor, customerId))) {
      throw new NotFound(`No customer ${customerId}.`);
    }
    const rows = await loadStoryRows(manager, customerId);
    return buildStory(customer, rows);
  });
}

async function mayReadStory(
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
async function loadStoryRows(manager: EntityManager, customerId: string): Promise<StoryRows> {
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

const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);

const minutesBetween = (from: Date, to: Date): number =>
  Math.round((to.getTime() - from.getTime()) / 60_000);

function groupByTicket<T extends { ticket_id: string }>(rows: T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const list = map.get(row.ticket_id);
    if (list) list.push(row);
    else map.set(row.ticket_id, [row]);
  }
  return map;
}

function buildStory(customer: Customer, rows: StoryRows): CustomerStory {
  const periods = groupByTicket(rows.periods);
  const breaches = groupByTicket(rows.breaches);
  const promises = groupByTicket(rows.promises);
  const consults = groupByTicket(rows.consults);
  const scores = new Map(rows.scores.map((s) => [s.ticket_id, s]));
  const handoffs = handoffsFromEvents(rows.events, rows.agentNames);
  const lastRootCauses = rootCausesFromEvents(rows.events);

  const responses = responsesFromEvents(rows.tickets, rows.events);

  const concerns = rows.tickets.map((t): StoryConcern => {
    const answered = responses.byTicket.get(t.id) ?? [];
    const first = answered.find((r) => r.firstResponse);
    const firstDue = responses.firstDueAt.get(t.id) ?? null;
    const score = scores.get(t.id);
    return {
      ticketId: t.id,
      ref: t.ref,
      subject: t.subject,
      teamId: t.team_id,
      teamName: t.team_name,
      status: t.status,
      channel: t.channel,
      receivedAt: t.received_at.toISOString(),
      resolvedAt: iso(t.resolved_at),
      reopenCount: t.reopen_count,
      rootCause: t.root_cause_silo
        ? {
            silo: t.root_cause_silo,
            category: t.root_cause_category,
            detail: t.root_cause_detail,
          }
        : (lastRootCauses.get(t.id) ?? null),
      owners: (periods.get(t.id) ?? []).map((p) => ({
        agentId: p.agent_id,
        name: p.agent_name,
        from: p.started_at.toISOString(),
        to: iso(p.ended_at),
        reason: p.reason,
      })),
      firstResponse: {
        dueAt: iso(firstDue),
        respondedAt: first?.at ?? null,
        lateMinutes: first?.lateMinutes ?? null,
      },
      responses: answered,
      breaches: (breaches.get(t.id) ?? []).map((b) => ({
        kind: b.kind,
        dueAt: b.due_at.toISOString(),
        at: b.acted_at.toISOString(),
        ownerId: b.owner_id,
        ownerName: b.owner_name,
        lateMinutes: Math.max(0, minutesBetween(b.due_at, b.acted_at)),
      })),
      promises: (promises.get(t.id) ?? []).map((p) => ({
        id: p.id,
        description: p.description,
        silo: p.silo,
        dueAt: p.due_at.toISOString(),
        status: p.status,
        closedAt: iso(p.closed_at),
        madeById: p.made_by_id,
        madeByName: p.made_by_name,
      })),
      consults: (consults.get(t.id) ?? []).map((c) => ({
        id: c.id,
        teamId: c.team_id,
        teamName: c.team_name,
        agentId: c.agent_id,
        agentName: c.agent_name,
        question: c.question,
        status: c.status,
        dueAt: c.due_at.toISOString(),
        answeredAt: iso(c.answered_at),
      })),
      handoffs: handoffs.get(t.id) ?? [],
      satisfaction: score ? { score: score.score, at: score.at.toISOString() } : null,
    };
  });

  return {
    customer: customerView(customer),
    summary: summarise(rows, concerns),
    concerns,
    events: storyEvents(customer, rows, responses.byEvent),
  };
}

function summarise(rows: StoryRows, concerns: StoryConcern[]): StorySummary {
  const rootCauses = new Map<string, { silo: string; category: string | null; count: number }>();
  for (const c of concerns) {
    if (!c.rootCause) continue;
    const key = `${c.rootCause.silo}\u0000${c.rootCause.category ?? ''}`;
    const entry = rootCauses.get(key);
    if (entry) entry.count++;
    else rootCauses.set(key, { silo: c.rootCause.silo, category: c.rootCause.category, count: 1 });
  }

  const owners = new Map<
    string,
    { agentId: string; name: string; teamId: string | null; tickets: Set<string> }
  >();
  for (const p of rows.periods) {
    let owner = owners.get(p.agent_id);
    if (!owner) {
      owner = {
        agentId: p.agent_id,
        name: p.agent_name,
        teamId: p.agent_team_id,
        tickets: new Set(),
      };
      owners.set(p.agent_id, owner);
    }
    owner.tickets.add(p.ticket_id);
  }

  const scores = rows.scores.map((s) => s.score);
  const countPromises = (status: string) => rows.promises.filter((p) => p.status === status).length;
  return {
    concerns: concerns.length,
    open: concerns.filter((c) => ACTIVE_STATUSES.includes(c.status)).length,
    breaches: rows.breaches.length,
    brokenPromises: countPromises('broken'),
    keptPromises: countPromises('kept'),
    openPromises: countPromises('open'),
    handoffs: rows.events.filter((e) => e.type === 'handoff_offered').length,
    ownerChanges: rows.events.filter((e) => e.type === 'owner_changed').length,
    consults: rows.consults.length,
    reopenings: concerns.reduce((sum, c) => sum + c.reopenCount, 0),
    lowScores: scores.filter((s) => s <= RECOVERY_MAX_SCORE).length,
    averageScore:
      scores.length > 0
        ? Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 100) / 100
        : null,
    rootCauses: [...rootCauses.values()].sort(
      (a, b) =>
        b.count - a.count ||
        a.silo.localeCompare(b.silo) ||
        (a.category ?? '').localeCompare(b.category ?? ''),
    ),
    ownersInvolved: [...owners.values()]
      .map(({ tickets, ...owner }) => ({ ...owner, concerns: tickets.size }))
      .sort((a, b) => b.concerns - a.concerns || a.name.localeCompare(b.name)),
  };
}

const str = (data: Record<string, unknown>, key: string): string | null => {
  const value = data[key];
  return typeof value === 'string' ? value : null;
};

const num = (data: Record<string, unknown>, key: string): number | null => {
  const value = data[key];
  return typeof value === 'number' ? value : null;
};

interface ResponseHistory {
  byTicket: Map<string, StoryResponse[]>;
  byEvent: Map<EventRow, StoryResponse>;
  /** When each concern's first response was due (its first cycle). */
  firstDueAt: Map<string, Date | null>;
}

/**
 * Public updates with the lateness of each first response. Reopening a ticket resets its
 * first-response columns, so earlier cycles come from the timeline: "created", "reopened" and
 * "recovery_follow_up" carry the first-response due time they set. A never-reopened ticket uses
 * its own column, which also reflects any recomputation since it was created.
 */
function responsesFromEvents(tickets: TicketRow[], events: EventRow[]): ResponseHistory {
  const history: ResponseHistory = {
    byTicket: new Map(),
    byEvent: new Map(),
    firstDueAt: new Map(),
  };
  const reopened = new Map(tickets.map((t) => [t.id, t.reopen_count > 0]));
  const dueNow = new Map<string, Date | null>();
  for (const t of tickets) {
    if (t.reopen_count === 0) {
      history.firstDueAt.set(t.id, t.first_response_due_at);
      dueNow.set(t.id, t.first_response_due_at);
    }
  }
  const dateIn = (data: Record<string, unknown>, key: string) => {
    const value = str(data, key);
    return value ? new Date(value) : null;
  };
  for (const e of events) {
    if (e.type === 'created' && reopened.get(e.ticket_id)) {
      const due = dateIn(e.data, 'firstResponseDueAt');
      history.firstDueAt.set(e.ticket_id, due);
      dueNow.set(e.ticket_id, due);
    } else if (e.type === 'reopened' || e.type === 'recovery_follow_up') {
      dueNow.set(e.ticket_id, dateIn(e.data, 'firstResponseDueAt'));
    } else if (e.type === 'public_update') {
      const firstResponse = e.data.firstResponse === true;
      const due = firstResponse ? (dueNow.get(e.ticket_id) ?? null) : null;
      const response: StoryResponse = {
        at: e.at.toISOString(),
        agentId: e.actor_id,
        name: e.actor_name,
        firstResponse,
        dueAt: iso(due),
        lateMinutes: due && e.at > due ? minutesBetween(due, e.at) : null,
      };
      history.byEvent.set(e, response);
      const list = history.byTicket.get(e.ticket_id);
      if (list) list.push(response);
      else history.byTicket.set(e.ticket_id, [response]);
    }
  }
  return history;
}

/** Handoff offers and their outcomes, from the timeline (the handoffs table has no ticket index). */
function handoffsFromEvents(
  events: EventRow[],
  names: Map<string, string>,
): Map<string, StoryHandoff[]> {
  const byId = new Map<string, StoryHandoff>();
  const byTicket = new Map<string, StoryHandoff[]>();
  const nameOf = (id: string | null) => (id ? (names.get(id) ?? null) : null);
  for (const e of events) {
    const id = str(e.data, 'handoffId');
    if (!id) continue;
    if (e.type === 'handoff_offered') {
      const toAgentId = str(e.data, 'toAgentId');
      const handoff: StoryHandoff = {
        id,
        fromAgentId: e.actor_id,
        fromName: nameOf(e.actor_id),
        toAgentId,
        toName: nameOf(toAgentId),
        offeredAt: e.at.toISOString(),
        status: 'pending',
        respondedAt: null,
      };
      byId.set(id, handoff);
      const list = byTicket.get(e.ticket_id);
      if (list) list.push(handoff);
      else byTicket.set(e.ticket_id, [handoff]);
      continue;
    }
    const handoff = byId.get(id);
    const outcome = HANDOFF_OUTCOMES[e.type];
    if (handoff && outcome && handoff.status === 'pending') {
      handoff.status = outcome;
      handoff.respondedAt = e.at.toISOString();
    }
  }
  return byTicket;
}

/**
 * Reopening a ticket clears its root cause; the story keeps the last one it was resolved with,
 * so a concern resolved, rated badly and reopened still says where it went wrong.
 */
function rootCausesFromEvents(
  events: EventRow[],
): Map<string, NonNullable<StoryConcern['rootCause']>> {
  const causes = new Map<string, NonNullable<StoryConcern['rootCause']>>();
  for (const e of events) {
    if (e.type !== 'resolved') continue;
    const cause = e.data.rootCause;
    if (typeof cause !== 'object' || cause === null) continue;
    const data = cause as Record<string, unknown>;
    const silo = str(data, 'silo');
    if (silo)
      causes.set(e.ticket_id, {
        silo,
        category: str(data, 'category'),
        detail: str(data, 'detail'),
      });
  }
  return causes;
}

const HANDOFF_OUTCOMES: Partial<Record<TimelineEventType, StoryHandoff['status']>> = {
  handoff_accepted: 'accepted',
  handoff_declined: 'declined',
  handoff_expired: 'expired',
  handoff_cancelled: 'cancelled',
};

function storyEvents(
  customer: Customer,
  rows: StoryRows,
  responses: Map<EventRow, StoryResponse>,
): StoryEvent[] {
  const tickets = new Map(rows.tickets.map((t) => [t.id, t]));
  const promises = new Map(rows.promises.map((p) => [p.id, p]));
  const consults = new Map(rows.consults.map((c) => [c.id, c]));
  const describe = eventDescriber(rows.agentNames, tickets, promises, consults, responses);
  const events = rows.events.map((e): StoryEvent => ({
    at: e.at.toISOString(),
    ticketId: e.ticket_id,
    ref: tickets.get(e.ticket_id)?.ref ?? null,
    type: e.type,
    actorId: e.actor_id,
    actorName: e.actor_name,
    summary: describe(e),
  }));
  if (customer.churnedAt) {
    events.push({
      at: customer.churnedAt.toISOString(),
      ticketId: null,
      ref: null,
      type: 'churned',
      actorId: null,
      actorName: null,
      summary: `The customer left: ${quote(customer.churnReason ?? 'no reason given')}`,
    });
    // Stable: events at the same instant keep their recorded order.
    events.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  }
  return events;
}

function quote(text: string): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  return clean.length > SUMMARY_TEXT_MAX
    ? `"${clean.slice(0, SUMMARY_TEXT_MAX - 1)}…"`
    : `"${clean}"`;
}

const words = (value: string | null): string => (value ?? 'unknown').replace(/_/g, ' ');

const DEADLINE_WORDS: Record<string, string> = {
  first_response: 'First-response',
  next_update: 'Next-update',
};

/** One short line per event, in words a supervisor reads at a glance; never a message body. */
function eventDescriber(
  names: Map<string, string>,
  tickets: Map<string, TicketRow>,
  promises: Map<string, PromiseRow>,
  consults: Map<string, ConsultRow>,
  responses: Map<EventRow, StoryResponse>,
): (event: EventRow) => string {
  const agent = (id: string | null) => (id ? (names.get(id) ?? 'a former agent') : 'the system');
  const consultee = (c: ConsultRow | undefined) =>
    !c ? 'another team' : c.agent_name ? `${c.agent_name} (${c.team_name})` : c.team_name;

  return (e) => {
    const d = e.data;
    const by = agent(e.actor_id);
    const ticket = tickets.get(e.ticket_id);
    const promise = promises.get(str(d, 'promiseId') ?? '');
    const consult = consults.get(str(d, 'consultId') ?? '');
    const promiseText = promise
      ? `${quote(promise.description)} (${words(promise.silo)})`
      : 'a promise';
    switch (e.type) {
      case 'created':
        return `New concern ${quote(ticket?.subject ?? '')} by ${str(d, 'channel') ?? 'unknown channel'}; owner ${agent(str(d, 'ownerId'))}`;
      case 'owner_changed':
        return `Owner changed from ${agent(str(d, 'fromAgentId'))} to ${agent(str(d, 'toAgentId'))} (${words(str(d, 'reason'))})`;
      case 'public_update': {
        const response = responses.get(e);
        if (!response?.firstResponse) return `Update to the customer by ${by}`;
        const late = response.lateMinutes !== null ? `, ${response.lateMinutes} min late` : '';
        return `First response to the customer by ${by}${late}`;
      }
      case 'customer_message': {
        const channel = str(d, 'channel');
        return `The customer got in touch${channel ? ` by ${channel}` : ''} (logged by ${by})`;
      }
      case 'status_changed':
        return `Status changed from ${words(str(d, 'from'))} to ${words(str(d, 'to'))}`;
      case 'resolved': {
        const cause = d.rootCause as Record<string, unknown> | undefined;
        const silo = cause ? str(cause, 'silo') : null;
        const category = cause ? str(cause, 'category') : null;
        return `Resolved by ${by}; root cause ${words(silo)} / ${words(category)}`;
      }
      case 'reopened': {
        const reason = str(d, 'reason');
        return reason ? `Reopened: ${quote(reason)}` : 'Reopened';
      }
      case 'deadline_breached': {
        const kind = DEADLINE_WORDS[str(d, 'kind') ?? ''] ?? 'A';
        const late = num(d, 'minutesLate');
        return `${kind} deadline missed by ${agent(str(d, 'ownerId'))}${late !== null ? ` (${late} min late)` : ''}`;
      }
      case 'escalated':
        return `Escalated to level ${num(d, 'level') ?? '?'}`;
      case 'handoff_offered':
        return `${by} offered the concern to ${agent(str(d, 'toAgentId'))}`;
      case 'handoff_accepted':
        return `${by} accepted the concern from ${agent(str(d, 'fromAgentId'))}`;
      case 'handoff_declined':
        return `${by} declined the concern from ${agent(str(d, 'fromAgentId'))}`;
      case 'handoff_expired':
        return `The handoff to ${agent(str(d, 'toAgentId'))} expired unanswered`;
      case 'handoff_cancelled':
        return `The handoff to ${agent(str(d, 'toAgentId'))} was withdrawn`;
      case 'consult_asked':
        return `${by} consulted ${consultee(consult)}`;
      case 'consult_answered':
        return `${by} answered the consult${d.late === true ? ' after its due time' : ''}`;
      case 'consult_overdue':
        return `The consult with ${consultee(consult)} went unanswered past its due time`;
      case 'promise_made':
        return `Promise made to the customer: ${promiseText}`;
      case 'promise_kept':
        return `Promise kept: ${promiseText}`;
      case 'promise_broken':
        return `Promise broken: ${promiseText}`;
      case 'promise_cancelled':
        return `Promise cancelled: ${promiseText}`;
      case 'satisfaction_scored':
        return `The customer rated the outcome ${num(d, 'score') ?? '?'}/5`;
      case 'recovery_follow_up':
        return `Low score: reopened for ${agent(str(d, 'ownerId'))} to follow up`;
      default:
        return words(e.type);
    }
  };
}
