import type { EntityManager } from 'typeorm';
import { Customer } from '../customers/customer.entity';
import { calendarOf } from '../teams/calendar-of';
import type { Team } from '../teams/team.entity';
import { Ticket } from '../tickets/ticket.entity';
import { writeTicket } from '../tickets/ticket-writes';
import type { BusinessCalendar } from '../teams/business-calendar';
import { addBusinessMinutes } from './calendar';
import {
  computeFirstResponse,
  computeNextUpdateAfterCustomerMessage,
  computeNextUpdateAfterUpdate,
  type NextUpdateBasis,
} from './deadline-policy';

/**
 * A team's calendar or policy changed: recompute the current deadline of each of its active
 * tickets from the same starting points (arrival or reopening; the last public update), so
 * every promise follows the new rules. Returns the tickets whose deadline changed, to schedule.
 */
export async function recomputeTeamDeadlines(
  manager: EntityManager,
  team: Team,
  now: Date,
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
  const calendar = calendarOf(team);

  const changed: Ticket[] = [];
  for (const ticket of tickets) {
    const before = ticket.deadlineVersion;
    if (!ticket.firstRespondedAt) {
      const basis = computeFirstResponse(
        ticket.responseClockStartedAt,
        calendar,
        team.policy,
        tierOf.get(ticket.customerId) ?? 'standard',
        ticket.responseClockStartedAt > ticket.receivedAt ? 'reopen' : 'arrival',
      );
      await writeTicket(
        manager,
        ticket,
        { firstResponseDueAt: new Date(basis.dueAt), firstResponseBasis: basis },
        now,
        { rulesChanged: true, team },
      );
    } else if (ticket.status === 'open' && ticket.nextUpdateDueAt) {
      const basis = recomputeNextUpdate(ticket, calendar, now);
      await writeTicket(
        manager,
        ticket,
        { nextUpdateDueAt: new Date(basis.dueAt), nextUpdateBasis: basis },
        now,
        { rulesChanged: true, team },
      );
    }
    if (ticket.deadlineVersion !== before) changed.push(ticket);
  }
  return changed;
}

/**
 * Recomputes a next-update deadline from what set it, under the new calendar: the last update
 * (close of the next business day), a resume (the business minutes that were left), or a
 * customer message (close of that business day; never later than it already was).
 */
function recomputeNextUpdate(
  ticket: Ticket,
  calendar: BusinessCalendar,
  now: Date,
): NextUpdateBasis {
  const basis = ticket.nextUpdateBasis;
  const current = ticket.nextUpdateDueAt!;
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
  return computeNextUpdateAfterUpdate(from, calendar, 'recomputed');
}
