import type { Actor } from '../actor';
import { RECOVERY_MAX_SCORE } from '../satisfaction/satisfaction.service';
import { TICKET_STATUSES, type TicketStatus } from '../tickets/ticket.entity';
import { rootCausesFromEvents } from './story-history';
import type { StoryRows, TicketRow } from './story.queries';
import type { StoryOtherTeam } from './story.types';

/**
 * Which part of a customer's story a reader sees in full. An admin sees all of it; anyone else
 * the concerns of its own team (and those it owns now), while other teams' concerns are told
 * only as facts without text: counts by status, root-cause silo, breaches, promises and scores.
 * Subjects, notes, promise texts and consult questions of other teams never leave here.
 */
export function splitStoryRows(
  actor: Actor,
  rows: StoryRows,
): { scope: 'all' | 'team'; shown: StoryRows; others: StoryRows } {
  if (actor.role === 'admin') return { scope: 'all', shown: rows, others: onlyTickets(rows, []) };
  const ownedNow = new Set(
    rows.periods
      .filter((p) => p.ended_at === null && p.agent_id === actor.id)
      .map((p) => p.ticket_id),
  );
  const mine = (t: TicketRow) => t.team_id === actor.teamId || ownedNow.has(t.id);
  return {
    scope: 'team',
    shown: onlyTickets(rows, rows.tickets.filter(mine)),
    others: onlyTickets(
      rows,
      rows.tickets.filter((t) => !mine(t)),
    ),
  };
}

/** The rows about these tickets only (agent names stay: they describe what is shown). */
function onlyTickets(rows: StoryRows, tickets: TicketRow[]): StoryRows {
  const ids = new Set(tickets.map((t) => t.id));
  const keep = <T extends { ticket_id: string }>(list: T[]) =>
    list.filter((r) => ids.has(r.ticket_id));
  return {
    tickets,
    periods: keep(rows.periods),
    breaches: keep(rows.breaches),
    promises: keep(rows.promises),
    consults: keep(rows.consults),
    scores: keep(rows.scores),
    events: keep(rows.events),
    agentNames: rows.agentNames,
  };
}

/** One entry per other team, in the order of its first concern with the customer. */
export function otherTeamFacts(others: StoryRows): StoryOtherTeam[] {
  const teamOf = new Map(others.tickets.map((t) => [t.id, t.team_id]));
  const lastRootCauses = rootCausesFromEvents(others.events);
  const teams = new Map<string, StoryOtherTeam & { silos: Map<string, number> }>();
  for (const t of others.tickets) {
    let team = teams.get(t.team_id);
    if (!team) {
      team = {
        teamId: t.team_id,
        teamName: t.team_name,
        concerns: 0,
        byStatus: Object.fromEntries(TICKET_STATUSES.map((s) => [s, 0])) as Record<
          TicketStatus,
          number
        >,
        bySilo: [],
        breaches: 0,
        reopenings: 0,
        promises: { kept: 0, broken: 0, open: 0 },
        consults: 0,
        scores: { count: 0, average: null, low: 0 },
        firstReceivedAt: t.received_at.toISOString(),
        lastReceivedAt: t.received_at.toISOString(),
        silos: new Map(),
      };
      teams.set(t.team_id, team);
    }
    team.concerns++;
    team.byStatus[t.status]++;
    team.reopenings += t.reopen_count;
    team.lastReceivedAt = t.received_at.toISOString();
    const silo = t.root_cause_silo ?? lastRootCauses.get(t.id)?.silo;
    if (silo) team.silos.set(silo, (team.silos.get(silo) ?? 0) + 1);
  }
  const of = (ticketId: string) => teams.get(teamOf.get(ticketId) ?? '');
  for (const b of others.breaches) of(b.ticket_id)!.breaches++;
  for (const c of others.consults) of(c.ticket_id)!.consults++;
  for (const p of others.promises) {
    const counts = of(p.ticket_id)?.promises;
    if (counts && (p.status === 'kept' || p.status === 'broken' || p.status === 'open'))
      counts[p.status]++;
  }
  const scores = new Map<string, number[]>();
  for (const s of others.scores) {
    const teamId = teamOf.get(s.ticket_id)!;
    scores.set(teamId, [...(scores.get(teamId) ?? []), s.score]);
  }
  return [...teams.values()].map(({ silos, ...team }) => {
    const given = scores.get(team.teamId) ?? [];
    return {
      ...team,
      bySilo: [...silos.entries()]
        .map(([silo, count]) => ({ silo, count }))
        .sort((a, b) => b.count - a.count || a.silo.localeCompare(b.silo)),
      scores: {
        count: given.length,
        average:
          given.length > 0
            ? Math.round((given.reduce((a, b) => a + b, 0) / given.length) * 100) / 100
            : null,
        low: given.filter((s) => s <= RECOVERY_MAX_SCORE).length,
      },
    };
  });
}
