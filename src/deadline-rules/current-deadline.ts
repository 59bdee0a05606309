import type { DeadlineKind } from './deadline-policy';

interface DeadlineFields {
  status: string;
  firstResponseDueAt: Date | null;
  firstRespondedAt: Date | null;
  nextUpdateDueAt: Date | null;
}

/**
 * The deadline a ticket is working towards now: the next update while open and one is due (after
 * an answer, or the time a holding update promised, even before the first real answer), else the
 * first response until answered. None while waiting on the customer (the update clock is paused)
 * or once resolved. The database derives the same thing in the generated columns deadline_kind
 * and deadline_due_at (migration MakeHoldingUpdatePromisesDeadlines); keep the two in step.
 */
export function currentDeadlineOf(
  ticket: DeadlineFields,
): { kind: DeadlineKind; dueAt: Date } | null {
  const active = ticket.status === 'open' || ticket.status === 'waiting_on_customer';
  if (!active) return null;
  if (ticket.status === 'open' && ticket.nextUpdateDueAt) {
    return { kind: 'next_update', dueAt: ticket.nextUpdateDueAt };
  }
  if (!ticket.firstRespondedAt && ticket.firstResponseDueAt) {
    return { kind: 'first_response', dueAt: ticket.firstResponseDueAt };
  }
  return null;
}
