import { DateTime } from 'luxon';
import { zoneNamed } from '../deadline-rules/time-zones';
import type { EntityManager } from 'typeorm';
import { Agent } from '../agents/agent.entity';
import { Customer } from '../customers/customer.entity';
import { Team } from '../teams/team.entity';
import { Ticket, type TicketStatus } from '../tickets/ticket.entity';
import { customerWording, languageOf, type Language } from '../notifications/customer-wording';
import { escapeHtml } from '../notifications/email-templates';

/**
 * The customer's status page for one ticket, reached from the link in every customer email.
 * It shows only what the customer may know: the reference, the status, the owner's first name
 * and the update times. Never notes, other tickets, staff emails or ids.
 */
export interface TicketStatusView {
  ref: string;
  status: TicketStatus;
  ownerFirstName: string;
  lastUpdateAt: Date | null;
  /** The deadline the owner is working to; null once resolved or while paused. */
  nextUpdateBy: Date | null;
  resolvedAt: Date | null;
  language: Language;
  timezone: string;
}

export const firstNameOf = (name: string): string => name.trim().split(/\s+/)[0] ?? '';

const isFinished = (status: TicketStatus) => status === 'resolved' || status === 'closed';

/** While unanswered the first response is due; after that the next update. */
function nextUpdateBy(ticket: Ticket): Date | null {
  if (isFinished(ticket.status)) return null;
  return ticket.firstRespondedAt === null ? ticket.firstResponseDueAt : ticket.nextUpdateDueAt;
}

/** The view of a ticket for its customer, or null if there is no such ticket. */
export async function loadTicketStatus(
  manager: EntityManager,
  ticketId: string,
): Promise<TicketStatusView | null> {
  const ticket = await manager.getRepository(Ticket).findOneBy({ id: ticketId });
  if (!ticket) return null;
  const [customer, owner, team] = await Promise.all([
    manager.getRepository(Customer).findOneByOrFail({ id: ticket.customerId }),
    manager.getRepository(Agent).findOneOrFail({
      where: { id: ticket.ownerId },
      select: { id: true, name: true },
    }),
    manager.getRepository(Team).findOneByOrFail({ id: ticket.teamId }),
  ]);
  return {
    ref: ticket.ref,
    status: ticket.status,
    ownerFirstName: firstNameOf(owner.name),
    lastUpdateAt: ticket.lastPublicUpdateAt,
    nextUpdateBy: nextUpdateBy(ticket),
    resolvedAt: ticket.resolvedAt,
    language: languageOf(customer.locale),
    timezone: team.timezone,
  };
}

/** The JSON form of the page (Accept: application/json). */
export function ticketStatusJson(view: TicketStatusView) {
  return {
    ref: view.ref,
    status: view.status,
    ownerFirstName: view.ownerFirstName,
    lastUpdateAt: view.lastUpdateAt?.toISOString() ?? null,
    nextUpdateBy: view.nextUpdateBy?.toISOString() ?? null,
    resolvedAt: view.resolvedAt?.toISOString() ?? null,
  };
}

/** A time in the team's timezone, in the customer's language. */
export function formatLocalTime(at: Date, timezone: string, language: Language): string {
  const { time } = customerWording(language);
  return DateTime.fromJSDate(at, { zone: zoneNamed(timezone) })
    .setLocale(time.locale)
    .toFormat(time.pageFormat);
}

/**
 * A small page for customers: no scripts, no external resources, readable without CSS.
 * `body` must already be escaped.
 */
export function customerPageHtml(language: Language, title: string, body: string): string {
  return (
    `<!doctype html><html lang="${language}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title>` +
    `<style>body{font-family:system-ui,sans-serif;line-height:1.5;max-width:36rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}` +
    `dt{font-weight:600;margin-top:.75rem}dd{margin:0}</style></head>` +
    `<body><main>${body}</main></body></html>`
  );
}

export function renderTicketStatusPage(view: TicketStatusView): string {
  const t = customerWording(view.language).statusPage;
  const time = (at: Date) =>
    `<time datetime="${at.toISOString()}">${escapeHtml(formatLocalTime(at, view.timezone, view.language))}</time>`;
  const rows: Array<[string, string]> = [
    [t.status, escapeHtml(t.statuses[view.status])],
    [t.owner, escapeHtml(view.ownerFirstName)],
    [t.lastUpdate, view.lastUpdateAt ? time(view.lastUpdateAt) : escapeHtml(t.noUpdateYet)],
  ];
  if (view.nextUpdateBy) rows.push([t.nextUpdate, time(view.nextUpdateBy)]);
  if (view.resolvedAt && isFinished(view.status)) rows.push([t.resolvedAt, time(view.resolvedAt)]);
  const list = rows
    .map(([term, value]) => `<dt>${escapeHtml(term)}</dt><dd>${value}</dd>`)
    .join('');
  return customerPageHtml(
    view.language,
    t.title(view.ref),
    `<h1>${escapeHtml(t.title(view.ref))}</h1><dl>${list}</dl><p>${escapeHtml(t.reply)}</p>`,
  );
}
