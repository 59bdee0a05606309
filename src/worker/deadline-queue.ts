import { DelayedError, Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ServiceContext } from '../context';
import type {
  DeadlineJob,
  DeadlineJobPayload,
  DeadlineJobQueue,
} from '../deadline-rules/deadline-jobs';
import { enforceDeadlineStep, type DeadlineStepObserver } from '../deadlines/enforce-deadline';
import type { Logger } from '../logger';
import { parseDeadlineJobPayload } from './deadline-job-payload';

export const DEADLINE_QUEUE = 'deadlines';
const SCHEDULE_TIMEOUT_MS = 2_000;
/** Jobs per addBulk call (one Redis round trip each). */
const SCHEDULE_CHUNK = 1_000;

const JOB_OPTIONS = {
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
    if (this.connection.status !== 'ready') {
      throw new Error(`Redis is ${this.connection.status}; deadline jobs left to the reconciler`);
    }
    // The timeout is per chunk: a reconciler pass of thousands of jobs on a busy Redis is not
    // one slow request, while a request's few jobs still fail fast.
    for (let offset = 0; offset < jobs.length; offset += SCHEDULE_CHUNK) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error('scheduling deadline jobs timed out')),
          SCHEDULE_TIMEOUT_MS,
        );
      });
      try {
        await Promise.race([this.add(jobs.slice(offset, offset + SCHEDULE_CHUNK)), timeout]);
      } finally {
        clearTimeout(timer);
      }
    }
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
        return {
          name: job.step,
          data,
          opts: { ...JOB_OPTIONS, jobId: job.id, delay: Math.max(0, job.runAt.getTime() - now) },
        };
      }),
    );
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}

export function startDeadlineWorker(
  ctx: ServiceContext,
  connection: Redis,
  prefix: string,
  logger: Logger,
  concurrency = 16,
  observe?: DeadlineStepObserver,
): Worker {
  const worker = new Worker(
    DEADLINE_QUEUE,
    async (job: Job<unknown>, token?: string) => {
      // Checked at the door: a malformed payload fails for good, it is never retried.
      const parsed = parseDeadlineJobPayload(job.data);
      if (!parsed.ok) throw new UnrecoverableError(`malformed deadline job: ${parsed.problem}`);
      const outcome = await enforceDeadlineStep(ctx, parsed.payload, observe);
      if (outcome.result === 'not_yet') {
        // Ran early (clock skew between hosts): put it back until its moment.
        await job.moveToDelayed(outcome.retryAt.getTime(), token);
        throw new DelayedError();
      }
      return outcome.result;
    },
    { connection, prefix, concurrency },
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
