import type { DeadlineKind } from './deadline-policy';

export const DEADLINE_STEPS = ['warned', 'breached', 'reescalated'] as const;
export type DeadlineStep = (typeof DEADLINE_STEPS)[number];

/**
 * A scheduled enforcement step. The id is derived from (ticket, kind, deadline version, step,
 * moment), so scheduling the same step twice yields one job, and a job for an old version finds
 * the ticket changed and does nothing.
 */
export interface DeadlineJob {
  id: string;
  ticketId: string;
  kind: DeadlineKind;
  version: number;
  step: DeadlineStep;
  runAt: Date;
}

/** Payloads carry ids only; the handler reloads the ticket. */
export type DeadlineJobPayload = Omit<DeadlineJob, 'id' | 'runAt'>;

/** Includes the moment, so moving a warning or re-escalation (policy change) schedules anew. */
export function deadlineJobId(job: DeadlineJobPayload & { runAt: Date }): string {
  return `deadline.${job.ticketId}.${job.kind}.v${job.version}.${job.step}.${job.runAt.getTime()}`;
}

/** The state of a ticket that decides which steps are still to come. */
export interface EnforcedDeadline {
  ticketId: string;
  kind: DeadlineKind;
  version: number;
  dueAt: Date;
  warnAt: Date | null;
  /** Steps already taken for this version. */
  done: ReadonlySet<DeadlineStep>;
}

/** Steps still to take; a warning is pointless once the deadline itself has passed (`now`). */
export function planDeadlineJobs(deadline: EnforcedDeadline, now: Date): DeadlineJob[] {
  // Plain object literals, no spreads: the reconciler plans 200,000 of these after a flush.
  const jobs: DeadlineJob[] = [];
  const { warnAt, dueAt } = deadline;
  if (warnAt && warnAt < dueAt && now < dueAt && !deadline.done.has('warned')) {
    jobs.push(stepJob(deadline, 'warned', warnAt));
  }
  if (!deadline.done.has('breached')) jobs.push(stepJob(deadline, 'breached', dueAt));
  return jobs;
}

function stepJob(deadline: EnforcedDeadline, step: DeadlineStep, runAt: Date): DeadlineJob {
  const { ticketId, kind, version } = deadline;
  return {
    id: deadlineJobId({ ticketId, kind, version, step, runAt }),
    ticketId,
    kind,
    version,
    step,
    runAt,
  };
}

/** The port the domain schedules through; the BullMQ implementation lives in src/worker/. */
export interface DeadlineJobQueue {
  /** The request path: a ticket's few jobs, failing fast when the queue is slow or down. */
  schedule(jobs: DeadlineJob[]): Promise<void>;
  /**
   * The reconciler: many jobs, of which those the queue does not hold (by id) are added; returns
   * how many were missing. As idempotent as `schedule`, and cheap when nothing is missing.
   */
  scheduleMissing(jobs: DeadlineJob[]): Promise<number>;
}
