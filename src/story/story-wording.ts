import type { Customer } from '../customers/customer.entity';
import { num, str } from './event-data';
import type { ConsultRow, EventRow, PromiseRow, StoryRows, TicketRow } from './story.queries';
import type { StoryEvent, StoryResponse } from './story.types';

/** How the story words each event for a supervisor: one short line, never a message body. */

const SUMMARY_TEXT_MAX = 80;

export function storyEvents(
  customer: Customer,
  rows: StoryRows,
  responses: Map<EventRow, StoryResponse>,
): StoryEvent[] {
  const tickets = new Map(rows.tickets.map((t) => [t.id, t]));
  const promises = new Map(rows.promises.map((p) => [p.id, p]));
  const consults = new Map(rows.consults.map((c) => [c.id, c]));
  const describe = eventDescriber(rows.agentNames, tickets, promises, consults, responses);
  const events = rows.events.map((e): StoryEvent => ({
    at: e.at.toISOString(),
    ticketId: e.ticket_id,
    ref: tickets.get(e.ticket_id)?.ref ?? null,
    type: e.type,
    actorId: e.actor_id,
    actorName: e.actor_name,
    summary: describe(e),
  }));
  if (customer.churnedAt) {
    events.push({
      at: customer.churnedAt.toISOString(),
      ticketId: null,
      ref: null,
      type: 'churned',
      actorId: null,
      actorName: null,
      summary: `The customer left: ${quote(customer.churnReason ?? 'no reason given')}`,
    });
    // Stable: events at the same instant keep their recorded order.
    events.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  }
  return events;
}

export function quote(text: string): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  return clean.length > SUMMARY_TEXT_MAX
    ? `"${clean.slice(0, SUMMARY_TEXT_MAX - 1)}…"`
    : `"${clean}"`;
}

export const words = (value: string | null): string => (value ?? 'unknown').replace(/_/g, ' ');

export const DEADLINE_WORDS: Record<string, string> = {
  first_response: 'First-response',
  next_update: 'Next-update',
};

/** One short line per event, in words a supervisor reads at a glance; never a message body. */
export function eventDescriber(
  names: Map<string, string>,
  tickets: Map<string, TicketRow>,
  promises: Map<string, PromiseRow>,
  consults: Map<string, ConsultRow>,
  responses: Map<EventRow, StoryResponse>,
): (event: EventRow) => string {
  const agent = (id: string | null) => (id ? (names.get(id) ?? 'a former agent') : 'the system');
  const consultee = (c: ConsultRow | undefined) =>
    !c ? 'another team' : c.agent_name ? `${c.agent_name} (${c.team_name})` : c.team_name;

  return (e) => {
    const d = e.data;
    const by = agent(e.actor_id);
    const ticket = tickets.get(e.ticket_id);
    const promise = promises.get(str(d, 'promiseId') ?? '');
    const consult = consults.get(str(d, 'consultId') ?? '');
    const promiseText = promise
      ? `${quote(promise.description)} (${words(promise.silo)})`
      : 'a promise';
    switch (e.type) {
      case 'created':
        return `New concern ${quote(ticket?.subject ?? '')} by ${str(d, 'channel') ?? 'unknown channel'}; owner ${agent(str(d, 'ownerId'))}`;
      case 'owner_changed':
        return `Owner changed from ${agent(str(d, 'fromAgentId'))} to ${agent(str(d, 'toAgentId'))} (${words(str(d, 'reason'))})`;
      case 'public_update': {
        const response = responses.get(e);
        if (!response?.firstResponse) return `Update to the customer by ${by}`;
        const late = response.lateMinutes !== null ? `, ${response.lateMinutes} min late` : '';
        return `First response to the customer by ${by}${late}`;
      }
      case 'customer_message': {
        const channel = str(d, 'channel');
        return `The customer got in touch${channel ? ` by ${channel}` : ''} (logged by ${by})`;
      }
      case 'status_changed':
        return `Status changed from ${words(str(d, 'from'))} to ${words(str(d, 'to'))}`;
      case 'resolved': {
        const cause = d.rootCause as Record<string, unknown> | undefined;
        const silo = cause ? str(cause, 'silo') : null;
        const category = cause ? str(cause, 'category') : null;
        return `Resolved by ${by}; root cause ${words(silo)} / ${words(category)}`;
      }
      case 'reopened': {
        const reason = str(d, 'reason');
        return reason ? `Reopened: ${quote(reason)}` : 'Reopened';
      }
      case 'deadline_breached': {
        const kind = DEADLINE_WORDS[str(d, 'kind') ?? ''] ?? 'A';
        const late = num(d, 'minutesLate');
        return `${kind} deadline missed by ${agent(str(d, 'ownerId'))}${late !== null ? ` (${late} min late)` : ''}`;
      }
      case 'escalated':
        return `Escalated to level ${num(d, 'level') ?? '?'}`;
      case 'handoff_offered':
        return `${by} offered the concern to ${agent(str(d, 'toAgentId'))}`;
      case 'handoff_accepted':
        return `${by} accepted the concern from ${agent(str(d, 'fromAgentId'))}`;
      case 'handoff_declined':
        return `${by} declined the concern from ${agent(str(d, 'fromAgentId'))}`;
      case 'handoff_expired':
        return `The handoff to ${agent(str(d, 'toAgentId'))} expired unanswered`;
      case 'handoff_cancelled':
        return `The handoff to ${agent(str(d, 'toAgentId'))} was withdrawn`;
      case 'consult_asked':
        return `${by} consulted ${consultee(consult)}`;
      case 'consult_answered':
        return `${by} answered the consult${d.late === true ? ' after its due time' : ''}`;
      case 'consult_overdue':
        return `The consult with ${consultee(consult)} went unanswered past its due time`;
      case 'promise_made':
        return `Promise made to the customer: ${promiseText}`;
      case 'promise_kept':
        return `Promise kept: ${promiseText}`;
      case 'promise_broken':
        return `Promise broken: ${promiseText}`;
      case 'promise_cancelled':
        return `Promise cancelled: ${promiseText}`;
      case 'satisfaction_scored':
        return `The customer rated the outcome ${num(d, 'score') ?? '?'}/5`;
      case 'recovery_follow_up':
        return `Low score: reopened for ${agent(str(d, 'ownerId'))} to follow up`;
      default:
        return words(e.type);
    }
  };
}
