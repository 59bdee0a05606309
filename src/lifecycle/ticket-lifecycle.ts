import type { EntityManager } from 'typeorm';
import type { Actor } from '../actor';
import { Agent } from '../agents/agent.entity';
import type { ServiceContext } from '../context';
import { Customer } from '../customers/customer.entity';
import {
  computeFirstResponse,
  computeNextUpdateAfterCustomerMessage,
  computeNextUpdateAfterUpdate,
  computeResumedNextUpdate,
  computeWaitingMoments,
  type NextUpdateBasis,
} from '../deadline-rules/deadline-policy';
import type { Team } from '../teams/team.entity';
import { Conflict, Forbidden, InvalidInput } from '../errors';
import { CustomerPromise } from '../promises/promise.entity';
import { closePromise } from '../promises/promises.service';
import { queueEmail } from '../notifications/queue-email';
import { chooseAutoOwner } from '../ownership/assign-owner';
import { lockAgentForOwnership } from '../ownership/eligible-owner';
import { cancelPendingHandoffs, changeOwner } from '../ownership/change-owner';
import { calendarOf } from '../teams/calendar-of';
import { scheduleDeadlineJobs } from '../tickets/deadline-sync';
import { recordEvent } from '../timeline/record-event';
import { openFollowUp } from './follow-up';
import { assertCustomerWasAsked } from './waiting-rules';
import { TimelineEvent } from '../timeline/timeline-event.entity';
import { attachUploadsToUpdate } from '../attachments/attachments.service';
import { withLockedTicket, type LockedTicketScope } from '../tickets/locked-ticket';
import {
  assertNotOnlyConsulted,
  assertOwner,
  assertOwnerOrSupervisor,
} from '../tickets/ticket-access';
import { cancelOpenConsults } from '../consults/consults.service';
import { ACTIVE_STATUSES, type Ticket } from '../tickets/ticket.entity';
import { writeTicket } from '../tickets/ticket-writes';
import type {
  CustomerMessageInput,
  PostUpdateInput,
  ReopenInput,
  ResolveInput,
  UpdateTicketInput,
} from '../tickets/tickets.input';

const isActive = (ticket: Ticket) => ACTIVE_STATUSES.includes(ticket.status);

function assertActive(ticket: Ticket, action: string): void {
  if (!isActive(ticket)) {
    throw new Conflict(`Ticket ${ticket.ref} is ${ticket.status}; reopen it to ${action}.`);
  }
}

async function customerOf(manager: EntityManager, ticket: Ticket): Promise<Customer> {
  return manager.getRepository(Customer).findOneByOrFail({ id: ticket.customerId });
}

/** What every customer email of a ticket names: the ticket, the customer and the owner. */
async function customerEmailBasics(manager: EntityManager, ticket: Ticket, customer: Customer) {
  return {
    ticketRef: ticket.ref,
    subject: ticket.subject,
    customerName: customer.name,
    locale: customer.locale,
    ownerName: await agentName(manager, ticket.ownerId),
  };
}

async function agentName(manager: EntityManager, agentId: string): Promise<string> {
  return (await manager.getRepository(Agent).findOneByOrFail({ id: agentId })).name;
}

/**
 * Waiting on the customer stops the update clock; what was due is kept for the resume, and the
 * customer's reminder and the automatic resume are set from the team's policy.
 */
function pauseUpdateClock(ticket: Ticket, now: Date, team: Team) {
  const waiting = computeWaitingMoments(now, calendarOf(team), team.policy);
  return {
    nextUpdateDueAt: null,
    pausedAt: now,
    pausedDueAt: ticket.nextUpdateDueAt,
    waitingReminderAt: waiting.reminderAt,
    waitingRemindedAt: null,
    waitingResumeAt: waiting.resumeAt,
  };
}

/** Back to open: the owner gets the business minutes that were left when the clock stopped. */
export function resumeUpdateClock(
  ticket: Ticket,
  now: Date,
  team: Team,
): {
  nextUpdateDueAt: Date | null;
  nextUpdateBasis?: NextUpdateBasis;
  pausedAt: null;
  pausedDueAt: null;
  waitingReminderAt: null;
  waitingResumeAt: null;
} {
  const calendar = calendarOf(team);
  const cleared = {
    pausedAt: null,
    pausedDueAt: null,
    waitingReminderAt: null,
    waitingResumeAt: null,
  } as const;
  if (!ticket.firstRespondedAt) return { ...cleared, nextUpdateDueAt: null };
  const basis =
    ticket.pausedAt && ticket.pausedDueAt
      ? computeResumedNextUpdate(ticket.pausedAt, ticket.pausedDueAt, now, calendar)
      : computeNextUpdateAfterUpdate(
          now,
          calendar,
          'recomputed',
          team.policy.nextUpdateWithinMinutes ?? null,
        );
  return { ...cleared, nextUpdateDueAt: new Date(basis.dueAt), nextUpdateBasis: basis };
}

export interface PostedUpdate {
  event: TimelineEvent;
  ticket: Ticket;
}

/**
 * The owner writes on the ticket. A public update is the response the customer is owed: it is
 * emailed, satisfies the current deadline and sets the next-update deadline. An internal note
 * only goes on the timeline.
 */
export async function postUpdate(
  ctx: ServiceContext,
  actor: Actor,
  ticketId: string,
  input: PostUpdateInput,
  ifMatch?: number,
): Promise<PostedUpdate> {
  return withLockedTicket(ctx, actor, ticketId, ifMatch, async ({ manager, ticket, now, team }) => {
    // A supervisor may leave the owner an internal note (the board's "Message owner"); only the
    // owner answers the customer.
    if (input.visibility === 'internal') assertOwnerOrSupervisor(actor, ticket, 'post notes');
    else assertOwner(actor, ticket, 'post updates');
    if (input.visibility === 'internal') {
      if (input.attachmentIds?.length) {
        throw InvalidInput.field('attachmentIds', 'can only be sent with a public update');
      }
      const event = await recordEvent(manager, {
        ticketId: ticket.id,
        type: 'internal_note',
        at: now,
        actorId: actor.id,
        data: { body: input.body },
      });
      return { event, ticket };
    }
    assertActive(ticket, 'post a public update');
    const waiting = ticket.status === 'waiting_on_customer';
    const event = await recordEvent(manager, {
      ticketId: ticket.id,
      type: 'public_update',
      at: now,
      actorId: actor.id,
      data: { body: input.body, firstResponse: ticket.firstRespondedAt === null },
    });
    const attachments = await attachUploadsToUpdate(
      manager,
      ctx,
      actor,
      { ticketId: ticket.id, eventId: event.id },
      input.attachmentIds ?? [],
    );
    const teamRow = await team();
    const next = computeNextUpdateAfterUpdate(
      now,
      calendarOf(teamRow),
      'public_update',
      teamRow.policy.nextUpdateWithinMinutes ?? null,
    );
    await writeTicket(
      manager,
      ticket,
      {
        firstRespondedAt: ticket.firstRespondedAt ?? now,
        lastPublicUpdateAt: now,
        nextUpdateBasis: next,
        // An answer ends an escalation: the ladder starts again from the bottom.
        escalationLevel: 0,
        // Waiting on the customer pauses the update clock: it restarts from here on resume, and
        // the reminder and automatic resume count from this new question.
        ...(waiting
          ? {
              ...pauseUpdateClock(ticket, now, teamRow),
              pausedDueAt: new Date(next.dueAt),
            }
          : { nextUpdateDueAt: new Date(next.dueAt) }),
      },
      now,
      { team: teamRow },
    );
    const customer = await customerOf(manager, ticket);
    await queueEmail(manager, {
      key: `ticket:${ticket.id}:public_update:${event.id}`,
      template: 'public_update',
      toAddress: customer.email,
      ticketId: ticket.id,
      customerId: customer.id,
      payload: {
        ...(await customerEmailBasics(manager, ticket, customer)),
        body: input.body,
        ...(attachments.length > 0 ? { attachments } : {}),
        nextUpdateDueAt: ticket.nextUpdateDueAt?.toISOString() ?? null,
        timezone: (await team()).timezone,
      },
      at: now,
      actorId: actor.id,
    });
    return { event, ticket };
  });
}

/** Status (open <-> waiting on customer), priority and category; by the owner or a supervisor. */
export async function updateTicket(
  ctx: ServiceContext,
  actor: Actor,
  ticketId: string,
  input: UpdateTicketInput,
  ifMatch?: number,
): Promise<Ticket> {
  return withLockedTicket(ctx, actor, ticketId, ifMatch, async ({ manager, ticket, now, team }) => {
    assertOwnerOrSupervisor(actor, ticket, 'change it');
    const changes: Parameters<typeof writeTicket>[2] = {};

    if (input.status !== undefined && input.status !== ticket.status) {
      assertActive(ticket, 'change its status');
      if (input.status === 'waiting_on_customer') await assertCustomerWasAsked(manager, ticket);
      changes.status = input.status;
      // Pausing and resuming is not an answer: an escalation in progress keeps its level.
      changes.escalationLevel = ticket.escalationLevel;
      Object.assign(
        changes,
        input.status === 'waiting_on_customer'
          ? pauseUpdateClock(ticket, now, await team())
          : resumeUpdateClock(ticket, now, await team()),
      );
      await statusChanged(manager, ticket, ticket.status, input.status, actor.id, now);
    }
    for (const field of ['priority', 'category'] as const) {
      const value = input[field];
      if (value !== undefined && value !== ticket[field]) {
        (changes as Record<string, unknown>)[field] = value;
        await recordEvent(manager, {
          ticketId: ticket.id,
          type: 'field_changed',
          at: now,
          actorId: actor.id,
          data: { field, from: ticket[field], to: value },
        });
      }
    }
    if (Object.keys(changes).length > 0) await writeTicket(manager, ticket, changes, now);
    return ticket;
  });
}

function statusChanged(
  manager: EntityManager,
  ticket: Ticket,
  from: string,
  to: string,
  actorId: string | null,
  at: Date,
  extra: Record<string, unknown> = {},
) {
  return recordEvent(manager, {
    ticketId: ticket.id,
    type: 'status_changed',
    at,
    actorId,
    data: { from, to, ...extra },
  });
}

function findCustomerMessage(
  manager: EntityManager,
  ticketId: string,
  messageId: string,
): Promise<TimelineEvent | null> {
  return manager
    .getRepository(TimelineEvent)
    .createQueryBuilder('e')
    .where(`e.ticket_id = :ticketId AND e.type = 'customer_message'`, { ticketId })
    .andWhere(`e.data->>'messageId' = :messageId`, { messageId })
    .getOne();
}

/** Follow-up chains are short; this bounds a loop over a corrupt one. */
const MAX_FOLLOW_UP_HOPS = 20;

/**
 * A message from the customer (a call logged, an email received). It resumes a paused clock and
 * reopens a resolved ticket; either way the customer is owed an answer the same business day.
 * A message to a closed ticket goes to its latest follow-up while that is not closed, else opens
 * a new follow-up ticket (see follow-up.ts): the answer then names the ticket that holds it.
 */
export async function logCustomerMessage(
  ctx: ServiceContext,
  actor: Actor,
  ticketId: string,
  input: CustomerMessageInput,
  ifMatch?: number,
): Promise<PostedUpdate> {
  let target = ticketId;
  for (let hop = 0; hop < MAX_FOLLOW_UP_HOPS; hop++) {
    const outcome = await logCustomerMessageOn(
      ctx,
      actor,
      target,
      input,
      hop === 0 ? ifMatch : undefined,
    );
    if ('followUp' in outcome) {
      await scheduleDeadlineJobs(ctx, [outcome.ticket]);
      return outcome;
    }
    if (!('redirectTo' in outcome)) return outcome;
    target = outcome.redirectTo;
  }
  throw new Conflict(`Ticket ${ticketId} has too long a chain of follow-ups.`);
}

async function logCustomerMessageOn(
  ctx: ServiceContext,
  actor: Actor,
  ticketId: string,
  input: CustomerMessageInput,
  ifMatch: number | undefined,
): Promise<PostedUpdate | (PostedUpdate & { followUp: true }) | { redirectTo: string }> {
  return withLockedTicket(ctx, actor, ticketId, ifMatch, async (scope) => {
    const { manager, ticket, now, team } = scope;
    await assertNotOnlyConsulted(manager, actor, ticket, 'log customer messages');
    // An email gateway retrying the same message must not record it twice (checked under the lock).
    const earlier = input.messageId
      ? await findCustomerMessage(manager, ticket.id, input.messageId)
      : null;
    if (earlier) return { event: earlier, ticket };
    if (ticket.status === 'closed') {
      if (ticket.latestFollowUpId) {
        const [latest]: Array<{ status: string }> = await manager.query(
          `SELECT status FROM tickets WHERE id = $1`,
          [ticket.latestFollowUpId],
        );
        // The newest follow-up takes the message (and, if it is closed too, follows up itself).
        if (latest) return { redirectTo: ticket.latestFollowUpId };
      }
      const { followUp, event } = await openFollowUp(ctx, scope, actor, input);
      return { event, ticket: followUp, followUp: true as const };
    }
    const event = await recordEvent(manager, {
      ticketId: ticket.id,
      type: 'customer_message',
      at: now,
      actorId: actor.id,
      data: {
        body: input.body,
        ...(input.channel ? { channel: input.channel } : {}),
        ...(input.messageId ? { messageId: input.messageId } : {}),
      },
    });
    const teamRow = await team();
    const calendar = calendarOf(teamRow);
    if (!isActive(ticket)) {
      await reopenLocked(scope, actor.id, 'customer wrote again');
      return { event, ticket };
    }
    // The customer writing again while unanswered does not calm an escalation: the level stays.
    const changes: Parameters<typeof writeTicket>[2] = { escalationLevel: ticket.escalationLevel };
    let current = ticket.status === 'open' ? ticket.nextUpdateDueAt : null;
    if (ticket.status === 'waiting_on_customer') {
      changes.status = 'open';
      const resumed = resumeUpdateClock(ticket, now, teamRow);
      Object.assign(changes, resumed);
      current = resumed.nextUpdateDueAt;
      await statusChanged(manager, ticket, ticket.status, 'open', actor.id, now, {
        reason: 'customer message',
      });
    }
    if (ticket.firstRespondedAt) {
      // The customer is owed an answer the same business day, unless one is due sooner anyway
      // (then that deadline and its explanation, pause included, stand).
      const sameDay = computeNextUpdateAfterCustomerMessage(now, calendar, null);
      if (!current || new Date(sameDay.dueAt) < current) {
        changes.nextUpdateDueAt = new Date(sameDay.dueAt);
        changes.nextUpdateBasis = sameDay;
      }
    }
    await writeTicket(manager, ticket, changes, now, { team: teamRow });
    return { event, ticket };
  });
}

export async function resolveTicket(
  ctx: ServiceContext,
  actor: Actor,
  ticketId: string,
  input: ResolveInput,
  ifMatch?: number,
): Promise<Ticket> {
  return withLockedTicket(ctx, actor, ticketId, ifMatch, async ({ manager, ticket, now }) => {
    assertOwner(actor, ticket, 'resolve it');
    assertActive(ticket, 'resolve it again');
    await settleOpenPromises(manager, ticket, input.promises ?? [], actor.id, now);
    const from = ticket.status;
    await writeTicket(
      manager,
      ticket,
      {
        status: 'resolved',
        resolvedAt: now,
        resolution: input.resolution,
        rootCauseSilo: input.rootCause.silo,
        rootCauseCategory: input.rootCause.category,
        rootCauseDetail: input.rootCause.detail ?? null,
        nextUpdateDueAt: null,
        pausedAt: null,
        pausedDueAt: null,
        waitingReminderAt: null,
        waitingResumeAt: null,
      },
      now,
    );
    await cancelPendingHandoffs(manager, ticket.id, now, actor.id, 'ticket resolved');
    await cancelOpenConsults(manager, ticket, now, actor.id, 'ticket resolved');
    await recordEvent(manager, {
      ticketId: ticket.id,
      type: 'resolved',
      at: now,
      actorId: actor.id,
      data: { from, resolution: input.resolution, rootCause: input.rootCause },
    });
    const customer = await customerOf(manager, ticket);
    await queueEmail(manager, {
      key: `ticket:${ticket.id}:resolved:${ticket.version}`,
      template: 'ticket_resolved',
      toAddress: customer.email,
      ticketId: ticket.id,
      customerId: customer.id,
      payload: {
        ...(await customerEmailBasics(manager, ticket, customer)),
        resolution: input.resolution,
      },
      at: now,
      actorId: actor.id,
    });
    // The survey goes out a while later, if the ticket is still resolved then (checked at send time).
    await queueEmail(manager, {
      key: `ticket:${ticket.id}:survey:${ticket.version}`,
      template: 'satisfaction_survey',
      toAddress: customer.email,
      ticketId: ticket.id,
      customerId: customer.id,
      payload: {
        ...(await customerEmailBasics(manager, ticket, customer)),
      },
      at: now,
      sendAt: new Date(now.getTime() + ctx.settings.surveyDelayHours * 3_600_000),
      actorId: actor.id,
    });
    return ticket;
  });
}

/**
 * Every open promise must be accounted for before resolving: kept, broken or cancelled, as the
 * owner says. An unmentioned open promise refuses the resolution and names it.
 */
async function settleOpenPromises(
  manager: EntityManager,
  ticket: Ticket,
  decisions: NonNullable<ResolveInput['promises']>,
  actorId: string,
  now: Date,
): Promise<void> {
  const open = await manager
    .getRepository(CustomerPromise)
    .find({ where: { ticketId: ticket.id, status: 'open' }, lock: { mode: 'for_no_key_update' } });
  decisions.forEach((decision, index) => {
    if (!open.some((p) => p.id === decision.id)) {
      throw InvalidInput.field(`promises.${index}.id`, 'names no open promise of this ticket');
    }
  });
  const unaccounted = open.filter((p) => !decisions.some((d) => d.id === p.id));
  if (unaccounted.length > 0) {
    throw new Conflict(
      `Ticket ${ticket.ref} has open promises; say in "promises" whether each was kept, broken or cancelled: ` +
        unaccounted.map((p) => `${p.id} (${p.description})`).join('; '),
    );
  }
  for (const promise of open) {
    const decision = decisions.find((d) => d.id === promise.id)!;
    await closePromise(manager, promise, decision.outcome, decision.note ?? null, actorId, now);
  }
}

/** Reopen by the owner or a supervisor; the ticket owes a new first response. */
export async function reopenTicket(
  ctx: ServiceContext,
  actor: Actor,
  ticketId: string,
  input: ReopenInput,
  ifMatch?: number,
): Promise<Ticket> {
  return withLockedTicket(ctx, actor, ticketId, ifMatch, async (scope) => {
    if (actor.role === 'integration')
      throw new Forbidden('Integrations log customer messages instead.');
    assertOwnerOrSupervisor(actor, scope.ticket, 'reopen it');
    if (isActive(scope.ticket)) throw new Conflict(`Ticket ${scope.ticket.ref} is already open.`);
    await reopenLocked(scope, actor.id, input.reason);
    return scope.ticket;
  });
}

/**
 * Reopens a ticket the caller has locked: it owes a new first response. `actorId` is null when
 * no agent acted (a customer's low satisfaction score).
 */
export async function reopenLocked(
  { manager, ticket, now, team }: LockedTicketScope,
  actorId: string | null,
  reason: string,
): Promise<void> {
  const from = ticket.status;
  const teamRow = await team();
  const customer = await customerOf(manager, ticket);
  const firstResponse = computeFirstResponse(
    now,
    calendarOf(teamRow),
    teamRow.policy,
    customer.tier,
    'reopen',
  );
  await writeTicket(
    manager,
    ticket,
    {
      status: 'open',
      reopenCount: ticket.reopenCount + 1,
      responseClockStartedAt: now,
      firstResponseDueAt: new Date(firstResponse.dueAt),
      firstResponseBasis: firstResponse,
      firstRespondedAt: null,
      nextUpdateDueAt: null,
      nextUpdateBasis: null,
      pausedAt: null,
      pausedDueAt: null,
      escalationLevel: 0,
      resolvedAt: null,
      resolution: null,
      rootCauseSilo: null,
      rootCauseCategory: null,
      rootCauseDetail: null,
      closedAt: null,
    },
    now,
  );
  await recordEvent(manager, {
    ticketId: ticket.id,
    type: 'reopened',
    at: now,
    actorId,
    data: { from, reason, firstResponseDueAt: ticket.firstResponseDueAt?.toISOString() ?? null },
  });
  // An owner who has left cannot keep a live concern: it goes to whoever the rule picks. The
  // owner is locked FOR SHARE, as every ownership path does: a deactivation running now either
  // committed first (we see the owner inactive) or waits for us and then moves this ticket.
  const owner = await lockAgentForOwnership(manager, ticket.ownerId);
  if (!owner) throw new Error(`ticket ${ticket.id} has an owner that does not exist`);
  if (!owner.active) {
    const choice = await chooseAutoOwner(manager, ticket.teamId, { excludeAgentId: owner.id });
    await changeOwner(manager, ticket, {
      toAgentId: choice.agentId,
      reason: 'reopened',
      actorId,
      at: now,
      note: `previous owner ${owner.name} is no longer active`,
    });
  }
}
