import type { Actor } from '../actor';
import { Agent } from '../agents/agent.entity';
import type { ServiceContext } from '../context';
import { chooseAutoOwner } from '../ownership/assign-owner';
import { lockAgentForOwnership } from '../ownership/eligible-owner';
import { recordEvent } from '../timeline/record-event';
import type { TimelineEvent } from '../timeline/timeline-event.entity';
import type { LockedTicketScope } from '../tickets/locked-ticket';
import type { Ticket } from '../tickets/ticket.entity';
import { writeTicket } from '../tickets/ticket-writes';
import type { CustomerMessageInput } from '../tickets/tickets.input';
import { insertTicket } from './tickets.service';

/**
 * The customer wrote to a closed ticket: a new concern, not a reopened old one (whose deadlines
 * and reports are settled). It becomes a follow-up ticket in the same team, owned by the same
 * owner while they are active (else by the assignment rule), with the message as its first
 * customer message; the two tickets name each other and the old timeline says so.
 */
export async function openFollowUp(
  ctx: ServiceContext,
  { manager, ticket: closed, now }: LockedTicketScope,
  actor: Actor,
  input: CustomerMessageInput,
): Promise<{ followUp: Ticket; event: TimelineEvent }> {
  const previous = await lockAgentForOwnership(manager, closed.ownerId);
  const previousStays = previous?.active === true && previous.teamId === closed.teamId;
  const assignment = previousStays
    ? { agentId: closed.ownerId, rule: 'previous_owner' as const, name: previous.name }
    : await chooseAutoOwner(manager, closed.teamId, { excludeAgentId: closed.ownerId });
  const followUp = await insertTicket(
    ctx,
    manager,
    actor,
    {
      customerId: closed.customerId,
      subject: closed.subject,
      description: input.body,
      channel: input.channel ?? closed.channel,
      category: closed.category ?? undefined,
      priority: closed.priority,
    },
    closed.teamId,
    undefined,
    '',
    {
      assignment: { agentId: assignment.agentId, rule: assignment.rule },
      ownerName: assignment.name,
      followUpOfId: closed.id,
    },
  );
  const event = await recordEvent(manager, {
    ticketId: followUp.id,
    type: 'customer_message',
    at: now,
    actorId: actor.id,
    data: {
      body: input.body,
      followUpOf: { id: closed.id, ref: closed.ref },
      ...(input.channel ? { channel: input.channel } : {}),
      ...(input.messageId ? { messageId: input.messageId } : {}),
    },
  });
  const owner = await manager.getRepository(Agent).findOneByOrFail({ id: followUp.ownerId });
  await recordEvent(manager, {
    ticketId: closed.id,
    type: 'follow_up_opened',
    at: now,
    actorId: actor.id,
    data: {
      followUpId: followUp.id,
      followUpRef: followUp.ref,
      ownerId: owner.id,
      ownerRule: assignment.rule,
    },
  });
  await writeTicket(manager, closed, { latestFollowUpId: followUp.id }, now);
  return { followUp, event };
}
