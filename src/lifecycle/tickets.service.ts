import { createHash } from 'node:crypto';
import { instant } from '../common-input';
import { z } from 'zod';
import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import type { Actor } from '../actor';
import { Agent } from '../agents/agent.entity';
import type { ServiceContext } from '../context';
import { Customer } from '../customers/customer.entity';
import { computeFirstResponse } from '../deadline-rules/deadline-policy';
import { pgConstraint, pgErrorCode, UNIQUE_VIOLATION } from '../db/transaction';
import { Conflict, Forbidden, InvalidInput, Unauthenticated } from '../errors';
import { queueEmail } from '../notifications/queue-email';
import { chooseAutoOwner } from '../ownership/assign-owner';
import { startOwnership } from '../ownership/change-owner';
import { lockAgentForOwnership } from '../ownership/eligible-owner';
import { decodeCursor, toPage, type Page } from '../pagination';
import { calendarOf } from '../teams/calendar-of';
import { Team } from '../teams/team.entity';
import { hydrate, insertReturning, selectColumns } from '../db/insert-returning';
import { recordEvent } from '../timeline/record-event';
import { inTicketTransaction } from '../tickets/locked-ticket';
import { initialDeadlineFields } from '../tickets/ticket-writes';
import { Ticket } from '../tickets/ticket.entity';
import { customersOf, ticketListItem, type TicketListItem } from '../tickets/ticket-list-item';
import { searchMatch } from '../tickets/ticket-search';
import { readQueuePage } from '../tickets/queue-page.queries';
import type { CreateTicketInput, ListTicketsQuery } from '../tickets/tickets.input';

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
  if (actor.role === 'integration' && actor.teamId !== null && teamId !== actor.teamId) {
    throw new Forbidden('An integration creates tickets only in its own team.');
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
  options: Pick<InsertOptions, 'acknowledgement'> = {},
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
    // The ticket transaction schedules the new deadline's enforcement after the commit.
    const ticket = await inTicketTransaction(ctx, async (tx) => {
      const inserted = await insertTicket(
        ctx,
        tx.manager,
        actor,
        input,
        teamId,
        idempotencyKey,
        fingerprint,
        options,
      );
      tx.created(inserted);
      return inserted;
    });
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

/** How a ticket created for a reason other than a request is owned and linked (follow-ups). */
export interface InsertOptions {
  assignment?: {
    agentId: string;
    rule: 'creator' | 'least_loaded_rep' | 'supervisor_fallback' | 'previous_owner';
  };
  followUpOfId?: string;
  /**
   * `hourly_per_sender`: no acknowledgement when this address got one within the last hour
   * (mail-borne tickets: a forged sender must not turn us into a backscatter relay).
   */
  acknowledgement?: 'always' | 'hourly_per_sender';
}

const HOUR_MS = 3_600_000;

/** Whether the customer's address is owed an acknowledgement now (serialised per address). */
async function mayAcknowledge(
  manager: EntityManager,
  address: string,
  rule: InsertOptions['acknowledgement'],
  now: Date,
): Promise<boolean> {
  if (rule !== 'hourly_per_sender') return true;
  await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
    `acknowledgement:${address.toLowerCase()}`,
  ]);
  const recent: unknown[] = await manager.query(
    `SELECT 1 FROM outbox_emails
      WHERE template = 'ticket_acknowledgement' AND lower(to_address) = lower($1)
        AND created_at > $2
      LIMIT 1`,
    [address, new Date(now.getTime() - HOUR_MS)],
  );
  return recent.length === 0;
}

/**
 * Inserts a ticket, its first ownership period, its timeline and the acknowledgement, in as few
 * round trips as the rules allow: team and customer in one read, the owner chosen and locked in
 * one statement (its name comes with it), the ticket from INSERT ... RETURNING, the email and
 * its timeline event in one statement.
 */
export async function insertTicket(
  ctx: ServiceContext,
  manager: EntityManager,
  actor: Actor,
  input: CreateTicketInput,
  teamId: string,
  idempotencyKey: string | undefined,
  fingerprint: string,
  options: InsertOptions & { ownerName?: string } = {},
): Promise<Ticket> {
  const { team, customer } = await requireTeamAndCustomer(manager, teamId, input.customerId);
  const now = ctx.clock.now();
  const firstResponse = computeFirstResponse(now, calendarOf(team), team.policy, customer.tier);
  const firstResponseDueAt = new Date(firstResponse.dueAt);
  let assignment: NonNullable<InsertOptions['assignment']> & { name?: string };
  if (options.assignment) {
    assignment = { ...options.assignment, name: options.ownerName };
  } else if (actor.role === 'rep') {
    // A rep being deactivated right now must not end up owning a new ticket.
    const creator = await lockAgentForOwnership(manager, actor.id);
    if (!creator?.active) throw new Unauthenticated('Your account has been deactivated.');
    assignment = { agentId: actor.id, rule: 'creator', name: creator.name };
  } else {
    assignment = await chooseAutoOwner(manager, team.id);
  }

  const ticket = await insertReturning(manager, Ticket, {
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
    followUpOfId: options.followUpOfId ?? null,
    createdAt: now,
    updatedAt: now,
  });

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
      ...(options.followUpOfId ? { followUpOfId: options.followUpOfId } : {}),
      firstResponseDueAt: ticket.firstResponseDueAt?.toISOString() ?? null,
    },
  });
  if (!(await mayAcknowledge(manager, customer.email, options.acknowledgement, now))) {
    return ticket;
  }
  const ownerName =
    assignment.name ??
    (await manager.getRepository(Agent).findOneByOrFail({ id: ticket.ownerId })).name;
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
      ownerName,
      firstResponseDueAt: ticket.firstResponseDueAt?.toISOString() ?? null,
      timezone: team.timezone,
    },
    at: now,
    actorId: actor.id,
  });
  return ticket;
}

/** The team and the customer of a new ticket, in one read; 400 naming the field if missing. */
async function requireTeamAndCustomer(
  manager: EntityManager,
  teamId: string,
  customerId: string,
): Promise<{ team: Team; customer: Customer }> {
  // Hand-written: every create reads these, and TypeORM's query building showed in its profile.
  const [row]: Array<Record<string, unknown>> = await manager.query(
    `SELECT ${selectColumns(manager, Team, 'tm', 'team__')},
            ${selectColumns(manager, Customer, 'c', 'customer__')}
       FROM teams tm LEFT JOIN customers c ON c.id = $2
      WHERE tm.id = $1`,
    [teamId, customerId],
  );
  if (!row) throw InvalidInput.field('teamId', 'names no existing team');
  if (row.customer__id === null)
    throw InvalidInput.field('customerId', 'names no existing customer');
  return {
    team: hydrate(manager, Team, row, 'team__'),
    customer: hydrate(manager, Customer, row, 'customer__'),
  };
}

const listCursor = z.object({ r: instant(), id: z.uuid() });
/** Ranked search results page by position: ranks are floats, unfit for keyset cursors. */
const searchCursor = z.object({ o: z.number().int().min(0).max(10_000) });

/**
 * Team members list their team's tickets; admins any team's; integrations the tickets they
 * brought in. Newest first, or with `q` ranked by relevance (best first).
 */
export async function listTickets(
  ctx: ServiceContext,
  actor: Actor,
  query: ListTicketsQuery,
): Promise<Page<TicketListItem>> {
  const qb = ctx.dataSource
    .getRepository(Ticket)
    .createQueryBuilder('t')
    .limit(query.limit + 1);
  const match = query.q ? searchMatch(actor.role !== 'integration') : undefined;
  if (match) {
    qb.innerJoin('ticket_search', 's', 's.ticket_id = t.id')
      .andWhere(match.where)
      .setParameter('q', query.q);
  }
  // The search index leads with the team: name it there too, so one team's part is read.
  const teamColumn = match ? 's.team_id' : 't.team_id';

  if (actor.role === 'integration') {
    // An integration sees the tickets it brought in, never other teams' queues.
    qb.andWhere('t.created_by_id = :creator', { creator: actor.id });
  } else if (actor.role !== 'admin') {
    if (query.teamId && query.teamId !== actor.teamId) {
      throw new Forbidden("You can list only your own team's tickets.");
    }
    qb.andWhere(`${teamColumn} = :ownTeam`, { ownTeam: actor.teamId });
  }
  if (query.teamId) qb.andWhere(`${teamColumn} = :teamId`, { teamId: query.teamId });
  if (query.ownerId) qb.andWhere('t.owner_id = :ownerId', { ownerId: query.ownerId });
  if (query.customerId)
    qb.andWhere('t.customer_id = :customerId', { customerId: query.customerId });
  if (query.status) qb.andWhere('t.status IN (:...statuses)', { statuses: query.status });
  if (query.overdue !== undefined) {
    // deadline_due_at is the current deadline, generated by Postgres (see current-deadline.ts).
    const overdue = `t.deadline_due_at < :now`;
    qb.andWhere(query.overdue ? overdue : `(${overdue}) IS NOT TRUE`, { now: ctx.clock.now() });
  }

  if (match) {
    const offset = query.cursor ? decodeCursor(query.cursor, searchCursor).o : 0;
    // Without ticket-level filters the candidates come from the search table alone: joining
    // each of up to SEARCH_CANDIDATES matches to its ticket row is what makes a search slow.
    const ticketLevel =
      actor.role === 'integration' ||
      query.ownerId !== undefined ||
      query.customerId !== undefined ||
      query.status !== undefined ||
      query.overdue !== undefined;
    const team = query.teamId ?? (actor.role === 'admin' ? undefined : actor.teamId);
    const candidates = ticketLevel
      ? qb.clone().select('t.id', 'id').addSelect('t.received_at', 'received_at')
      : indexOnlyCandidates(ctx, match.where, query.q!, team);
    const rows = await rankedSearchRows(
      ctx,
      candidates.addSelect(match.rank, 'search_rank'),
      offset,
      query.limit + 1,
    );
    const customers = await customersOf(ctx.dataSource.manager, rows);
    const page = toPage(
      rows,
      query.limit,
      (row) => ticketListItem(row, customers),
      () => ({ o: offset + query.limit }),
    );
    return page;
  }
  qb.orderBy('t.received_at', 'DESC').addOrderBy('t.id', 'DESC');
  if (query.cursor) {
    const at = decodeCursor(query.cursor, listCursor);
    qb.andWhere('(t.received_at, t.id) < (:r, :cid)', { r: at.r, cid: at.id });
  }
  const rows = await qb.getMany();
  const customers = await customersOf(ctx.dataSource.manager, rows);
  return toPage(
    rows,
    query.limit,
    (row) => ticketListItem(row, customers),
    (row) => ({ r: row.receivedAt.toISOString(), id: row.id }),
  );
}

/**
 * Ranks at most this many matches of one search. A word in most tickets would otherwise make
 * every search rank (and read) all of them; past this many, the caller narrows the search.
 */
export const SEARCH_CANDIDATES = 1000;

/** Candidates straight from ticket_search, filtered by team only. */
function indexOnlyCandidates(
  ctx: ServiceContext,
  where: string,
  q: string,
  teamId: string | null | undefined,
): SelectQueryBuilder<object> {
  const candidates = ctx.dataSource
    .createQueryBuilder()
    .from('ticket_search', 's')
    .select('s.ticket_id', 'id')
    .addSelect(`'-infinity'::timestamptz`, 'received_at')
    .where(where)
    .setParameter('q', q);
  if (teamId !== undefined) candidates.andWhere('s.team_id = :team', { team: teamId });
  return candidates;
}

/**
 * The matches of a search, best first: the first SEARCH_CANDIDATES matches found by the index
 * are ranked (the scan stops there), then one page of them is loaded.
 */
async function rankedSearchRows(
  ctx: ServiceContext,
  candidates: SelectQueryBuilder<object>,
  offset: number,
  take: number,
): Promise<Ticket[]> {
  const [sql, parameters] = candidates.limit(SEARCH_CANDIDATES).getQueryAndParameters();
  const ranked: Array<{ id: string }> = await ctx.dataSource.query(
    `SELECT id FROM (${sql}) candidates
      ORDER BY search_rank DESC, received_at DESC, id DESC
      OFFSET ${Math.trunc(offset)} LIMIT ${Math.trunc(take)}`,
    parameters,
  );
  if (ranked.length === 0) return [];
  const ids = ranked.map((row) => row.id);
  const tickets = await ctx.dataSource
    .getRepository(Ticket)
    .createQueryBuilder('t')
    .where('t.id IN (:...ids)', { ids })
    .getMany();
  const byId = new Map(tickets.map((ticket) => [ticket.id, ticket]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

const queueCursor = z.object({
  due: z.union([z.literal('infinity'), instant()]),
  id: z.uuid(),
});

/** The caller's open owned tickets, the one due soonest first (paused ones last). */
export async function listMyQueue(
  ctx: ServiceContext,
  actor: Actor,
  page: { limit: number; cursor?: string | undefined },
): Promise<Page<TicketListItem>> {
  const after = page.cursor ? decodeCursor(page.cursor, queueCursor) : undefined;
  const rows = await readQueuePage(ctx.dataSource, actor.id, page.limit + 1, after);
  return toPage(
    rows,
    page.limit,
    (row) => row.item,
    (row) => ({ ...row.position }),
  );
}
