import { z } from 'zod';
import { instant } from '../common-input';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../actor';
import { Agent } from '../agents/agent.entity';
import { queueEmail } from '../notifications/queue-email';
import type { ServiceContext } from '../context';
import { inTransaction } from '../db/transaction';
import { Conflict, Forbidden, InvalidInput, NotFound } from '../errors';
import { decodeCursor, toPage, type Page } from '../pagination';
import {
  inTicketTransaction,
  withLockedTicket,
  type TicketTransaction,
} from '../tickets/locked-ticket';
import { assertOwner } from '../tickets/ticket-access';
import { Ticket } from '../tickets/ticket.entity';
import { addBusinessMinutes } from '../deadline-rules/calendar';
import { calendarOf } from '../teams/calendar-of';
import { recordEvent } from '../timeline/record-event';
import { changeOwner } from './change-owner';
import { lockAgentForOwnership, requireEligibleOwner } from './eligible-owner';
import { Handoff } from './handoff.entity';
import { handoffView } from './handoff.view';
import type { AnswerHandoffInput, MyHandoffsQuery, OfferHandoffInput } from './ownership.input';

/** The owner offers the ticket to a named colleague; nothing moves until they accept. */
export async function offerHandoff(
  ctx: ServiceContext,
  actor: Actor,
  ticketId: string,
  input: OfferHandoffInput,
  ifMatch?: number,
): Promise<Handoff> {
  return withLockedTicket(ctx, actor, ticketId, ifMatch, async ({ manager, ticket, now, team }) => {
    assertOwner(actor, ticket, 'offer it to someone else');
    if (ticket.status !== 'open' && ticket.status !== 'waiting_on_customer') {
      throw new Conflict(
        `Ticket ${ticket.ref} is ${ticket.status}; only open tickets can be handed off.`,
      );
    }
    if (input.toAgentId === ticket.ownerId) {
      throw InvalidInput.field('toAgentId', 'already owns the ticket');
    }
    await requireEligibleOwner(manager, ticket, input.toAgentId, 'toAgentId', { allowAway: false });
    const pending = await manager
      .getRepository(Handoff)
      .findOneBy({ ticketId: ticket.id, status: 'pending' });
    if (pending && pending.expiresAt <= now) {
      await expireHandoff(manager, pending, now); // lapsed but not yet swept: the owner may offer again
    } else if (pending) {
      throw new Conflict(
        `A handoff of ${ticket.ref} is already pending (${pending.id}); cancel it first.`,
      );
    }
    const repo = manager.getRepository(Handoff);
    const handoff = await repo.save(
      repo.create({
        ticketId: ticket.id,
        fromAgentId: ticket.ownerId,
        toAgentId: input.toAgentId,
        note: input.note,
        status: 'pending',
        createdAt: now,
        // Business hours of the ticket's team: an offer made on Friday afternoon is still open
        // on Monday morning, when the colleague can actually answer it.
        expiresAt: addBusinessMinutes(
          now,
          ctx.settings.handoffExpiryHours * 60,
          calendarOf(await team()),
        ),
        respondedAt: null,
        responseNote: null,
      }),
    );
    await recordEvent(manager, {
      ticketId: ticket.id,
      type: 'handoff_offered',
      at: now,
      actorId: actor.id,
      data: { handoffId: handoff.id, toAgentId: handoff.toAgentId, note: handoff.note },
    });
    await notifyHandoff(manager, handoff, ticket, 'handoff_offered', now);
    return handoff;
  });
}

/** Staff email for each step of a handoff: the target hears of the offer, the owner of the answer. */
async function notifyHandoff(
  manager: EntityManager,
  handoff: Handoff,
  ticket: Ticket,
  template: 'handoff_offered' | 'handoff_accepted' | 'handoff_declined',
  at: Date,
): Promise<void> {
  const agents = await manager
    .getRepository(Agent)
    .createQueryBuilder('a')
    .where('a.id IN (:...ids)', { ids: [handoff.fromAgentId, handoff.toAgentId] })
    .getMany();
  const from = agents.find((a) => a.id === handoff.fromAgentId);
  const to = agents.find((a) => a.id === handoff.toAgentId);
  const recipient = template === 'handoff_offered' ? to : from;
  if (!recipient || !from || !to) return;
  await queueEmail(manager, {
    key: `handoff:${handoff.id}:${template}`,
    template,
    toAddress: recipient.email,
    ticketId: ticket.id,
    agentId: recipient.id,
    payload: {
      ticketRef: ticket.ref,
      subject: ticket.subject,
      fromName: from.name,
      toName: to.name,
      note: template === 'handoff_offered' ? handoff.note : (handoff.responseNote ?? ''),
    },
    at,
  });
}

/** Locks a handoff's ticket, then the handoff (the lock order of tickets/locked-ticket.ts). */
async function lockHandoff(
  tx: TicketTransaction,
  handoffId: string,
): Promise<{ handoff: Handoff; ticket: Ticket }> {
  const locked = await tx.lockRowOfTicket(Handoff, handoffId);
  if (!locked) throw new NotFound(`No handoff ${handoffId}.`);
  return { handoff: locked.row, ticket: locked.ticket };
}

function assertPending(handoff: Handoff, now: Date): void {
  if (handoff.status !== 'pending') {
    throw new Conflict(`This handoff was already ${handoff.status}.`);
  }
  if (handoff.expiresAt <= now) throw new Conflict('This handoff offer has expired.');
}

async function answerHandoff(
  ctx: ServiceContext,
  actor: Actor,
  handoffId: string,
  answer: 'accepted' | 'declined',
  input: AnswerHandoffInput,
): Promise<Handoff> {
  const outcome = await inTicketTransaction(
    ctx,
    async (tx) => {
      const { manager } = tx;
      const { handoff, ticket } = await lockHandoff(tx, handoffId);
      // Only the person it is addressed to may answer; others learn nothing about it.
      if (handoff.toAgentId !== actor.id) {
        if (handoff.fromAgentId === actor.id) {
          throw new Forbidden('Only the agent the handoff is offered to can answer it.');
        }
        throw new NotFound(`No handoff ${handoffId}.`);
      }
      const now = ctx.clock.now();
      if (handoff.status === 'pending' && handoff.expiresAt <= now) {
        // Record the lapse (it must survive the refusal), then refuse after the commit.
        await expireHandoff(manager, handoff, now);
        return { expired: true as const };
      }
      assertPending(handoff, now);

      handoff.status = answer;
      handoff.respondedAt = now;
      handoff.responseNote = input.note ?? null;
      await manager.getRepository(Handoff).save(handoff);
      await recordEvent(manager, {
        ticketId: ticket.id,
        type: answer === 'accepted' ? 'handoff_accepted' : 'handoff_declined',
        at: now,
        actorId: actor.id,
        data: { handoffId: handoff.id, fromAgentId: handoff.fromAgentId, note: input.note ?? null },
      });
      await notifyHandoff(
        manager,
        handoff,
        ticket,
        answer === 'accepted' ? 'handoff_accepted' : 'handoff_declined',
        now,
      );
      if (answer === 'accepted') {
        await requireEligibleOwner(manager, ticket, actor.id, 'toAgentId', { allowAway: true });
        await changeOwner(manager, ticket, {
          toAgentId: actor.id,
          reason: 'handoff',
          actorId: actor.id,
          at: now,
          note: handoff.note,
          handoffId: handoff.id,
        });
      }
      return { expired: false as const, handoff };
    },
    // The accepting agent's row first: the lock order every ownership change uses.
    answer === 'accepted' ? (manager) => lockAgentForOwnership(manager, actor.id) : undefined,
  );
  if (outcome.expired) throw new Conflict('This handoff offer has expired.');
  return outcome.handoff;
}

export const acceptHandoff = (
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  input: AnswerHandoffInput,
) => answerHandoff(ctx, actor, id, 'accepted', input);

export const declineHandoff = (
  ctx: ServiceContext,
  actor: Actor,
  id: string,
  input: AnswerHandoffInput,
) => answerHandoff(ctx, actor, id, 'declined', input);

/** The offering owner withdraws a pending offer. */
export async function cancelHandoff(
  ctx: ServiceContext,
  actor: Actor,
  handoffId: string,
  input: AnswerHandoffInput,
): Promise<Handoff> {
  return inTicketTransaction(ctx, async (tx) => {
    const { manager } = tx;
    const { handoff, ticket } = await lockHandoff(tx, handoffId);
    if (handoff.fromAgentId !== actor.id && actor.role !== 'admin') {
      if (handoff.toAgentId === actor.id) throw new Forbidden('Decline the handoff instead.');
      throw new NotFound(`No handoff ${handoffId}.`);
    }
    const now = ctx.clock.now();
    if (handoff.status !== 'pending')
      throw new Conflict(`This handoff was already ${handoff.status}.`);
    handoff.status = 'cancelled';
    handoff.respondedAt = now;
    handoff.responseNote = input.note ?? null;
    await manager.getRepository(Handoff).save(handoff);
    await recordEvent(manager, {
      ticketId: ticket.id,
      type: 'handoff_cancelled',
      at: now,
      actorId: actor.id,
      data: {
        handoffId: handoff.id,
        toAgentId: handoff.toAgentId,
        reason: input.note ?? 'withdrawn',
      },
    });
    return handoff;
  });
}

async function expireHandoff(manager: EntityManager, handoff: Handoff, now: Date): Promise<void> {
  handoff.status = 'expired';
  handoff.respondedAt = now;
  await manager.getRepository(Handoff).save(handoff);
  await recordEvent(manager, {
    ticketId: handoff.ticketId,
    type: 'handoff_expired',
    at: now,
    actorId: null,
    data: { handoffId: handoff.id, toAgentId: handoff.toAgentId },
  });
}

/** Worker job: marks offers past their expiry; the tickets stay with their owners. */
export async function expireDueHandoffs(ctx: ServiceContext, batchSize = 200): Promise<number> {
  let expired = 0;
  for (;;) {
    const count = await inTransaction(ctx.dataSource, async (manager) => {
      const now = ctx.clock.now();
      const due = await manager
        .getRepository(Handoff)
        .createQueryBuilder('h')
        .setLock('for_no_key_update')
        .setOnLocked('skip_locked')
        .where(`h.status = 'pending' AND h.expires_at <= :now`, { now })
        .orderBy('h.expires_at', 'ASC')
        .limit(batchSize)
        .getMany();
      for (const handoff of due) await expireHandoff(manager, handoff, now);
      return due.length;
    });
    expired += count;
    if (count < batchSize) return expired;
  }
}

const handoffCursor = z.object({ c: instant(), id: z.uuid() });

export async function listMyHandoffs(
  ctx: ServiceContext,
  actor: Actor,
  query: MyHandoffsQuery,
): Promise<Page<ReturnType<typeof handoffView>>> {
  const column = query.direction === 'incoming' ? 'h.to_agent_id' : 'h.from_agent_id';
  const qb = ctx.dataSource
    .getRepository(Handoff)
    .createQueryBuilder('h')
    .innerJoinAndMapOne('h.ticket', Ticket, 't', 't.id = h.ticket_id')
    .where(`${column} = :me`, { me: actor.id })
    .andWhere('h.status = :status', { status: query.status })
    .orderBy('h.created_at', 'DESC')
    .addOrderBy('h.id', 'DESC')
    .take(query.limit + 1);
  if (query.cursor) {
    const at = decodeCursor(query.cursor, handoffCursor);
    qb.andWhere('(h.created_at, h.id) < (:c, :hid)', { c: at.c, hid: at.id });
  }
  const rows = (await qb.getMany()) as Array<Handoff & { ticket: Ticket }>;
  return toPage(
    rows,
    query.limit,
    (row) => handoffView(row, row.ticket),
    (row) => ({ c: row.createdAt.toISOString(), id: row.id }),
  );
}

/** The offering owner, the target, the team's supervisors and admins may look at a handoff. */
export async function getHandoff(
  ctx: ServiceContext,
  actor: Actor,
  handoffId: string,
): Promise<Handoff> {
  const handoff = await ctx.dataSource.getRepository(Handoff).findOneBy({ id: handoffId });
  if (!handoff) throw new NotFound(`No handoff ${handoffId}.`);
  if (
    actor.role === 'admin' ||
    handoff.toAgentId === actor.id ||
    handoff.fromAgentId === actor.id
  ) {
    return handoff;
  }
  const ticket = await ctx.dataSource
    .getRepository(Ticket)
    .findOneByOrFail({ id: handoff.ticketId });
  if (actor.role === 'supervisor' && actor.teamId === ticket.teamId) return handoff;
  throw new NotFound(`No handoff ${handoffId}.`);
}
