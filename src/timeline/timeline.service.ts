import { z } from 'zod';
import type { Actor } from '../agents/actor';
import type { ServiceContext } from '../context';
import { decodeCursor, toPage, type Page } from '../pagination';
import { findReadableTicket } from '../tickets/ticket-access';
import { timelineEventView } from './record-event';
import { TimelineEvent } from './timeline-event.entity';

const timelineCursor = z.object({ seq: z.string().regex(/^\d{1,18}$/) });

/** A ticket's events, oldest first. */
export async function listTimeline(
  ctx: ServiceContext,
  actor: Actor,
  ticketId: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<Page<ReturnType<typeof timelineEventView>>> {
  const ticket = await findReadableTicket(ctx.dataSource.manager, actor, ticketId);
  const query = ctx.dataSource
    .getRepository(TimelineEvent)
    .createQueryBuilder('e')
    .addSelect('e.seq')
    .where('e.ticket_id = :ticketId', { ticketId: ticket.id })
    .orderBy('e.seq', 'ASC')
    .limit(page.limit + 1);
  if (page.cursor) {
    const { seq } = decodeCursor(page.cursor, timelineCursor);
    query.andWhere('e.seq > :seq', { seq });
  }
  const rows = await query.getMany();
  return toPage(rows, page.limit, timelineEventView, (row) => ({ seq: String(row.seq) }));
}
