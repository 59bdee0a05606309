import type { QueueItem } from '../../lib/api-types';

/** The deadline a queue row counts down to, as the API computed it (none while paused). */
export function deadlineOf(item: QueueItem): { kind: string; dueAt: string } | null {
  return item.currentDeadline ?? null;
}

/** Soonest deadline first, tickets without one last (as the API's own queue orders them). */
export function bySoonestDeadline(a: QueueItem, b: QueueItem): number {
  const da = deadlineOf(a)?.dueAt;
  const db = deadlineOf(b)?.dueAt;
  if (da && db) return Date.parse(da) - Date.parse(db);
  return da ? -1 : db ? 1 : 0;
}
