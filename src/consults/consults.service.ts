import { z } from 'zod';
import { instant } from '../common-input';
import type { EntityManager } from 'typeorm';
import { supervisesTeam, type Actor } from '../actor';
import { Agent } from '../agents/agent.entity';
import type { ServiceContext } from '../context';
import { closeOfArrivalBusinessDay } from '../deadline-rules/calendar';
import { Conflict, Forbidden, InvalidInput, NotFound } from '../errors';
import { emailStaffAboutTicket } from '../notifications/email-staff';
import { decodeCursor, toPage, type Page } from '../pagination';
import { calendarOf } from '../teams/calendar-of';
import { Team } from '../teams/team.entity';
import { inTicketTransaction, withLockedTicket } from '../tickets/locked-ticket';
import { assertOwner } from '../tickets/ticket-access';
import { Ticket } from '../tickets/ticket.entity';
import { recordEvent } from '../timeline/record-event';
import { Consult } from './consult.entity';
import { consultView } from './consult.view';
import type {
  AnswerConsultInput,
  AskConsultInput,
  CancelConsultInput,
  MyConsultsQuery,
} from './consults.input';

/**
 * The owner pulls another silo in without giving the concern away: a consult asks an agent or a
 * team, with its own due time (default: the close of the consulted team's business day).
 * The consulted party may read the ticket while the consult is open, never change its owner.
 * The owner or a supervisor of the ticket's team may cancel it; resolving the ticket cancels it.
 */
export async function askConsult(
  ctx: ServiceContext,
  actor: Actor,
  ticketId: string,
  input: AskConsultInput,
  ifMatch?: number,
): Promise<Consult> {
  return withLockedTicket(ctx, actor, ticketId, ifMatch, async ({ manager, ticket, now }) => {
    assertOwner(actor, ticket, 'consult others on it');
    if (ticket.status !== 'open' && ticket.status !== 'waiting_on_customer') {
      throw new Conflict(`Ticket ${ticket.ref} is ${ticket.status}; reopen it to consult on it.`);
    }
    const { agent, team } = await consultedParty(manager, ticket, input);
    const dueAt = input.dueAt
      ? new Date(input.dueAt)
      : closeOfArrivalBusinessDay(now, calendarOf(team)).at;
    if (dueAt <= now) throw InvalidInput.field('dueAt', 'must be in the future');

    const repo = manager.getRepository(Consult);
    const consult = await repo.save(
      repo.create({
        ticketId: ticket.id,
        askedById: actor.id,
        agentId: agent?.id ?? null,
        teamId: team.id,
        question: input.question,
        dueAt,
        status: 'open',
        answer: null,
        answeredById: null,
        answeredAt: null,
        remindedAt: null,
        overdueAt: null,
        createdAt: now,
      }),
    );
    await recordEvent(manager, {
      ticketId: ticket.id,
      type: 'consult_asked',
      at: now,
      actorId: actor.id,
      data: {
        consultId: consult.id,
        agentId: consult.agentId,
        teamId: team.id,
        question: input.question,
        dueAt: dueAt.toISOString(),
      },
    });
    await emailStaffAboutTicket(manager, ticket, await consultedRecipients(manager, consult), {
      template: 'consult_asked',
      key: (agent) => `consult:${consult.id}:asked:${agent.id}`,
      payload: { question: input.question, dueAt: dueAt.toISOString(), timezone: team.timezone },
      at: now,
    });
    return consult;
  });
}

async function consultedParty(
  manager: EntityManager,
  ticket: Ticket,
  input: AskConsultInput,
): Promise<{ agent: Agent | null; team: Team }> {
  if (input.agentId) {
    const agent = await manager.getRepository(Agent).findOneBy({ id: input.agentId });
    if (!agent || !agent.active || agent.role === 'integration' || !agent.teamId) {
      throw InvalidInput.field('agentId', 'names no active agent of a team');
    }
    if (agent.id === ticket.ownerId)
      throw InvalidInput.field('agentId', 'is the owner; consult someone else');
    return { agent, team: await manager.getRepository(Team).findOneByOrFail({ id: agent.teamId }) };
  }
  const team = await manager.getRepository(Team).findOneBy({ id: input.teamId! });
  if (!team) throw InvalidInput.field('teamId', 'names no existing team');
  return { agent: null, team };
}

/** The consulted agent, or the consulted team's active supervisors and reps. */
export async function consultedRecipients(
  manager: EntityManager,
  consult: Pick<Consult, 'agentId' | 'teamId'>,
): Promise<Agent[]> {
  const repo = manager.getRepository(Agent);
  if (consult.agentId) return repo.findBy({ id: consult.agentId });
  return repo
    .createQueryBuilder('a')
    .where(`a.team_id = :teamId AND a.active AND a.role IN ('rep', 'supervisor')`, {
      teamId: consult.teamId,
    })
    .getMany();
}

/** Whom a consult names: the consulted agent, or a rep or supervisor of the consulted team. */
export function isConsulted(actor: Actor, consult: Consult): boolean {
  if (consult.agentId) return consult.agentId === actor.id;
  return (actor.role === 'rep' || actor.role === 'supervisor') && actor.teamId === consult.teamId;
}

/** Only the consulted party answers, and never the ticket's owner (it asked). */
export function mayAnswer(actor: Actor, consult: Consult, ticket: Ticket): boolean {
  return isConsulted(actor, consult) && actor.id !== ticket.ownerId;
}

/** The owner, the asker, the consulted party, the ticket team's supervisors and admins see it. */
function maySee(actor: Actor, consult: Consult, ticket: Ticket): boolean {
  return (
    isConsulted(actor, consult) ||
    actor.id === consult.askedById ||
    actor.id === ticket.ownerId ||
    supervisesTeam(actor, ticket.teamId)
  );
}

export async function answerConsult(
  ctx: ServiceContext,
  actor: Actor,
  consultId: string,
  input: AnswerConsultInput,
): Promise<Consult> {
  return inTicketTransaction(ctx, async (tx) => {
    const { manager } = tx;
    // Ticket row first, then the consult: the lock order of every ticket write.
    const locked = await tx.lockRowOfTicket(Consult, consultId);
    if (!locked) throw new NotFound(`No consult ${consultId}.`);
    const { ticket, row: consult } = locked;
    if (!mayAnswer(actor, consult, ticket)) {
      if (maySee(actor, consult, ticket))
        throw new Forbidden('Only the consulted agent or team answers a consult.');
      throw new NotFound(`No consult ${consultId}.`);
    }
    if (consult.status !== 'open')
      throw new Conflict(`This consult was already ${consult.status}.`);
    const now = ctx.clock.now();
    consult.status = 'answered';
    consult.answer = input.answer;
    consult.answeredById = actor.id;
    consult.answeredAt = now;
    await manager.getRepository(Consult).save(consult);
    await recordEvent(manager, {
      ticketId: ticket.id,
      type: 'consult_answered',
      at: now,
      actorId: actor.id,
      data: { consultId: consult.id, answer: input.answer, late: now > consult.dueAt },
    });
    const owner = await manager.getRepository(Agent).findOneByOrFail({ id: ticket.ownerId });
    await emailStaffAboutTicket(manager, ticket, [owner], {
      template: 'consult_answered',
      key: () => `consult:${consult.id}:answered`,
      payload: { answer: input.answer },
      at: now,
    });
    return consult;
  });
}

/**
 * The owner, or a supervisor of the ticket's team, calls a consult off: it ends, and with it the
 * consulted party's access to the ticket; the consulted party is told.
 */
export async function cancelConsult(
  ctx: ServiceContext,
  actor: Actor,
  consultId: string,
  input: CancelConsultInput,
): Promise<Consult> {
  return inTicketTransaction(ctx, async (tx) => {
    const locked = await tx.lockRowOfTicket(Consult, consultId);
    if (!locked) throw new NotFound(`No consult ${consultId}.`);
    const { ticket, row: consult } = locked;
    if (actor.id !== ticket.ownerId && !supervisesTeam(actor, ticket.teamId)) {
      if (maySee(actor, consult, ticket))
        throw new Forbidden(
          "Only the ticket's owner or a supervisor of its team cancels a consult.",
        );
      throw new NotFound(`No consult ${consultId}.`);
    }
    if (consult.status !== 'open')
      throw new Conflict(`This consult was already ${consult.status}.`);
    await endConsult(tx.manager, ticket, consult, {
      actorId: actor.id,
      at: ctx.clock.now(),
      reason: input.reason ?? null,
    });
    return consult;
  });
}

/**
 * Resolving a ticket cancels its open consults (in the resolution's transaction, the ticket row
 * already locked): the consulted parties are told and no longer read the ticket.
 */
export async function cancelOpenConsults(
  manager: EntityManager,
  ticket: Ticket,
  at: Date,
  actorId: string,
  reason: string,
): Promise<void> {
  const open = await manager.getRepository(Consult).find({
    where: { ticketId: ticket.id, status: 'open' },
    order: { createdAt: 'ASC' },
    lock: { mode: 'for_no_key_update' },
  });
  for (const consult of open) await endConsult(manager, ticket, consult, { actorId, at, reason });
}

async function endConsult(
  manager: EntityManager,
  ticket: Ticket,
  consult: Consult,
  end: { actorId: string; at: Date; reason: string | null },
): Promise<void> {
  consult.status = 'cancelled';
  consult.cancelledAt = end.at;
  consult.cancelledById = end.actorId;
  await manager.getRepository(Consult).save(consult);
  await recordEvent(manager, {
    ticketId: ticket.id,
    type: 'consult_cancelled',
    at: end.at,
    actorId: end.actorId,
    data: {
      consultId: consult.id,
      agentId: consult.agentId,
      teamId: consult.teamId,
      ...(end.reason ? { reason: end.reason } : {}),
    },
  });
  await emailStaffAboutTicket(manager, ticket, await consultedRecipients(manager, consult), {
    template: 'consult_cancelled',
    key: (agent) => `consult:${consult.id}:cancelled:${agent.id}`,
    payload: { question: consult.question, reason: end.reason },
    at: end.at,
  });
}

/** The owner, the consulted party, the ticket team's supervisors and admins see a consult. */
export async function getConsult(
  ctx: ServiceContext,
  actor: Actor,
  consultId: string,
): Promise<Consult> {
  const consult = await ctx.dataSource.getRepository(Consult).findOneBy({ id: consultId });
  if (!consult) throw new NotFound(`No consult ${consultId}.`);
  const ticket = await ctx.dataSource
    .getRepository(Ticket)
    .findOneByOrFail({ id: consult.ticketId });
  if (!maySee(actor, consult, ticket)) throw new NotFound(`No consult ${consultId}.`);
  return consult;
}

export async function listTicketConsults(
  ctx: ServiceContext,
  ticketId: string,
): Promise<Consult[]> {
  return ctx.dataSource
    .getRepository(Consult)
    .find({ where: { ticketId }, order: { createdAt: 'ASC' } });
}

const consultCursor = z.object({ d: instant(), id: z.uuid() });

export async function listMyConsults(
  ctx: ServiceContext,
  actor: Actor,
  query: MyConsultsQuery,
): Promise<Page<ReturnType<typeof consultView>>> {
  const qb = ctx.dataSource
    .getRepository(Consult)
    .createQueryBuilder('c')
    .innerJoinAndMapOne('c.ticket', Ticket, 't', 't.id = c.ticket_id')
    .where('c.status = :status', { status: query.status })
    .orderBy('c.due_at', 'ASC')
    .addOrderBy('c.id', 'ASC')
    .take(query.limit + 1);
  if (query.direction === 'outgoing') {
    qb.andWhere('c.asked_by_id = :me', { me: actor.id });
  } else {
    qb.andWhere('(c.agent_id = :me OR (c.agent_id IS NULL AND c.team_id = :team))', {
      me: actor.id,
      team: actor.teamId,
    });
  }
  if (query.cursor) {
    const at = decodeCursor(query.cursor, consultCursor);
    qb.andWhere('(c.due_at, c.id) > (:d, :cid)', { d: at.d, cid: at.id });
  }
  const rows = (await qb.getMany()) as Array<Consult & { ticket: Ticket }>;
  return toPage(
    rows,
    query.limit,
    (row) => consultView(row, row.ticket),
    (row) => ({ d: row.dueAt.toISOString(), id: row.id }),
  );
}
