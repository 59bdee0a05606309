import type { EntityManager } from 'typeorm';
import { currentDeadlineOf } from '../deadlines/current-deadline';
import { enforcementMoments } from '../deadlines/deadline-policy';
import { Team } from '../teams/team.entity';
import { calendarOf } from '../teams/calendar-of';
import { Ticket } from './ticket.entity';

type TicketChanges = Partial<
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
    | 'resolvedAt'
    | 'resolution'
    | 'rootCauseSilo'
    | 'rootCauseCategory'
    | 'rootCauseDetail'
    | 'closedAt'
    | 'reopenCount'
  >
>;

/**
 * Applies changes to a ticket the caller has locked, bumping its optimistic-lock version.
 * Every write to a ticket row goes through here, so this is also where a change of the current
 * deadline is noticed: it gets a new deadline version (old jobs go stale), fresh enforcement
 * moments and a reset escalation level.
 */
export async function writeTicket(
  manager: EntityManager,
  ticket: Ticket,
  changes: TicketChanges,
  at: Date,
  /** Recompute warn/re-escalate moments even if the due time stays (the policy changed). */
  options: { recomputeMoments?: boolean } = {},
): Promise<void> {
  const before = currentDeadlineOf(ticket);
  Object.assign(ticket, changes);
  const after = currentDeadlineOf(ticket);
  const row: Partial<Ticket> = { ...changes };

  const moved = before?.kind !== after?.kind || before?.dueAt.getTime() !== after?.dueAt.getTime();
  if (moved || (options.recomputeMoments && after)) {
    const moments = after ? await momentsFor(manager, ticket.teamId, after.dueAt) : null;
    Object.assign(row, {
      deadlineVersion: ticket.deadlineVersion + 1,
      deadlineWarnAt: moments?.warnAt ?? null,
      deadlineReescalateAt: moments?.reescalateAt ?? null,
      escalationLevel: changes.escalationLevel ?? 0,
    });
  }
  Object.assign(ticket, row, { version: ticket.version + 1, updatedAt: at });
  await manager
    .getRepository(Ticket)
    .update({ id: ticket.id }, { ...row, version: ticket.version, updatedAt: at });
}

async function momentsFor(manager: EntityManager, teamId: string, dueAt: Date) {
  const team = await manager.getRepository(Team).findOneByOrFail({ id: teamId });
  return enforcementMoments(dueAt, calendarOf(team), team.policy);
}

/** Moments for a brand-new ticket's first deadline (version 1). */
export function initialDeadlineFields(team: Team, firstResponseDueAt: Date) {
  const moments = enforcementMoments(firstResponseDueAt, calendarOf(team), team.policy);
  return {
    deadlineVersion: 1,
    deadlineWarnAt: moments.warnAt,
    deadlineReescalateAt: moments.reescalateAt,
  };
}
