import type { DeadlineKind } from './deadline-policy';

interface DeadlineFields {
  status: string;
  firstResponseDueAt: Date | null;
  firstRespondedAt: Date | null;
  nextUpdateDueAt: Date | null;
}

/**
 * The deadline a ticket is working towards now: its first response until answered, then the next
 * update while open. None while waiting on the customer (the update clock is paused) or once
 * resolved. The database derives the same thing in the generated columns deadline_kind and
 * deadline_due_at (migration AddDeadlineEnforcement); keep the two in step.
 */
export function currentDeadlineOf(
  ticket: DeadlineFields,
): { kind: DeadlineKind; dueAt: Date } | null {
  const active = ticket.status === 'open' || ticket.status === 'waiting_on_customer';
  if (!active) return null;
  if (!ticket.firstRespondedAt) {
    return ticket.firstResponseDueAt
      ? { kind: 'first_response', dueAt: ticket.firstResponseDueAt }
      : null;
  }
  if (ticket.status === 'open' && ticket.nextUpdateDueAt) {
    return { kind: 'next_update', dueAt: ticket.nextUpdateDueAt };
  }
  return null;
}
