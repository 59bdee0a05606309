import type { EntityManager } from 'typeorm';
import { Agent } from '../agents/agent.entity';
import { whenStaffMayBeTold } from '../teams/staff-hours';
import { Team } from '../teams/team.entity';
import { Ticket } from '../tickets/ticket.entity';
import { isCustomerTemplate } from './email-templates';
import type { OutboxEmail } from './outbox-email.entity';
import { queueEmail } from './queue-email';

/**
 * A customer email of a ticket that no machine will deliver any more (failed for good, or
 * ambiguous for the last time) needs a person: the ticket's owner is emailed (once per email,
 * in the owner's business hours) in the transaction that records the failure. The failure's
 * timeline event (`email_failed`) is what the console hears live on the ticket.
 */
export async function tellOwnerOfCustomerEmailFailure(
  manager: EntityManager,
  email: OutboxEmail,
  failure: { status: 'failed' | 'ambiguous'; reason: string; at: Date },
): Promise<void> {
  if (!email.ticketId || !email.customerId || !isCustomerTemplate(email.template)) return;
  const ticket = await manager.getRepository(Ticket).findOneBy({ id: email.ticketId });
  if (!ticket) return;
  const owner = await manager.getRepository(Agent).findOneBy({ id: ticket.ownerId });
  if (!owner || !owner.active) return;
  const team = await manager.getRepository(Team).findOneByOrFail({ id: ticket.teamId });
  const sendAt = (await whenStaffMayBeTold(manager, [owner], team, failure.at)).get(owner.id);
  await queueEmail(manager, {
    key: `customer-email-failed.${email.id}`,
    toAddress: owner.email,
    ticketId: ticket.id,
    agentId: owner.id,
    at: failure.at,
    ...(sendAt && sendAt > failure.at ? { sendAt } : {}),
    template: 'customer_email_failed',
    payload: {
      ticketRef: ticket.ref,
      subject: ticket.subject,
      agentName: owner.name,
      failedTemplate: email.template,
      to: email.toAddress,
      status: failure.status,
      reason: failure.reason,
      emailId: email.id,
    },
  });
}
