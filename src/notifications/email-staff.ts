import type { EntityManager } from 'typeorm';
import type { Agent } from '../agents/agent.entity';
import type { Ticket } from '../tickets/ticket.entity';
import type {
  EmailMessage,
  EmailPayloads,
  StaffEmailBasics,
  StaffTicketTemplate,
} from './email-payloads';
import { queueEmail } from './queue-email';

/** A staff email about a ticket, without the basics this helper fills in. */
export type StaffTicketEmail = {
  [T in StaffTicketTemplate]: {
    template: T;
    key: (agent: Agent) => string;
    payload: Omit<EmailPayloads[T], keyof StaffEmailBasics>;
    at: Date;
  };
}[StaffTicketTemplate];

/**
 * Queues one staff email per recipient about a ticket (consults, promises): every such email
 * names the ticket and greets the agent; `key` keeps each recipient's email unique.
 */
export async function emailStaffAboutTicket(
  manager: EntityManager,
  ticket: Ticket,
  recipients: Agent[],
  email: StaffTicketEmail,
): Promise<void> {
  for (const agent of recipients) {
    const basics: StaffEmailBasics = {
      ticketRef: ticket.ref,
      subject: ticket.subject,
      agentName: agent.name,
    };
    // Basics plus the rest of the template's own payload: the pair stays matched.
    const message = {
      template: email.template,
      payload: { ...basics, ...email.payload },
    } as EmailMessage;
    await queueEmail(manager, {
      key: email.key(agent),
      toAddress: agent.email,
      ticketId: ticket.id,
      agentId: agent.id,
      ...message,
      at: email.at,
    });
  }
}
