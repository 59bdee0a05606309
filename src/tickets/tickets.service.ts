import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../agents/actor';
import { Agent } from '../agents/agent.entity';
import type { ServiceContext } from '../context';
import { requireCustomerForField } from '../customers/customers.service';
import { computeFirstResponse } from '../deadlines/deadline-policy';
import { scheduleDeadlineJobs } from '../deadlines/deadline-sync';
import { inTransaction, pgConstraint, pgErrorCode, UNIQUE_VIOLATION } from '../db/transaction';
import { Conflict, Forbidden, InvalidInput, Unauthenticated } from '../errors';
import { queueEmail } from '../notifications/queue-email';
import { chooseAutoOwner } from '../ownership/assign-owner';
import { startOwnership } from '../ownership/change-owner';
import { lockAgentForOwnership } from '../ownership/eligible-owner';
import { decodeCursor, toPage, type Page } from '../pagination';
import { calendarOf } from '../teams/calendar-of';
import { requireTeamForField } from '../teams/teams.service';
import { recordEvent } from '../timeline/record-event';
import { findReadableTicket } from './ticket-access';
import { initialDeadlineFields } from './ticket-writes';
import { Ticket } from './ticket.entity';
import { ticketView, type TicketView } from './ticket.view';
import { currentDeadlineOf } from '../deadlines/current-deadline';
import type { CreateTicketInput, ListTicketsQuery } from './tickets.input';

export interface CreatedTicket {
  ticket: Ticket;
  /** False when an Idempotency-Key matched an earlier request and that ticket is returned. */
  created: boolean;
}

/** Canonical hash of a create request, to tell a retry from a different request with the same key. */
function fingerprintOf(input: CreateTicketInput, teamId: string): string {
  const canonical = JSON.stringify({ ...input, teamId }, Object.keys({ ...input, teamId }).sort());
  return createHash('sha256').update(canonical).digest('hex');
}

async function findByIdempotencyKey(
  manager: EntityManager,
  actor: Actor,
  key: string,
  fingerprint: string,
): Promise<Ticket | null> {
  const found = await manager
    .getRepository(Ticket)
    .createQueryBuilder('t')
    .addSelect('t.idempotencyFingerprint')
    .where('t.created_by_id = :actorId AND t.idempotency_key = :key', { actorId: actor.id, key })
    .getOne();
  if (!found) return null;
  if (found.idempotencyFingerprint !== fingerprint) {
    throw new Conflict(
      'This Idempotency-Key was already used with a different request body; use a new key.',
    );
  }
  return found;
}

function resolveTeamId(actor: Actor, input: CreateTicketInput): string {
  const teamId = input.teamId ?? actor.teamId;
  if (!teamId)
    throw InvalidInput.field('teamId', `is required when a ${actor.role} creates a ticket`);
  if ((actor.role === 'rep' || actor.role === 'supervisor') && teamId !== actor.teamId) {
    throw new Forbidden(
      'You can create tickets only in your own team; consult the other team instead.',
    );
  }
  return teamId;
}

/**
 * Takes in a concern. A rep who creates it owns it; anything else (integration, web form, a
 * supervisor or admin logging it) is assigned by the auto-assignment rule. The ticket, its first
 * ownership period, its timeline and the customer's acknowledgement email commit together.
 */
export async function createTicket(
  ctx: ServiceContext,
  actor: Actor,
  input: CreateTicketInput,
  idempotencyKey?: string,
): Promise<CreatedTicket> {
  const teamId = resolveTeamId(actor, input);
  const fingerprint = fingerprintOf(input, teamId);
  if (idempotencyKey) {
    const earlier = await findByIdempotencyKey(
      ctx.dataSource.manager,
      actor,
      idempotencyKey,
      fingerprint,
    );
    if (earlier) return { ticket: earlier, created: false };
  }
  try {
    const ticket = await inTransaction(ctx.dataSource, (manager) =>
      insertTicket(ctx, manager, actor, input, teamId, idempotencyKey, fingerprint),
    );
    await scheduleDeadlineJobs(ctx, [ticket]);
    return { ticket, created: true };
  } catch (error) {
    // A parallel request with the same key won the race: answer with its ticket.
    if (
      idempotencyKey &&
      pgErrorCode(error) === UNIQUE_VIOLATION &&
      pgConstraint(error) === 'tickets_idempotency_key'
    ) {
      const winner = await findByIdempotencyKey(
        ctx.dataSource.manager,
        actor,
        idempotencyKey,
        fingerprint,
      );
      if (winner) return { ticket: winner, created: false };
    }
    throw error;
  }
}

async function insertTicket(
  ctx: ServiceContext,
  manager: EntityManager,
  actor: Actor,
  input: CreateTicketInput,
  teamId: string,
  idempotencyKey: string | undefined,
  fingerprint: string,
): Promise<Ticket> {
  const team = await requireTeamForField(manager, teamId, 'teamId');
  const customer = await requireCustomerForField(manager, input.customerId, 'customerId');
  const now = ctx.clock.now();
  const firstResponse = computeFirstResponse(now, calendarOf(team), team.policy, customer.tier);
  const firstResponseDueAt = new Date(firstResponse.dueAt);
  if (actor.role === 'rep') {
    // A rep being deactivated right now must not end up owning a new ticket.
    const creator = await lockAgentForOwnership(manager, actor.id);
    if (!creator?.active) throw new Unauthenticated('Your account has been deactivated.');
  }
  const assignment =
    actor.role === 'rep'
      ? { agentId: actor.id, rule: 'creator' as const }
      : await chooseAutoOwner(manager, team.id);

  const repo = manager.getRepository(Ticket);
  const inserted = await repo.insert({
    customerId: customer.id,
    teamId: team.id,
    ownerId: assignment.agentId,
    createdById: actor.id,
    subject: input.subject,
    description: input.description,
    channel: input.channel,
    category: input.category ?? null,
    priority: input.priority ?? 'normal',
    status: 'open',
    receivedAt: now,
    responseClockStartedAt: now,
    firstResponseDueAt,
    firstResponseBasis: firstResponse,
    ...initialDeadlineFields(team, firstResponseDueAt),
    idempotencyKey: idempotencyKey ?? null,
    idempotencyFingerprint: idempotencyKey ? fingerprint : null,
    createdAt: now,
    updatedAt: now,
  });
  const ticket = await repo.findOneByOrFail({ id: inserted.identifiers[0]!.id as string });

  await startOwnership(
    manager,
    ticket,
    assignment.rule === 'creator' ? 'created' : 'auto_assigned',
    actor.id,
    now,
  );
  await recordEvent(manager, {
    ticketId: ticket.id,
    type: 'created',
    at: now,
    actorId: actor.id,
    data: {
      ref: ticket.ref,
      channel: ticket.channel,
      ownerId: ticket.ownerId,
      assignment: assignment.rule,
      firstResponseDueAt: ticket.firstResponseDueAt?.toISOString() ?? null,
    },
  });
  const owner = await manager.getRepository(Agent).findOneByOrFail({ id: ticket.ownerId });
  await queueEmail(manager, {
    key: `ticket:${ticket.id}:acknowledgement`,
    template: 'ticket_acknowledgement',
    toAddress: customer.email,
    ticketId: ticket.id,
    customerId: customer.id,
    payload: {
      ticketRef: ticket.ref,
      subject: ticket.subject,
      customerName: customer.name,
      locale: customer.locale,
      ownerName: owner.name,
      firstResponseDueAt: ticket.firstResponseDueAt?.toISOString() ?? null,
      timezone: team.timezone,
    },
    at: now,
    actorId: actor.id,
  });
  return ticket;
}

export async function getTicket(
  ctx: ServiceContext,
  actor: Actor,
  idOrRef: string,
): Promise<Ticket> {
  return findReadableTicket(ctx.dataSource.manager, actor, idOrRef);
}

const listCursor = z.object({ r: z.iso.datetime({ offset: true }), id: z.uuid() });

/** Team members list their team's tickets; admins and integrations any team's. Newest first. */
export async function listTickets(
  ctx: ServiceContext,
  actor: Actor,
  query: ListTicketsQuery,
): Promise<Page<TicketView>> {
  const qb = ctx.dataSource
    .getRepository(Ticket)
    .createQueryBuilder('t')
    .orderBy('t.received_at', 'DESC')
    .addOrderBy('t.id', 'DESC')
    .limit(query.limit + 1);

  if (actor.role === 'integration') {
    // An integration sees the tickets it brought in, never other teams' queues.
    qb.andWhere('t.created_by_id = :creator', { creator: actor.id });
  } else if (actor.role !== 'admin') {
    if (query.teamId && query.teamId !== actor.teamId) {
      throw new Forbidden("You can list only your own team's tickets.");
    }
    qb.andWhere('t.team_id = :ownTeam', { ownTeam: actor.teamId });
  }
  if (query.teamId) qb.andWhere('t.team_id = :teamId', { teamId: query.teamId });
  if (query.ownerId) qb.andWhere('t.owner_id = :ownerId', { ownerId: query.ownerId });
  if (query.customerId)
    qb.andWhere('t.customer_id = :customerId', { customerId: query.customerId });
  if (query.status) qb.andWhere('t.status IN (:...statuses)', { statuses: query.status });
  if (query.overdue !== undefined) {
    // deadline_due_at is the current deadline, generated by Postgres (see current-deadline.ts).
    const overdue = `t.deadline_due_at < :now`;
    qb.andWhere(query.overdue ? overdue : `(${overdue}) IS NOT TRUE`, { now: ctx.clock.now() });
  }
  if (query.cursor) {
    const at = decodeCursor(query.cursor, listCursor);
    qb.andWhere('(t.received_at, t.id) < (:r, :cid)', { r: at.r, cid: at.id });
  }
  const rows = await qb.getMany();
  return toPage(rows, query.limit, ticketView, (row) => ({
    r: row.receivedAt.toISOString(),
    id: row.id,
  }));
}

const queueCursor = z.object({
  due: z.union([z.literal('infinity'), z.iso.datetime({ offset: true })]),
  id: z.uuid(),
});
const EFFECTIVE_DUE = `COALESCE(t.deadline_due_at, 'infinity'::timestamptz)`;

/** The caller's open owned tickets, the one due soonest first (paused ones last). */
export async function listMyQueue(
  ctx: ServiceContext,
  actor: Actor,
  page: { limit: number; cursor?: string | undefined },
): Promise<Page<TicketView & { currentDeadline: { kind: string; dueAt: string } | null }>> {
  const qb = ctx.dataSource
    .getRepository(Ticket)
    .createQueryBuilder('t')
    .addSelect(`${EFFECTIVE_DUE}`, 'effective_due')
    .where('t.owner_id = :me', { me: actor.id })
    .andWhere(`t.status IN ('open', 'waiting_on_customer')`)
    .orderBy('effective_due', 'ASC')
    .addOrderBy('t.id', 'ASC')
    .limit(page.limit + 1);
  if (page.cursor) {
    const at = decodeCursor(page.cursor, queueCursor);
    qb.andWhere(`(${EFFECTIVE_DUE}, t.id) > (:due::timestamptz, :cid)`, {
      due: at.due,
      cid: at.id,
    });
  }
  const { entities, raw } = await qb.getRawAndEntities<{ effective_due: Date | number }>();
  const dueById = new Map(entities.map((ticket, i) => [ticket.id, raw[i]?.effective_due]));
  return toPage(
    entities,
    page.limit,
    (ticket) => {
      const current = currentDeadlineOf(ticket);
      return {
        ...ticketView(ticket),
        currentDeadline: current
          ? { kind: current.kind, dueAt: current.dueAt.toISOString() }
          : null,
      };
    },
    (ticket) => {
      const due = dueById.get(ticket.id);
      return {
        // Paused tickets sort last with an 'infinity' due time (pg hands it back as Infinity).
        due: due instanceof Date ? due.toISOString() : 'infinity',
        id: ticket.id,
      };
    },
  );
}
