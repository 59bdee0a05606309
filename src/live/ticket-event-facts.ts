import type { EntityManager } from 'typeorm';
import type { TicketEventFacts } from './event-audience';

/** What a timeline_events notification (migration AddLiveEventsAndPresence) carries. */
export interface EventNotice {
  seq: string;
  ticketId: string;
  type: string;
  at: string;
  handoffId: string | null;
  toAgentId: string | null;
  consultId: string | null;
}

interface FactsRow {
  seq: string;
  ticket_id: string;
  type: string;
  at: Date;
  handoff_id: string | null;
  to_agent_id: string | null;
  consult_id: string | null;
  consult_agent_id: string | null;
  consult_team_id: string | null;
  ref: string;
  team_id: string;
  owner_id: string;
  created_by_id: string | null;
  handoff_targets: string[];
  consult_agents: string[];
  consult_teams: string[];
}

/** The ticket's readers beside its team, now: pending handoff targets and open consult parties. */
const FACTS_COLUMNS = `
  t.ref, t.team_id, t.owner_id, t.created_by_id,
  ARRAY(SELECT h.to_agent_id FROM handoffs h
         WHERE h.ticket_id = t.id AND h.status = 'pending')::text[] AS handoff_targets,
  ARRAY(SELECT c.agent_id FROM consults c
         WHERE c.ticket_id = t.id AND c.status = 'open' AND c.agent_id IS NOT NULL)::text[] AS consult_agents,
  ARRAY(SELECT c.team_id FROM consults c
         WHERE c.ticket_id = t.id AND c.status = 'open' AND c.agent_id IS NULL)::text[] AS consult_teams,
  c.agent_id AS consult_agent_id, c.team_id AS consult_team_id`;

/** A uuid from the event's data, or null when absent or not a uuid (no cast error mid-stream). */
const dataUuid = (key: string) =>
  `(CASE WHEN e.data->>'${key}' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
         THEN (e.data->>'${key}')::uuid END)`;

function factsOf(row: FactsRow): TicketEventFacts {
  return {
    seq: String(row.seq),
    ticketId: row.ticket_id,
    ref: row.ref,
    teamId: row.team_id,
    ownerId: row.owner_id,
    createdById: row.created_by_id,
    type: row.type,
    at: new Date(row.at).toISOString(),
    pendingHandoffTargets: row.handoff_targets,
    openConsultAgents: row.consult_agents,
    openConsultTeams: row.consult_teams,
    ...(row.handoff_id ? { handoff: { id: row.handoff_id, toAgentId: row.to_agent_id } } : {}),
    ...(row.consult_id
      ? {
          consult: {
            id: row.consult_id,
            agentId: row.consult_agent_id,
            teamId: row.consult_team_id,
          },
        }
      : {}),
  };
}

/** Facts for one notified event (one query per event per API process, not per subscriber). */
export async function loadEventFacts(
  manager: EntityManager,
  notice: EventNotice,
): Promise<TicketEventFacts | undefined> {
  const rows: FactsRow[] = await manager.query(
    `SELECT $2::text AS seq, t.id AS ticket_id, $3::text AS type, $4::timestamptz AS at,
            $5::uuid AS handoff_id, $6::uuid AS to_agent_id, $7::uuid AS consult_id, ${FACTS_COLUMNS}
       FROM tickets t LEFT JOIN consults c ON c.id = $7::uuid
      WHERE t.id = $1`,
    [
      notice.ticketId,
      notice.seq,
      notice.type,
      notice.at,
      notice.handoffId,
      notice.toAgentId,
      notice.consultId,
    ],
  );
  return rows[0] ? factsOf(rows[0]) : undefined;
}

/** Events after `afterSeq`, oldest first, at most `limit`. */
export async function loadEventsAfter(
  manager: EntityManager,
  afterSeq: string,
  limit: number,
): Promise<TicketEventFacts[]> {
  const rows: FactsRow[] = await manager.query(
    `SELECT e.seq::text AS seq, e.ticket_id, e.type, e.at,
            ${dataUuid('handoffId')} AS handoff_id, ${dataUuid('toAgentId')} AS to_agent_id,
            ${dataUuid('consultId')} AS consult_id, ${FACTS_COLUMNS}
       FROM timeline_events e
       JOIN tickets t ON t.id = e.ticket_id
       LEFT JOIN consults c ON c.id = ${dataUuid('consultId')}
      WHERE e.seq > $1
      ORDER BY e.seq
      LIMIT $2`,
    [afterSeq, limit],
  );
  return rows.map(factsOf);
}

/** When the event with this id happened; undefined when there is none (pruned or never). */
export async function eventTimeOf(manager: EntityManager, seq: string): Promise<Date | undefined> {
  const rows: Array<{ at: Date }> = await manager.query(
    `SELECT at FROM timeline_events WHERE seq = $1`,
    [seq],
  );
  return rows[0] ? new Date(rows[0].at) : undefined;
}

/** The newest event id, where a fresh subscriber starts. */
export async function latestEventSeq(manager: EntityManager): Promise<string> {
  const rows: Array<{ seq: string | null }> = await manager.query(
    `SELECT max(seq)::text AS seq FROM timeline_events`,
  );
  return rows[0]?.seq ?? '0';
}
