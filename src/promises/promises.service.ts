import type { EntityManager } from 'typeorm';
import { supervisesTeam, type Actor } from '../actor';
import type { ServiceContext } from '../context';
import { Conflict, Forbidden, InvalidInput, NotFound } from '../errors';
import {
  inTicketTransaction,
  withLockedTicket,
  type TicketTransaction,
} from '../tickets/locked-ticket';
import { assertOwner, canReadTicket } from '../tickets/ticket-access';
import type { Ticket } from '../tickets/ticket.entity';
import { recordEvent } from '../timeline/record-event';
import { CustomerPromise, type PromiseStatus } from './promise.entity';
import type { CancelPromiseInput, KeepPromiseInput, MakePromiseInput } from './promises.input';

/** The owner records a commitment made to the customer; the worker watches its due time. */
export async function makePromise(
  ctx: ServiceContext,
  actor: Actor,
  ticketId: string,
  input: MakePromiseInput,
  ifMatch?: number,
): Promise<CustomerPromise> {
  return withLockedTicket(ctx, actor, ticketId, ifMatch, async ({ manager, ticket, now }) => {
    assertOwner(actor, ticket, 'make promises on it');
    if (ticket.status !== 'open' && ticket.status !== 'waiting_on_customer') {
      throw new Conflict(
        `Ticket ${ticket.ref} is ${ticket.status}; reopen it to promise something.`,
      );
    }
    const dueAt = new Date(input.dueAt);
    if (dueAt <= now) throw InvalidInput.field('dueAt', 'must be in the future');
    const repo = manager.getRepository(CustomerPromise);
    const promise = await repo.save(
      repo.create({
        ticketId: ticket.id,
        customerId: ticket.customerId,
        teamId: ticket.teamId,
        madeById: actor.id,
        description: input.description,
        dueAt,
        silo: input.silo,
        status: 'open',
        note: null,
        closedAt: null,
        closedById: null,
        remindedAt: null,
        createdAt: now,
      }),
    );
    await recordEvent(manager, {
      ticketId: ticket.id,
      type: 'promise_made',
      at: now,
      actorId: actor.id,
      data: {
        promiseId: promise.id,
        description: input.description,
        dueAt: dueAt.toISOString(),
        silo: input.silo,
      },
    });
    return promise;
  });
}

/** Closes an open promise of a locked ticket as kept, broken or cancelled, with its timeline event. */
export async function closePromise(
  manager: EntityManager,
  promise: CustomerPromise,
  outcome: Exclude<PromiseStatus, 'open'>,
  note: string | null,
  actorId: string | null,
  at: Date,
): Promise<void> {
  promise.status = outcome;
  promise.note = note;
  promise.closedAt = at;
  promise.closedById = actorId;
  await manager.getRepository(CustomerPromise).save(promise);
  await recordEvent(manager, {
    ticketId: promise.ticketId,
    type:
      outcome === 'kept'
        ? 'promise_kept'
        : outcome === 'broken'
          ? 'promise_broken'
          : 'promise_cancelled',
    at,
    actorId,
    data: { promiseId: promise.id, description: promise.description, silo: promise.silo, note },
  });
}

async function lockPromise(
  actor: Actor,
  promiseId: string,
  tx: TicketTransaction,
): Promise<{ promise: CustomerPromise; ticket: Ticket }> {
  const locked = await tx.lockRowOfTicket(CustomerPromise, promiseId);
  if (!locked) throw new NotFound(`No promise ${promiseId}.`);
  const { ticket, row: promise } = locked;
  if (!(await canReadTicket(tx.manager, actor, ticket)))
    throw new NotFound(`No promise ${promiseId}.`);
  if (actor.id !== ticket.ownerId && !supervisesTeam(actor, ticket.teamId)) {
    throw new Forbidden(
      "Only the ticket's owner or a supervisor of its team can close its promises.",
    );
  }
  if (promise.status !== 'open') throw new Conflict(`This promise is already ${promise.status}.`);
  return { promise, ticket };
}

export async function keepPromise(
  ctx: ServiceContext,
  actor: Actor,
  promiseId: string,
  input: KeepPromiseInput,
) {
  return inTicketTransaction(ctx, async (tx) => {
    const { manager } = tx;
    const { promise } = await lockPromise(actor, promiseId, tx);
    await closePromise(manager, promise, 'kept', input.note ?? null, actor.id, ctx.clock.now());
    return promise;
  });
}

export async function cancelPromise(
  ctx: ServiceContext,
  actor: Actor,
  promiseId: string,
  input: CancelPromiseInput,
) {
  return inTicketTransaction(ctx, async (tx) => {
    const { manager } = tx;
    const { promise } = await lockPromise(actor, promiseId, tx);
    await closePromise(manager, promise, 'cancelled', input.reason, actor.id, ctx.clock.now());
    return promise;
  });
}

export async function listTicketPromises(
  ctx: ServiceContext,
  ticketId: string,
): Promise<CustomerPromise[]> {
  return ctx.dataSource
    .getRepository(CustomerPromise)
    .find({ where: { ticketId }, order: { createdAt: 'ASC' } });
}
