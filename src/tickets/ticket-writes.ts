import type { EntityManager } from 'typeorm';
import { currentDeadlineOf } from '../deadline-rules/current-deadline';
import { enforcementMoments } from '../deadline-rules/deadline-policy';
import { Team } from '../teams/team.entity';
import { calendarOf } from '../teams/calendar-of';
import { Ticket } from './ticket.entity';
import { updateRows, type RowUpdate } from '../db/update-rows';

export type TicketChanges = Partial<
  Pick<
    Ticket,
    | 'ownerId'
    | 'status'
    | 'priority'
    | 'category'
    | 'responseClockStartedAt'
    | 'firstResponseDueAt'
    | 'firstRespondedAt'
    | 'firstResponseBasis'
    | 'nextUpdateDueAt'
    | 'nextUpdateBasis'
    | 'pausedAt'
    | 'pausedDueAt'
    | 'lastPublicUpdateAt'
    | 'escalationLevel'
    | 'breachCount'
    | 'resolvedAt'
    | 'resolution'
    | 'rootCauseSilo'
    | 'rootCauseCategory'
    | 'rootCauseDetail'
    | 'closedAt'
    | 'reopenCount'
    | 'waitingReminderAt'
    | 'waitingRemindedAt'
    | 'waitingResumeAt'
    | 'latestFollowUpId'
  >
>;

/**
 * Applies changes to a ticket the caller has locked, bumping its optimistic-lock version.
 * Every write to a ticket row goes through here (or writeTickets), so this is also where a change
 * of the current deadline is noticed: it gets a new deadline version (old jobs go stale) and
 * fresh enforcement moments.
 */
export async function writeTicket(
  manager: EntityManager,
  ticket: Ticket,
  changes: TicketChanges,
  at: Date,
  options: WriteOptions = {},
): Promise<void> {
  const row = await applyChanges(manager, ticket, changes, at, options);
  await manager.getRepository(Ticket).update({ id: ticket.id }, row);
}

/** writeTicket for several locked tickets, in one statement per set of changed columns. */
export async function writeTickets(
  manager: EntityManager,
  writes: ReadonlyArray<{ ticket: Ticket; changes: TicketChanges; options?: WriteOptions }>,
  at: Date,
): Promise<void> {
  const rows: Array<RowUpdate<Ticket>> = [];
  for (const { ticket, changes, options } of writes) {
    rows.push({ id: ticket.id, values: await applyChanges(manager, ticket, changes, at, options) });
  }
  await updateRows(manager, Ticket, rows);
}

/** Applies the changes to the entity and returns the row values to write. */
async function applyChanges(
  manager: EntityManager,
  ticket: Ticket,
  changes: TicketChanges,
  at: Date,
  options: WriteOptions = {},
): Promise<Partial<Ticket>> {
  const before = currentDeadlineOf(ticket);
  Object.assign(ticket, changes);
  const after = currentDeadlineOf(ticket);
  const row: Partial<Ticket> = { ...changes };

  const moved = before?.kind !== after?.kind || before?.dueAt.getTime() !== after?.dueAt.getTime();
  if (moved || (options.rulesChanged && after)) {
    const team =
      options.team ?? (await manager.getRepository(Team).findOneByOrFail({ id: ticket.teamId }));
    const moments = after ? enforcementMoments(after.dueAt, calendarOf(team), team.policy) : null;
    Object.assign(row, { deadlineWarnAt: moments?.warnAt ?? null });
    if (moved) {
      // A new promise: old jobs go stale. Its escalation is what the caller says (a holding
      // update's promise climbs on; an answer starts again), else whatever that promise already
      // reached (a pause and resume can return to a due time that was breached before).
      Object.assign(row, {
        deadlineVersion: ticket.deadlineVersion + 1,
        escalationLevel:
          changes.escalationLevel ??
          (after ? await escalationReached(manager, ticket.id, after.kind, after.dueAt) : 0),
      });
    }
  }
  Object.assign(ticket, row, { version: ticket.version + 1, updatedAt: at });
  return { ...row, version: ticket.version, updatedAt: at };
}

export interface WriteOptions {
  /** The ticket's team, when the caller has it (saves a query when deadlines move). */
  team?: Team;
  /** The team's calendar or policy changed: recompute the enforcement moments even if the due time stays. */
  rulesChanged?: boolean;
}

async function escalationReached(
  manager: EntityManager,
  ticketId: string,
  kind: string,
  dueAt: Date,
): Promise<number> {
  const [row]: Array<{ level: number | null }> = await manager.query(
    `SELECT max(escalation_level) AS level FROM deadline_actions WHERE ticket_id = $1 AND kind = $2 AND due_at = $3`,
    [ticketId, kind, dueAt],
  );
  return row?.level ?? 0;
}

/** Moments for a brand-new ticket's first deadline (version 1). */
export function initialDeadlineFields(team: Team, firstResponseDueAt: Date) {
  const moments = enforcementMoments(firstResponseDueAt, calendarOf(team), team.policy);
  return {
    deadlineVersion: 1,
    deadlineWarnAt: moments.warnAt,
  };
}
