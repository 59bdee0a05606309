import type { DeadlineJobPayload } from '../deadline-rules/deadline-jobs';
import type { EnforcementOutcome } from '../deadlines/enforce-deadline';

type RunBatch = (jobs: DeadlineJobPayload[]) => Promise<EnforcementOutcome[]>;

interface Waiting {
  job: DeadlineJobPayload;
  resolve: (outcome: EnforcementOutcome) => void;
  reject: (error: unknown) => void;
  /** performance.now() when it arrived: a batch lingers from its oldest job's arrival. */
  arrivedAt: number;
}

/**
 * Gathers the deadline jobs a worker holds into batches, each enforced in one transaction
 * (enforceDeadlineSteps), at most `transactions` at once. A batch starts when it is full, or
 * `lingerMs` after its first job arrived: a steady stream of deadlines (a few a millisecond
 * apart) then shares transactions instead of paying one each, for a few milliseconds of
 * lateness, and in a closing-time herd the jobs that arrive during a transaction go together in
 * the next. One job per ticket per batch; a ticket's second job waits for the next. A failed
 * batch is taken again one job at a time, so one bad ticket fails only its own job.
 */
export class DeadlineBatcher {
  private readonly waiting: Waiting[] = [];
  private running = 0;
  private flushQueued = false;
  private lingerTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly run: RunBatch,
    private readonly transactions: number,
    private readonly batchSize: number,
    private readonly lingerMs = 0,
  ) {}

  enforce(job: DeadlineJobPayload): Promise<EnforcementOutcome> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ job, resolve, reject, arrivedAt: performance.now() });
      this.queueFlush();
    });
  }

  /**
   * A full batch goes on the next turn of the event loop (the jobs that arrive together go
   * together); a smaller one once its oldest job has lingered `lingerMs` (jobs that already
   * waited for a busy transaction do not wait again).
   */
  private queueFlush(): void {
    if (this.flushQueued || this.running >= this.transactions || this.waiting.length === 0) return;
    const lingerLeft = this.waiting[0]!.arrivedAt + this.lingerMs - performance.now();
    if (lingerLeft > 0 && this.waiting.length < this.batchSize) {
      this.lingerTimer ??= setTimeout(() => {
        this.lingerTimer = undefined;
        this.flushNow();
      }, lingerLeft);
      return;
    }
    this.flushNow();
  }

  private flushNow(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    setImmediate(() => {
      this.flushQueued = false;
      clearTimeout(this.lingerTimer);
      this.lingerTimer = undefined;
      while (this.running < this.transactions && this.waiting.length > 0) {
        void this.runBatch(this.takeBatch());
      }
    });
  }

  private takeBatch(): Waiting[] {
    const batch: Waiting[] = [];
    const tickets = new Set<string>();
    for (let i = 0; i < this.waiting.length && batch.length < this.batchSize;) {
      const entry = this.waiting[i]!;
      if (tickets.has(entry.job.ticketId)) {
        i++;
        continue;
      }
      tickets.add(entry.job.ticketId);
      batch.push(entry);
      this.waiting.splice(i, 1);
    }
    return batch;
  }

  private async runBatch(batch: Waiting[]): Promise<void> {
    this.running++;
    try {
      const outcomes = await this.run(batch.map((entry) => entry.job));
      batch.forEach((entry, i) => entry.resolve(outcomes[i]!));
    } catch (error) {
      if (batch.length === 1) batch[0]!.reject(error);
      else for (const entry of batch) await this.runAlone(entry);
    } finally {
      this.running--;
      this.queueFlush();
    }
  }

  private async runAlone(entry: Waiting): Promise<void> {
    try {
      const [outcome] = await this.run([entry.job]);
      entry.resolve(outcome!);
    } catch (error) {
      entry.reject(error);
    }
  }
}
