import type { ServiceContext } from '../../src/context';
import type { DeadlineJob, DeadlineJobQueue } from '../../src/deadline-rules/deadline-jobs';
import { enforceDeadlineStep, type EnforcementOutcome } from '../../src/deadlines/enforce-deadline';
import type { ManualClock } from '../../src/clock';

/**
 * The app's deadline-queue port, driven inline against an injected clock: a "sync driver" for
 * simulating days of enforcement in a second. Jobs keep the production ids (adding one twice is a
 * no-op) and run through the production handler; `runUntil` moves the clock to each job's moment
 * in turn, as a punctual worker would. Dropping the queue (`forget`) is what a Redis flush or a
 * crashed worker does to scheduled jobs.
 */
export class InlineDeadlineQueue implements DeadlineJobQueue {
  private jobs = new Map<string, DeadlineJob>();
  /** While set, scheduling fails: the process died right after its transaction committed. */
  failScheduling = false;
  readonly ran: Array<{ job: DeadlineJob; at: Date; outcome: EnforcementOutcome }> = [];

  async schedule(jobs: DeadlineJob[]): Promise<void> {
    if (this.failScheduling) throw new Error('worker died before scheduling');
    for (const job of jobs) if (!this.jobs.has(job.id)) this.jobs.set(job.id, job);
  }

  async scheduleMissing(jobs: DeadlineJob[]): Promise<number> {
    const missing = jobs.filter((job) => !this.jobs.has(job.id)).length;
    await this.schedule(jobs);
    return missing;
  }

  forget(): void {
    this.jobs.clear();
  }

  pending(): DeadlineJob[] {
    return [...this.jobs.values()].sort((a, b) => a.runAt.getTime() - b.runAt.getTime());
  }

  /** Runs every job due up to `until`, moving the clock to each one's moment. */
  async runUntil(ctx: ServiceContext, clock: ManualClock, until: Date): Promise<void> {
    for (;;) {
      const next = this.pending()[0];
      if (!next || next.runAt > until) break;
      this.jobs.delete(next.id);
      if (next.runAt > clock.now()) clock.set(next.runAt);
      const outcome = await enforceDeadlineStep(ctx, next);
      this.ran.push({ job: next, at: clock.now(), outcome });
      if (outcome.result === 'not_yet') this.jobs.set(next.id, { ...next, runAt: outcome.retryAt });
    }
    if (until > clock.now()) clock.set(until);
  }
}
