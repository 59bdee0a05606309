import type { Actor } from '../actor';
import { isInternalEvent, readsInternalEvents } from '../timeline/event-visibility';

/**
 * What is known about a ticket event when it is sent out, and who may receive it. The rules are
 * those of reading the ticket (tickets/ticket-access.ts): admins; the ticket's team and its owner;
 * the target of a pending handoff; the party of an open consult. Integrations hear only of the
 * tickets they created (as their ticket list shows).
 */
export interface TicketEventFacts {
  seq: string;
  ticketId: string;
  ref: string;
  teamId: string;
  ownerId: string;
  createdById: string | null;
  type: string;
  at: string;
  pendingHandoffTargets: string[];
  openConsultAgents: string[];
  openConsultTeams: string[];
  /** Set for handoff events: the offer and whom it was addressed to. */
  handoff?: { id: string; toAgentId: string | null };
  /** Set for consult events: the consult and whom it asks (an agent, or a team). */
  consult?: { id: string; agentId: string | null; teamId: string | null };
}

export interface LiveMessage {
  /** The event id clients resume from (Last-Event-ID); presence messages have none. */
  id?: string;
  event: 'ticket' | 'handoff' | 'consult' | 'presence' | 'reset';
  data: unknown;
}

export function mayReadTicket(
  actor: Actor,
  ticket: Pick<
    TicketEventFacts,
    | 'teamId'
    | 'ownerId'
    | 'createdById'
    | 'pendingHandoffTargets'
    | 'openConsultAgents'
    | 'openConsultTeams'
  >,
): boolean {
  if (actor.role === 'admin') return true;
  if (actor.role === 'integration') return ticket.createdById === actor.id;
  return (
    ticket.teamId === actor.teamId ||
    ticket.ownerId === actor.id ||
    ticket.pendingHandoffTargets.includes(actor.id) ||
    ticket.openConsultAgents.includes(actor.id) ||
    (actor.teamId !== null && ticket.openConsultTeams.includes(actor.teamId))
  );
}

/** Whether a consult asks this actor (by name, or as a rep or supervisor of the asked team). */
function isAsked(actor: Actor, consult: NonNullable<TicketEventFacts['consult']>): boolean {
  if (consult.agentId) return consult.agentId === actor.id;
  return (
    consult.teamId !== null &&
    consult.teamId === actor.teamId &&
    (actor.role === 'rep' || actor.role === 'supervisor')
  );
}

/** The messages one subscriber gets for one ticket event: none, or a ticket event and maybe more. */
export function messagesFor(actor: Actor, facts: TicketEventFacts): LiveMessage[] {
  const addressedHandoff =
    facts.handoff && (facts.handoff.toAgentId === actor.id || facts.ownerId === actor.id);
  const askedConsult = facts.consult && isAsked(actor, facts.consult);
  // A declined or cancelled offer, or an answered consult, no longer lets its party read the
  // ticket, but the party must still hear that its inbox item is gone.
  if (!mayReadTicket(actor, facts) && !addressedHandoff && !askedConsult) return [];
  const messages: LiveMessage[] = [];
  // An integration never hears of internal events (timeline/event-visibility.ts).
  if (mayReadTicket(actor, facts) && (readsInternalEvents(actor) || !isInternalEvent(facts.type))) {
    messages.push({
      id: facts.seq,
      event: 'ticket',
      data: {
        ticketId: facts.ticketId,
        ref: facts.ref,
        teamId: facts.teamId,
        ownerId: facts.ownerId,
        type: facts.type,
        at: facts.at,
      },
    });
  }
  if (addressedHandoff && facts.handoff) {
    messages.push({
      id: facts.seq,
      event: 'handoff',
      data: {
        handoffId: facts.handoff.id,
        ticketId: facts.ticketId,
        ref: facts.ref,
        toAgentId: facts.handoff.toAgentId,
        type: facts.type,
        at: facts.at,
      },
    });
  }
  if (askedConsult && facts.consult) {
    messages.push({
      id: facts.seq,
      event: 'consult',
      data: {
        consultId: facts.consult.id,
        ticketId: facts.ticketId,
        ref: facts.ref,
        type: facts.type,
        at: facts.at,
      },
    });
  }
  return messages;
}
