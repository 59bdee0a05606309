import { z } from 'zod';
import type { Actor } from '../actor';
import type { ServiceContext } from '../context';
import { decodeCursor, toPage, type Page } from '../pagination';
import { findReadableTicket } from '../tickets/ticket-access';
import { INTERNAL_EVENT_TYPES, readsInternalEvents, visibleEventData } from './event-visibility';
import { timelineEventView } from './record-event';
import { TimelineEvent } from './timeline-event.entity';

const timelineCursor = z.object({ seq: z.string().regex(/^\d{1,18}$/) });

/** A ticket's events, oldest first; for an integration without the internal ones. */
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
  if (!readsInternalEvents(actor)) {
    query.andWhere('e.type NOT IN (:...internal)', { internal: INTERNAL_EVENT_TYPES });
  }
  if (page.cursor) {
    const { seq } = decodeCursor(page.cursor, timelineCursor);
    query.andWhere('e.seq > :seq', { seq });
  }
  const rows = await query.getMany();
  return toPage(
    rows,
    page.limit,
    (row) => {
      const view = timelineEventView(row);
      return { ...view, data: visibleEventData(actor, view.data) };
    },
    (row) => ({ seq: String(row.seq) }),
  );
}
