import type { Actor } from '../actor';
import type { ServiceContext } from '../context';
import { findReadableTicket } from './ticket-access';
import type { Ticket } from './ticket.entity';

/** One ticket the caller may read (404 otherwise), by id or reference. */
export async function getTicket(
  ctx: ServiceContext,
  actor: Actor,
  idOrRef: string,
): Promise<Ticket> {
  return findReadableTicket(ctx.dataSource.manager, actor, idOrRef);
}
