import type { Actor } from '../actor';
import type { ServiceContext } from '../context';
import { Customer } from '../customers/customer.entity';
import { customerView } from '../customers/customer.view';
import { loadCustomerChanges, type CustomerChangeRow } from '../customers/customer-changes';
import { Forbidden, NotFound } from '../errors';
import { RECOVERY_MAX_SCORE } from '../satisfaction/satisfaction.service';
import { ACTIVE_STATUSES } from '../tickets/ticket.entity';
import {
  handoffsFromEvents,
  iso,
  minutesBetween,
  responsesFromEvents,
  rootCausesFromEvents,
} from './story-history';
import { otherTeamFacts, splitStoryRows } from './story-scope';
import { storyEvents } from './story-wording';
import { loadStoryRows, mayReadStory, type StoryRows } from './story.queries';
import type { CustomerStory, StoryConcern, StorySummary } from './story.types';

/**
 * A customer's whole history across silos, in time order: "who lost this customer, and where?"
 * in one call. Loaded with a fixed number of queries (one per table, never one per ticket) in one
 * REPEATABLE READ snapshot, so the concerns, the counts and the events always agree.
 *
 * Split by job: story.types.ts (the answer's shape), story.queries.ts (the reads),
 * story-history.ts (what comes back from the timeline), story-wording.ts (one line per event);
 * this file checks access and assembles the concerns and the summary.
 */

/**
 * Admins and supervisors read every customer's story: churn crosses team lines. A rep reads it
 * when the customer has a concern in the rep's team (or one the rep owns); otherwise 404, as for
 * another team's ticket. Integrations never read it. Only an admin reads other teams' concerns
 * in full; everyone else gets them as facts without text (story-scope.ts).
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
    const changes = await loadCustomerChanges(manager, customerId);
    const { scope, shown, others } = splitStoryRows(actor, rows);
    return {
      ...withChanges(buildStory(customer, shown), changes),
      scope,
      otherTeams: otherTeamFacts(others),
    };
  });
}

/** Every change to the customer (who, when, old → new), beside the ticket events. */
function withChanges<S extends Omit<CustomerStory, 'scope' | 'otherTeams'>>(
  story: S,
  changes: CustomerChangeRow[],
): S {
  const shown = (value: string | null) => (value === null ? 'nothing' : `"${value}"`);
  return {
    ...story,
    changes: changes.map((c) => ({
      at: c.at.toISOString(),
      field: c.field,
      from: c.from,
      to: c.to,
      actorId: c.actorId,
      actorName: c.actorName,
      summary: `${c.field} changed from ${shown(c.from)} to ${shown(c.to)} by ${c.actorName ?? 'the system'}`,
    })),
  };
}

function groupByTicket<T extends { ticket_id: string }>(rows: T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    const list = map.get(row.ticket_id);
    if (list) list.push(row);
    else map.set(row.ticket_id, [row]);
  }
  return map;
}

function buildStory(
  customer: Customer,
  rows: StoryRows,
): Omit<CustomerStory, 'scope' | 'otherTeams'> {
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
