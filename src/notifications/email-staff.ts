import type { EntityManager } from 'typeorm';
import type { Agent } from '../agents/agent.entity';
import type { Ticket } from '../tickets/ticket.entity';
import { queueEmail } from './queue-email';

/**
 * Queues one staff email per recipient about a ticket (consults, promises): every such email
 * names the ticket and greets the agent; `key` keeps each recipient's email unique.
 */
export async function emailStaffAboutTicket(
  manager: EntityManager,
  ticket: Ticket,
  recipients: Agent[],
  email: {
    template: string;
    key: (agent: Agent) => string;
    payload: Record<string, unknown>;
    at: Date;
  },
): Promise<void> {
  for (const agent of recipients) {
    await queueEmail(manager, {
      key: email.key(agent),
      template: email.template,
      toAddress: agent.email,
      ticketId: ticket.id,
      agentId: agent.id,
      payload: {
        ticketRef: ticket.ref,
        subject: ticket.subject,
        agentName: agent.name,
        ...email.payload,
      },
      at: email.at,
    });
  }
}
