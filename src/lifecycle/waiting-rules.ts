import type { EntityManager } from 'typeorm';
import { Conflict } from '../errors';
import type { Ticket } from '../tickets/ticket.entity';

/**
 * Waiting on the customer stops the update clock, so it must be honest: the customer was asked
 * something. The latest message on the ticket must be the agent's public update, sent after the
 * customer's last message (their question answered with ours). Holding updates are not messages
 * from the agent and do not count.
 */
export async function assertCustomerWasAsked(
  manager: EntityManager,
  ticket: Ticket,
): Promise<void> {
  const [latest]: Array<{ type: string }> = await manager.query(
    `SELECT type FROM timeline_events
      WHERE ticket_id = $1 AND type IN ('public_update', 'customer_message')
      ORDER BY seq DESC LIMIT 1`,
    [ticket.id],
  );
  if (latest?.type === 'public_update') return;
  throw new Conflict(
    latest
      ? `Ticket ${ticket.ref} cannot wait on the customer: the customer wrote last and is owed an answer. ` +
          'Post a public update (your answer or question) first, then set waiting_on_customer.'
      : `Ticket ${ticket.ref} cannot wait on the customer: nobody has asked them anything yet. ` +
          'Post a public update with your question first, then set waiting_on_customer.',
  );
}
