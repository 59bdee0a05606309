import type { Actor } from '../actor';
import type { ServiceContext } from '../context';
import type { ListCustomer, TicketListItem } from '../tickets/ticket-list-item';
import { listTickets } from '../lifecycle/tickets.service';

export interface SearchResults {
  tickets: TicketListItem[];
  customers: ListCustomer[];
}

const TICKETS_SHOWN = 20;
const CUSTOMERS_SHOWN = 10;

/**
 * The console's one search box: ranked tickets the caller may read (as GET /tickets?q=) and
 * customers by name or address: those the caller's team serves (admins: all), and anyone by exact
 * email address (as GET /customers?email= allows any staff).
 */
export async function search(ctx: ServiceContext, actor: Actor, q: string): Promise<SearchResults> {
  const tickets = await listTickets(ctx, actor, { q, limit: TICKETS_SHOWN });
  const customers: ListCustomer[] = await ctx.dataSource.query(
    `SELECT c.id, c.name, c.email, c.tier
       FROM customers c
      WHERE lower(c.email) = lower($1)
         OR (to_tsvector('simple', c.name || ' ' || c.email) @@ websearch_to_tsquery('simple', $1)
             AND ($2::uuid IS NULL
                  OR EXISTS (SELECT 1 FROM tickets t WHERE t.customer_id = c.id AND t.team_id = $2)))
      ORDER BY lower(c.email) = lower($1) DESC,
               ts_rank(to_tsvector('simple', c.name || ' ' || c.email),
                       websearch_to_tsquery('simple', $1)) DESC,
               c.name, c.id
      LIMIT $3`,
    [q, actor.role === 'admin' ? null : actor.teamId, CUSTOMERS_SHOWN],
  );
  return { tickets: tickets.items, customers };
}
