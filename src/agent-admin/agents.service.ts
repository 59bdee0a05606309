import { z } from 'zod';
import type { EntityManager } from 'typeorm';
import type { ServiceContext } from '../context';
import { updateReturning } from '../db/update-returning';
import { inTransaction, pgConstraint, pgErrorCode, UNIQUE_VIOLATION } from '../db/transaction';
import { Conflict, Forbidden, InvalidInput, NotFound } from '../errors';
import { chooseAutoOwner, lockTeamAssignment } from '../ownership/assign-owner';
import { changeOwner } from '../ownership/change-owner';
import { decodeCursor, toPage, type Page } from '../pagination';
import { requireTeamForField } from '../team-admin/teams.service';
import { inTicketTransaction, type TicketTransaction } from '../tickets/locked-ticket';
import { Ticket } from '../tickets/ticket.entity';
import { endAgentSessions } from '../agents/agent-sessions';
import { recordEvent } from '../timeline/record-event';
import { isAdmin, supervisesTeam, type Actor } from '../actor';
import { Agent } from '../agents/agent.entity';
import { agentView } from './agent.view';
import type { CreateAgentInput, ListAgentsQuery, UpdateAgentInput } from './agents.input';
import { hashPassword } from '../agents/passwords';
import { generateToken, hashToken } from '../agents/tokens';

const DEFAULT_CAPACITY = 25;

export interface CreatedAgent {
  agent: Agent;
  /** Shown once, never stored. */
  token: string;
}

export async function createAgent(
  ctx: ServiceContext,
  actor: Actor,
  input: CreateAgentInput,
): Promise<CreatedAgent> {
  if (!isAdmin(actor)) throw new Forbidden('Only an admin can create agents.');
  if (input.password !== undefined && input.role === 'integration')
    throw InvalidInput.field('password', 'is for people; an integration signs in with its token');
  // An integration with a team is scoped to it (ticket-access.ts); one without a team is an
  // organisation-wide gateway (API v1 allows it), so only people need a team.
  const needsTeam = input.role === 'rep' || input.role === 'supervisor';
  if (needsTeam && !input.teamId)
    throw InvalidInput.field('teamId', `is required for a ${input.role}`);
  const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
  return inTransaction(ctx.dataSource, async (manager) => {
    if (input.teamId) await requireTeamForField(manager, input.teamId, 'teamId');
    if (input.supervisorId) await requireSupervisorForField(manager, input.supervisorId);
    const token = generateToken();
    const repo = manager.getRepository(Agent);
    try {
      const agent = await repo.save(
        repo.create({
          name: input.name,
          email: input.email,
          role: input.role,
          teamId: input.teamId ?? null,
          capacity: input.capacity ?? (input.role === 'rep' ? DEFAULT_CAPACITY : 0),
          supervisorId: input.supervisorId ?? null,
          tokenHash: hashToken(token),
          passwordHash,
        }),
      );
      return { agent, token };
    } catch (error) {
      if (pgErrorCode(error) === UNIQUE_VIOLATION && pgConstraint(error) === 'agents_email_key') {
        throw new Conflict(`An agent with email ${input.email} already exists.`);
      }
      throw error;
    }
  });
}

/** Admins see everyone; supervisors and reps their own team; anyone themselves. */
function canSee(actor: Actor, agent: Agent): boolean {
  return (
    isAdmin(actor) ||
    actor.id === agent.id ||
    (actor.teamId !== null && actor.teamId === agent.teamId)
  );
}

export async function getAgent(ctx: ServiceContext, actor: Actor, agentId: string): Promise<Agent> {
  const agent = await ctx.dataSource.getRepository(Agent).findOneBy({ id: agentId });
  if (!agent || !canSee(actor, agent)) throw new NotFound(`No agent ${agentId}.`);
  return agent;
}

const agentCursor = z.object({ n: z.string(), id: z.uuid() });

export async function listAgents(
  ctx: ServiceContext,
  actor: Actor,
  query: ListAgentsQuery,
): Promise<Page<ReturnType<typeof agentView>>> {
  const qb = ctx.dataSource
    .getRepository(Agent)
    .createQueryBuilder('a')
    .orderBy('a.name', 'ASC')
    .addOrderBy('a.id', 'ASC')
    .limit(query.limit + 1);
  if (!isAdmin(actor)) {
    if (query.teamId && query.teamId !== actor.teamId) {
      throw new Forbidden("You can list only your own team's agents.");
    }
    qb.andWhere('a.team_id = :own', { own: actor.teamId });
  }
  if (query.teamId) qb.andWhere('a.team_id = :teamId', { teamId: query.teamId });
  if (query.cursor) {
    const at = decodeCursor(query.cursor, agentCursor);
    qb.andWhere('(a.name, a.id) > (:n, :aid)', { n: at.n, aid: at.id });
  }
  const rows = await qb.getMany();
  return toPage(
    rows,
    query.limit,
    (row) => agentView(row, actor),
    (row) => ({ n: row.name, id: row.id }),
  );
}

/**
 * Admins change anything; a supervisor may set away and capacity for its team's reps; anyone may
 * mark themselves away. Deactivation hands every open ticket the agent owns to a new owner by the
 * auto-assignment rule, in the same transaction: it either all happens or none of it does.
 * Reactivation never brings the old token back to life: a new one is issued and returned once.
 */
export async function updateAgent(
  ctx: ServiceContext,
  actor: Actor,
  agentId: string,
  input: UpdateAgentInput,
): Promise<{ agent: Agent; token?: string }> {
  return inTicketTransaction(ctx, async (tx) => {
    const { manager } = tx;
    // Lock order shared with assignment: the team's assignment lock, then the agent, then tickets.
    const seen = await manager.getRepository(Agent).findOneBy({ id: agentId });
    if (seen?.teamId && input.active === false) await lockTeamAssignment(manager, seen.teamId);
    const agent = await manager
      .getRepository(Agent)
      .findOne({ where: { id: agentId }, lock: { mode: 'for_no_key_update' } });
    if (!agent || !canSee(actor, agent)) throw new NotFound(`No agent ${agentId}.`);
    assertMayUpdate(actor, agent, input);

    const deactivating = input.active === false && agent.active;
    const reactivating = input.active === true && !agent.active;
    const token = reactivating ? generateToken() : undefined;
    if (input.name !== undefined) agent.name = input.name;
    if (input.away !== undefined) agent.away = input.away;
    if (input.capacity !== undefined) agent.capacity = input.capacity;
    if (input.active !== undefined) agent.active = input.active;
    if (input.escalationDigest !== undefined) agent.escalationDigest = input.escalationDigest;
    if (input.supervisorId !== undefined) {
      if (input.supervisorId === agent.id) {
        throw InvalidInput.field('supervisorId', 'must name someone else');
      }
      if (input.supervisorId) await requireSupervisorForField(manager, input.supervisorId);
      agent.supervisorId = input.supervisorId;
    }
    await manager.getRepository(Agent).save(agent);
    if (token !== undefined) {
      await manager.getRepository(Agent).update({ id: agent.id }, { tokenHash: hashToken(token) });
    }

    if (deactivating) {
      await moveOpenTicketsAway(tx, ctx.clock.now(), agent, actor);
      await endAgentSessions(manager, agent.id);
    }
    return token === undefined ? { agent } : { agent, token };
  });
}

/** The first escalation level tells this person, so it must be an active supervisor. */
async function requireSupervisorForField(manager: EntityManager, supervisorId: string) {
  const supervisor = await manager.getRepository(Agent).findOneBy({ id: supervisorId });
  if (!supervisor || !supervisor.active || supervisor.role !== 'supervisor') {
    throw InvalidInput.field('supervisorId', 'names no active supervisor');
  }
}

function assertMayUpdate(actor: Actor, agent: Agent, input: UpdateAgentInput): void {
  if (isAdmin(actor)) return;
  const onlyAway = Object.keys(input).every((key) => key === 'away' || key === 'escalationDigest');
  if (actor.id === agent.id && onlyAway) return;
  const supervisorFields = Object.keys(input).every((key) => key === 'away' || key === 'capacity');
  if (
    agent.teamId &&
    supervisesTeam(actor, agent.teamId) &&
    agent.role === 'rep' &&
    supervisorFields
  ) {
    return;
  }
  throw new Forbidden(
    'Admins change agents; supervisors may set away and capacity for their reps; you may set your own away.',
  );
}

async function moveOpenTicketsAway(
  tx: TicketTransaction,
  now: Date,
  agent: Agent,
  actor: Actor,
): Promise<Array<{ ticket: Ticket; toAgentId: string }>> {
  const moves: Array<{ ticket: Ticket; toAgentId: string }> = [];
  const { manager } = tx;
  // Lock order: tickets first (as every ticket write does), then handoffs via changeOwner.
  const owned = await tx.lockTickets(
    `t.owner_id = :id AND t.status IN ('open', 'waiting_on_customer')`,
    { id: agent.id },
  );
  // Oldest concern first gets the first pick of the team's free reps.
  owned.sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
  for (const ticket of owned) {
    const choice = await chooseAutoOwner(manager, ticket.teamId, { excludeAgentId: agent.id });
    await changeOwner(manager, ticket, {
      toAgentId: choice.agentId,
      reason: 'deactivated',
      actorId: actor.id,
      at: now,
      note: `${agent.name} was deactivated`,
    });
    moves.push({ ticket, toAgentId: choice.agentId });
  }
  // Offers addressed to the departing agent can no longer be accepted.
  const withdrawn = await updateReturning<{ id: string; ticket_id: string }>(
    manager,
    `UPDATE handoffs SET status = 'cancelled', responded_at = $2, response_note = 'target deactivated'
      WHERE to_agent_id = $1 AND status = 'pending'
      RETURNING id, ticket_id`,
    [agent.id, now],
  );
  for (const handoff of withdrawn) {
    await recordEvent(manager, {
      ticketId: handoff.ticket_id,
      type: 'handoff_cancelled',
      at: now,
      actorId: actor.id,
      data: { handoffId: handoff.id, toAgentId: agent.id, reason: 'target deactivated' },
    });
  }
  return moves;
}

export interface DeactivationPreview {
  agentId: string;
  /** Each open ticket the agent owns and who would own it after the deactivation. */
  tickets: Array<{
    ticketId: string;
    ref: string;
    subject: string;
    to: { id: string; name: string };
  }>;
  /** Why the deactivation would be refused (nobody to take a ticket), or null. */
  blocked: string | null;
}

/** Thrown to roll a dry run back: nothing of it may stay. */
class DryRun extends Error {
  constructor(readonly outcome: DeactivationPreview) {
    super('dry run');
  }
}

/**
 * Where the agent's open tickets would go if it were deactivated now: the deactivation itself,
 * run in a transaction that is rolled back (the same assignment rule and order, nothing kept,
 * no event announced since nothing commits).
 */
export async function previewDeactivation(
  ctx: ServiceContext,
  actor: Actor,
  agentId: string,
): Promise<DeactivationPreview> {
  if (!isAdmin(actor)) throw new Forbidden('Only an admin deactivates agents.');
  try {
    await inTicketTransaction(ctx, async (tx) => {
      const { manager } = tx;
      const seen = await manager.getRepository(Agent).findOneBy({ id: agentId });
      if (!seen) throw new NotFound(`No agent ${agentId}.`);
      if (seen.teamId) await lockTeamAssignment(manager, seen.teamId);
      const agent = await manager
        .getRepository(Agent)
        .findOne({ where: { id: agentId }, lock: { mode: 'for_no_key_update' } });
      if (!agent) throw new NotFound(`No agent ${agentId}.`);
      agent.active = false;
      await manager.getRepository(Agent).save(agent);
      let moves: Array<{ ticket: Ticket; toAgentId: string }>;
      try {
        moves = await moveOpenTicketsAway(tx, ctx.clock.now(), agent, actor);
      } catch (error) {
        if (error instanceof Conflict) {
          throw new DryRun({ agentId, tickets: [], blocked: error.message });
        }
        throw error;
      }
      const targets =
        moves.length === 0
          ? []
          : await manager.getRepository(Agent).findBy(moves.map((m) => ({ id: m.toAgentId })));
      const names = new Map(targets.map((a) => [a.id, a.name]));
      throw new DryRun({
        agentId,
        blocked: null,
        tickets: moves.map((m) => ({
          ticketId: m.ticket.id,
          ref: m.ticket.ref,
          subject: m.ticket.subject,
          to: { id: m.toAgentId, name: names.get(m.toAgentId) ?? '' },
        })),
      });
    });
  } catch (error) {
    if (error instanceof DryRun) return error.outcome;
    throw error;
  }
  throw new Error('unreachable: the dry run always rolls back');
}

/** Issues a fresh token (the old one stops working at once); admins or the agent itself. */
export async function rotateToken(
  ctx: ServiceContext,
  actor: Actor,
  agentId: string,
): Promise<CreatedAgent> {
  if (!isAdmin(actor) && actor.id !== agentId) throw new NotFound(`No agent ${agentId}.`);
  return inTransaction(ctx.dataSource, async (manager) => {
    const agent = await manager.getRepository(Agent).findOneBy({ id: agentId });
    if (!agent) throw new NotFound(`No agent ${agentId}.`);
    const token = generateToken();
    await manager.getRepository(Agent).update({ id: agentId }, { tokenHash: hashToken(token) });
    return { agent, token };
  });
}

export async function openTicketCount(ctx: ServiceContext, agentId: string): Promise<number> {
  return ctx.dataSource
    .getRepository(Ticket)
    .createQueryBuilder('t')
    .where(`t.owner_id = :agentId AND t.status IN ('open', 'waiting_on_customer')`, { agentId })
    .getCount();
}
