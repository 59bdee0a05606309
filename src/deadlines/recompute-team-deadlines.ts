import type { EntityManager } from 'typeorm';
import type { CustomerTier } from '../deadline-rules/customer-tier';
import type { ServiceContext } from '../context';
import { scheduleDeadlineJobs } from '../tickets/deadline-sync';
import { Customer } from '../customers/customer.entity';
import { calendarOf } from '../teams/calendar-of';
import { Team } from '../teams/team.entity';
import { Ticket } from '../tickets/ticket.entity';
import { writeTicket } from '../tickets/ticket-writes';
import type { BusinessCalendar, DeadlinePolicy } from '../deadline-rules/business-calendar';
import { addBusinessMinutes } from '../deadline-rules/calendar';
import {
  computeFirstResponse,
  computeNextUpdateAfterCustomerMessage,
  computeNextUpdateAfterUpdate,
  type NextUpdateBasis,
} from '../deadline-rules/deadline-policy';

/**
 * A team's calendar or policy changed: recompute the current deadline of each of its active
 * tickets from the same starting points (arrival or reopening; the last public update), so
 * every promise follows the new rules, and say which change did it. Returns the tickets whose
 * deadline changed, to schedule.
 */
export async function recomputeTeamDeadlines(
  manager: EntityManager,
  team: Team,
  now: Date,
  because: string,
): Promise<Ticket[]> {
  const tickets = await manager
    .getRepository(Ticket)
    .createQueryBuilder('t')
    .setLock('for_no_key_update')
    .where(`t.team_id = :teamId AND t.status IN ('open', 'waiting_on_customer')`, {
      teamId: team.id,
    })
    .orderBy('t.id')
    .getMany();
  if (tickets.length === 0) return [];
  const customers = await manager
    .getRepository(Customer)
    .createQueryBuilder('c')
    .select(['c.id', 'c.tier'])
    .where('c.id IN (:...ids)', { ids: [...new Set(tickets.map((t) => t.customerId))] })
    .getMany();
  const tierOf = new Map(customers.map((c) => [c.id, c.tier]));
  const changed: Ticket[] = [];
  for (const ticket of tickets) {
    if (
      await recomputeTicket(manager, ticket, team, tierOf.get(ticket.customerId) ?? 'standard', {
        now,
        because,
        firstResponseOnly: false,
      })
    ) {
      changed.push(ticket);
    }
  }
  return changed;
}

/**
 * A customer's tier changed: the first-response deadlines of their unanswered active tickets
 * follow the new tier's rule (the only rule a tier sets), and say so.
 */
export async function recomputeCustomerDeadlines(
  manager: EntityManager,
  customerId: string,
  tier: CustomerTier,
  now: Date,
  because: string,
): Promise<Ticket[]> {
  const tickets = await manager
    .getRepository(Ticket)
    .createQueryBuilder('t')
    .setLock('for_no_key_update')
    .where(
      `t.customer_id = :customerId AND t.status IN ('open', 'waiting_on_customer')
         AND t.first_responded_at IS NULL`,
      { customerId },
    )
    .orderBy('t.id')
    .getMany();
  const teams = new Map<string, Team>();
  const changed: Ticket[] = [];
  for (const ticket of tickets) {
    let team = teams.get(ticket.teamId);
    if (!team) {
      team = await manager.getRepository(Team).findOneByOrFail({ id: ticket.teamId });
      teams.set(team.id, team);
    }
    if (
      await recomputeTicket(manager, ticket, team, tier, { now, because, firstResponseOnly: true })
    ) {
      changed.push(ticket);
    }
  }
  return changed;
}

/** The customers module's tier hook: recompute in its transaction, schedule after the commit. */
export function recomputeOnTierChange(ctx: ServiceContext) {
  return async (
    manager: EntityManager,
    change: { customerId: string; from: CustomerTier; to: CustomerTier; at: Date },
  ): Promise<() => Promise<void>> => {
    const moved = await recomputeCustomerDeadlines(
      manager,
      change.customerId,
      change.to,
      change.at,
      `the customer's tier changed from ${change.from} to ${change.to} at ${change.at.toISOString()}`,
    );
    return () => scheduleDeadlineJobs(ctx, moved);
  };
}

async function recomputeTicket(
  manager: EntityManager,
  ticket: Ticket,
  team: Team,
  tier: CustomerTier,
  options: { now: Date; because: string; firstResponseOnly: boolean },
): Promise<boolean> {
  const { now, because } = options;
  const calendar = calendarOf(team);
  const before = ticket.deadlineVersion;
  if (!ticket.firstRespondedAt) {
    const basis = computeFirstResponse(
      ticket.responseClockStartedAt,
      calendar,
      team.policy,
      tier,
      ticket.responseClockStartedAt > ticket.receivedAt ? 'reopen' : 'arrival',
    );
    await writeTicket(
      manager,
      ticket,
      {
        firstResponseDueAt: new Date(basis.dueAt),
        firstResponseBasis: withReason(basis, because),
        // A new rule is not an answer: an escalation in progress keeps its level.
        escalationLevel: ticket.escalationLevel,
      },
      now,
      { rulesChanged: true, team },
    );
  }
  if (!options.firstResponseOnly && ticket.status === 'open' && ticket.nextUpdateDueAt) {
    const basis = recomputeNextUpdate(ticket, calendar, team.policy, now);
    if (basis) {
      await writeTicket(
        manager,
        ticket,
        {
          nextUpdateDueAt: new Date(basis.dueAt),
          nextUpdateBasis: withReason(basis, because),
          escalationLevel: ticket.escalationLevel,
        },
        now,
        { rulesChanged: true, team },
      );
    } else {
      await writeTicket(manager, ticket, {}, now, { rulesChanged: true, team });
    }
  }
  return ticket.deadlineVersion !== before;
}

function withReason<B extends { explanation: string; recomputedBecause?: string }>(
  basis: B,
  because: string,
): B {
  return {
    ...basis,
    recomputedBecause: because,
    explanation: `Recomputed: ${because}. ${basis.explanation}`,
  };
}

/**
 * Recomputes a next-update deadline from what set it, under the new rules: the last update
 * (nextUpdateWithinMinutes, else the close of the next business day), a resume (the business
 * minutes that were left), or a customer message (close of that business day; never later than
 * it already was). A time promised to the customer in a holding update stays: it was promised.
 */
function recomputeNextUpdate(
  ticket: Ticket,
  calendar: BusinessCalendar,
  policy: DeadlinePolicy,
  now: Date,
): NextUpdateBasis | null {
  const basis = ticket.nextUpdateBasis;
  const current = ticket.nextUpdateDueAt!;
  if (basis?.setBy === 'holding_update' || basis?.setBy === 'escalation_step') return null;
  if (basis?.setBy === 'resumed' && basis.pause) {
    const dueAt = addBusinessMinutes(
      new Date(basis.pause.resumedAt),
      basis.pause.remainingBusinessMinutes,
      calendar,
    );
    return { ...basis, dueAt: dueAt.toISOString() };
  }
  if (basis?.setBy === 'customer_message') {
    return computeNextUpdateAfterCustomerMessage(new Date(basis.setAt), calendar, current);
  }
  const from = basis ? new Date(basis.setAt) : (ticket.lastPublicUpdateAt ?? now);
  return computeNextUpdateAfterUpdate(
    from,
    calendar,
    'recomputed',
    policy.nextUpdateWithinMinutes ?? null,
  );
}
