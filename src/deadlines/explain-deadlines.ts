import type { Actor } from '../actor';
import type { ServiceContext } from '../context';
import { Team } from '../teams/team.entity';
import { findReadableTicket } from '../tickets/ticket-access';
import type { Ticket } from '../tickets/ticket.entity';
import { DeadlineAction } from './deadline-action.entity';
import { currentDeadlineOf } from '../deadline-rules/current-deadline';
import {
  audienceForLevel,
  type FirstResponseBasis,
  type NextUpdateBasis,
} from '../deadline-rules/deadline-policy';

type DeadlineState = 'pending' | 'met' | 'breached' | 'paused' | 'cleared' | 'not_started';

const iso = (value: Date | null) => (value ? value.toISOString() : null);

/**
 * GET /tickets/:id/deadlines: each deadline with its due time, its state, and why it is due then,
 * in words and in data (arrival, business day used, cutoff, tier rule, pauses), plus the
 * enforcement moments and the breach history.
 */
export async function explainDeadlines(ctx: ServiceContext, actor: Actor, idOrRef: string) {
  const ticket = await findReadableTicket(ctx.dataSource.manager, actor, idOrRef);
  const team = await ctx.dataSource.getRepository(Team).findOneByOrFail({ id: ticket.teamId });
  const actions = await ctx.dataSource
    .getRepository(DeadlineAction)
    .find({ where: { ticketId: ticket.id }, order: { actedAt: 'ASC' } });
  const current = currentDeadlineOf(ticket);
  // Breaches are recorded per promise: this kind of deadline at this due time.
  const breachedNow = (kind: string, dueAt: Date | null) =>
    dueAt !== null &&
    actions.some(
      (a) => a.kind === kind && a.dueAt.getTime() === dueAt.getTime() && a.step === 'breached',
    );

  return {
    ticketId: ticket.id,
    ref: ticket.ref,
    status: ticket.status,
    timezone: team.timezone,
    current: current
      ? {
          kind: current.kind,
          dueAt: current.dueAt.toISOString(),
          deadlineVersion: ticket.deadlineVersion,
          warnAt: iso(ticket.deadlineWarnAt),
          escalationLevel: ticket.escalationLevel,
          explanation:
            current.kind === 'first_response'
              ? ticket.firstResponseBasis?.explanation
              : ticket.nextUpdateBasis?.explanation,
          // If this passes unanswered: one step up the ladder, and another holding update.
          nextEscalation: {
            at: current.dueAt.toISOString(),
            level: ticket.escalationLevel + 1,
            notify: audienceForLevel(ticket.escalationLevel + 1, team.policy.escalationLadder),
          },
        }
      : null,
    waiting: waitingItem(ticket),
    items: [firstResponseItem(ticket, breachedNow), nextUpdateItem(ticket, breachedNow)],
    history: actions.map((a) => ({
      kind: a.kind,
      step: a.step,
      dueAt: a.dueAt.toISOString(),
      at: a.actedAt.toISOString(),
      ownerId: a.ownerId,
      deadlineVersion: a.deadlineVersion,
      escalationLevel: a.escalationLevel,
    })),
  };
}

/** While waiting on the customer: when they are reminded and when the clock resumes by itself. */
function waitingItem(ticket: Ticket) {
  if (ticket.status !== 'waiting_on_customer' || !ticket.waitingResumeAt) return null;
  const reminder = ticket.waitingRemindedAt
    ? `The customer was reminded at ${ticket.waitingRemindedAt.toISOString()}.`
    : `If they have not answered, the customer gets one reminder at ${iso(ticket.waitingReminderAt)}.`;
  return {
    since: iso(ticket.pausedAt),
    reminderAt: iso(ticket.waitingReminderAt),
    remindedAt: iso(ticket.waitingRemindedAt),
    resumeAt: iso(ticket.waitingResumeAt),
    explanation:
      `Waiting on the customer since ${iso(ticket.pausedAt)} (the owner asked them a question). ${reminder} ` +
      `At ${iso(ticket.waitingResumeAt)} the update clock resumes and the owner is told, unless the customer answers first ` +
      '(team policy waitingReminderAfterMinutes and waitingResumeAfterMinutes; defaults: two and five business days).',
  };
}

function firstResponseItem(
  ticket: Ticket,
  breachedNow: (kind: string, dueAt: Date | null) => boolean,
) {
  const basis: FirstResponseBasis | null = ticket.firstResponseBasis;
  let state: DeadlineState;
  if (ticket.firstRespondedAt) state = 'met';
  else if (ticket.status === 'resolved' || ticket.status === 'closed') state = 'cleared';
  else state = breachedNow('first_response', ticket.firstResponseDueAt) ? 'breached' : 'pending';
  const late =
    ticket.firstRespondedAt && ticket.firstResponseDueAt
      ? ticket.firstRespondedAt > ticket.firstResponseDueAt
      : null;
  return {
    kind: 'first_response' as const,
    dueAt: iso(ticket.firstResponseDueAt),
    state,
    metAt: iso(ticket.firstRespondedAt),
    late,
    explanation:
      (basis?.explanation ?? 'Due by the close of the business day of arrival.') +
      (state === 'met'
        ? ` Answered ${late ? 'late' : 'in time'} at ${ticket.firstRespondedAt!.toISOString()}.`
        : '') +
      (state === 'cleared' ? ' The ticket was resolved before a first response.' : ''),
    basis,
  };
}

function nextUpdateItem(
  ticket: Ticket,
  breachedNow: (kind: string, dueAt: Date | null) => boolean,
) {
  const basis: NextUpdateBasis | null = ticket.nextUpdateBasis;
  let state: DeadlineState;
  let explanation: string;
  if (!ticket.firstRespondedAt && !ticket.nextUpdateDueAt) {
    state = 'not_started';
    explanation = 'The update clock starts with the first public update.';
  } else if (ticket.status === 'resolved' || ticket.status === 'closed') {
    state = 'cleared';
    explanation = 'Resolved: no further update is due.';
  } else if (ticket.status === 'waiting_on_customer') {
    state = 'paused';
    explanation =
      `Waiting on the customer since ${iso(ticket.pausedAt)}: the update clock is paused` +
      (ticket.pausedDueAt
        ? ` (it was due ${ticket.pausedDueAt.toISOString()}; the remaining business time resumes with the customer's reply).`
        : '.');
  } else {
    state = breachedNow('next_update', ticket.nextUpdateDueAt) ? 'breached' : 'pending';
    explanation =
      basis?.explanation ?? 'Due by the close of the next business day after the last update.';
  }
  return {
    kind: 'next_update' as const,
    dueAt: iso(ticket.nextUpdateDueAt),
    state,
    pausedAt: iso(ticket.pausedAt),
    explanation,
    basis,
  };
}
