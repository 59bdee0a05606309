import type { Actor } from '../actor';
import { supervisesTeam } from '../actor';
import type { ServiceContext } from '../context';
import { Conflict, Forbidden, InvalidInput } from '../errors';
import { withLockedTicket } from '../tickets/locked-ticket';
import type { Ticket } from '../tickets/ticket.entity';
import { changeOwner } from './change-owner';
import { lockAgentForOwnership, requireEligibleOwner } from './eligible-owner';
import type { ReassignInput } from './ownership.input';

/** A supervisor of the ticket's team (or an admin) moves it, with a reason on the record. */
export async function reassignTicket(
  ctx: ServiceContext,
  actor: Actor,
  ticketId: string,
  input: ReassignInput,
  ifMatch?: number,
): Promise<Ticket> {
  return withLockedTicket(
    ctx,
    actor,
    ticketId,
    ifMatch,
    async ({ manager, ticket, now }) => {
      if (!supervisesTeam(actor, ticket.teamId)) {
        throw new Forbidden("Only a supervisor of the ticket's team or an admin can reassign it.");
      }
      if (ticket.status !== 'open' && ticket.status !== 'waiting_on_customer') {
        throw new Conflict(
          `Ticket ${ticket.ref} is ${ticket.status}; reopen it before reassigning.`,
        );
      }
      if (input.toAgentId === ticket.ownerId) {
        throw InvalidInput.field('toAgentId', 'already owns the ticket');
      }
      await requireEligibleOwner(manager, ticket, input.toAgentId, 'toAgentId', {
        allowAway: true,
      });
      await changeOwner(manager, ticket, {
        toAgentId: input.toAgentId,
        reason: 'reassigned',
        actorId: actor.id,
        at: now,
        note: input.reason,
      });
      return ticket;
    },
    (manager) => lockAgentForOwnership(manager, input.toAgentId),
  );
}
