import { DelayedError, Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ServiceContext } from '../context';
import type {
  DeadlineJob,
  DeadlineJobPayload,
  DeadlineJobQueue,
} from '../deadline-rules/deadline-jobs';
import { enforceDeadlineSteps, type DeadlineStepObserver } from '../deadlines/enforce-deadline';
import { DeadlineBatcher } from './deadline-batcher';
import type { Logger } from '../logger';
import { parseDeadlineJobPayload } from './deadline-job-payload';

export const DEADLINE_QUEUE = 'deadlines';
const SCHEDULE_TIMEOUT_MS = 2_000;
/** Jobs per addBulk call (one pipelined Redis round trip each). */
export const SCHEDULE_CHUNK = 1_000;
/**
 * Reconciler chunks in flight at once: Redis runs one chunk's scripts while this process encodes
 * the next, instead of each side waiting for the other (measured in `npm run bench:reconcile`).
 */
export const RECONCILE_CHUNKS_IN_FLIGHT = 4;

/**
 * How long a deadline job waits for others to share its transaction: a few milliseconds of
 * lateness against a fraction of the CPU per step when deadlines keep arriving (measured with
 * `npm run bench:deadlines -- --intake-rate R`).
 */
const BATCH_LINGER_MS = 20;

/** Every deadline job's options (exported for the bare-BullMQ baseline of bench:reconcile). */
export const JOB_OPTIONS = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: true,
  // A failed job must not block its id: the reconciler re-adds the step, and the failure is logged.
  removeOnFail: true,
} as const;

/** Schedules deadline steps as delayed BullMQ jobs whose ids make re-scheduling a no-op. */
export class BullDeadlineQueue implements DeadlineJobQueue {
  readonly queue: Queue;

  constructor(
    private readonly connection: Redis,
    prefix: string,
    onError: (error: Error) => void = () => undefined,
  ) {
    this.queue = new Queue(DEADLINE_QUEUE, { connection, prefix });
    // An 'error' event without a listener would crash the process; connection errors are
    // reported by the connection's own listener and scheduling failures by schedule().
    this.queue.on('error', onError);
  }

  /**
   * Fails fast when Redis is not there (a request must never hang on scheduling: Postgres already
   * holds the deadline and the reconciler schedules it later).
   */
  async schedule(jobs: DeadlineJob[]): Promise<void> {
    if (jobs.length === 0) return;
    this.assertReady();
    // The timeout is per chunk: a reconciler pass of thousands of jobs on a busy Redis is not
    // one slow request, while a request's few jobs still fail fast.
    for (let offset = 0; offset < jobs.length; offset += SCHEDULE_CHUNK) {
      await withTimeout(this.add(jobs.slice(offset, offset + SCHEDULE_CHUNK)), SCHEDULE_TIMEOUT_MS);
    }
  }

  /**
   * The reconciler's bulk path: chunks of `SCHEDULE_CHUNK` jobs, `RECONCILE_CHUNKS_IN_FLIGHT` at
   * a time, each with a timeout (a dead Redis fails the pass; the next one retries). A chunk whose jobs all exist costs
   * one EXISTS instead of a script per job that finds its duplicate.
   */
  async scheduleMissing(jobs: DeadlineJob[]): Promise<number> {
    if (jobs.length === 0) return 0;
    this.assertReady();
    const chunks: DeadlineJob[][] = [];
    for (let offset = 0; offset < jobs.length; offset += SCHEDULE_CHUNK) {
      chunks.push(jobs.slice(offset, offset + SCHEDULE_CHUNK));
    }
    let next = 0;
    let missing = 0;
    let failed = false;
    const lane = async () => {
      while (!failed && next < chunks.length) {
        const chunk = chunks[next++]!;
        try {
          // A chunk waits behind the other lanes' chunks: the same budget per chunk as
          // `schedule` gives one, times the chunks in flight.
          const added = await withTimeout(
            this.addMissing(chunk),
            SCHEDULE_TIMEOUT_MS * RECONCILE_CHUNKS_IN_FLIGHT,
          );
          missing += added; // not `missing += await …`: that reads `missing` before the await
        } catch (error) {
          failed = true; // the other lanes stop after their chunk in hand
          throw error;
        }
      }
    };
    const lanes = Math.min(RECONCILE_CHUNKS_IN_FLIGHT, chunks.length);
    await Promise.all(Array.from({ length: lanes }, lane));
    return missing;
  }

  private assertReady(): void {
    if (this.connection.status !== 'ready') {
      throw new Error(`Redis is ${this.connection.status}; deadline jobs left to the reconciler`);
    }
  }

  /**
   * The job key BullMQ's own dedupe checks: if it exists, adding the job is a no-op, so skipping
   * it is the same outcome. On a healthy queue a chunk is all present (one command); after a
   * flush, none (one command, then the adds); in between BullMQ sorts out which are duplicates.
   * One multi-key EXISTS is fine on a Redis Cluster: BullMQ keeps a queue's keys in one slot.
   */
  private async addMissing(chunk: DeadlineJob[]): Promise<number> {
    const present = await this.connection.exists(chunk.map((job) => this.queue.toKey(job.id)));
    if (present >= chunk.length) return 0;
    await this.add(chunk);
    return chunk.length - present;
  }

  private async add(jobs: DeadlineJob[]): Promise<void> {
    const now = Date.now();
    await this.queue.addBulk(
      jobs.map((job) => {
        const data: DeadlineJobPayload = {
          ticketId: job.ticketId,
          kind: job.kind,
          version: job.version,
          step: job.step,
        };
        // A literal, not `{ ...JOB_OPTIONS, … }`: spreading showed in the reconciler's profile.
        const opts = {
          attempts: JOB_OPTIONS.attempts,
          backoff: { type: JOB_OPTIONS.backoff.type, delay: JOB_OPTIONS.backoff.delay },
          removeOnComplete: JOB_OPTIONS.removeOnComplete,
          removeOnFail: JOB_OPTIONS.removeOnFail,
          jobId: job.id,
          delay: Math.max(0, job.runAt.getTime() - now),
        };
        return { name: job.step, data, opts };
      }),
    );
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}

/**
 * The deadline worker: up to `concurrency` enforcement transactions at once, each taking up to
 * `batchSize` of the jobs in hand (so BullMQ holds concurrency × batchSize jobs).
 */
export function startDeadlineWorker(
  ctx: ServiceContext,
  connection: Redis,
  prefix: string,
  logger: Logger,
  concurrency = 4,
  observe?: DeadlineStepObserver,
  batchSize = 50,
): Worker {
  const batcher = new DeadlineBatcher(
    (jobs) => enforceDeadlineSteps(ctx, jobs, observe),
    concurrency,
    batchSize,
    BATCH_LINGER_MS,
  );
  const worker = new Worker(
    DEADLINE_QUEUE,
    async (job: Job<unknown>, token?: string) => {
      // Checked at the door: a malformed payload fails for good, it is never retried.
      const parsed = parseDeadlineJobPayload(job.data);
      if (!parsed.ok) throw new UnrecoverableError(`malformed deadline job: ${parsed.problem}`);
      const outcome = await batcher.enforce(parsed.payload);
      if (outcome.result === 'not_yet') {
        // Ran early (clock skew between hosts): put it back until its moment.
        await job.moveToDelayed(outcome.retryAt.getTime(), token);
        throw new DelayedError();
      }
      return outcome.result;
    },
    { connection, prefix, concurrency: concurrency * batchSize },
  );
  worker.on('failed', (job, error) =>
    logger.error(
      { err: error, jobId: job?.id, attempts: job?.attemptsMade },
      'deadline job failed',
    ),
  );
  worker.on('error', (error) => logger.error({ err: error }, 'deadline worker error'));
  return worker;
}

/** Rejects if `work` takes longer than `ms` (the work itself is not cancelled). */
async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('scheduling deadline jobs timed out')), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
