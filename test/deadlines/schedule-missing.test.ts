import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { planDeadlineJobs, type DeadlineJob } from '../../src/deadline-rules/deadline-jobs';
import { BullDeadlineQueue } from '../../src/worker/deadline-queue';
import { createProducerConnection, waitUntilReady } from '../../src/worker/redis-connection';
import { deleteKeys } from '../helpers/cleanup';
import { redisUrl, testQueuePrefix } from '../helpers/test-environment';

/**
 * The reconciler's bulk path against real Redis: it re-creates exactly the jobs the queue lacks,
 * with the same ids and moments as the request path, and a pass over a healthy queue adds nothing.
 */
let redis: Redis;
let prefix: string;
let queue: BullDeadlineQueue;

beforeAll(async () => {
  redis = createProducerConnection(redisUrl());
  await waitUntilReady(redis);
});
beforeEach(() => {
  prefix = `${testQueuePrefix()}-missing-${randomBytes(3).toString('hex')}`;
  queue = new BullDeadlineQueue(redis, prefix);
});
afterEach(async () => {
  await queue.close();
  await deleteKeys(redis, prefix);
});
afterAll(() => redis.disconnect());

/** A warning and a breach for each of `tickets` tickets, due within the next days. */
function jobsFor(tickets: number): DeadlineJob[] {
  const now = new Date();
  return Array.from({ length: tickets }, (_, i) => {
    const dueAt = new Date(now.getTime() + 3_600_000 + i * 60_000);
    return planDeadlineJobs(
      {
        ticketId: randomUUID(),
        kind: 'first_response',
        version: 1,
        dueAt,
        warnAt: new Date(dueAt.getTime() - 1_800_000),
        done: new Set(),
      },
      now,
    );
  }).flat();
}

async function jobIdsInQueue(): Promise<string[]> {
  const jobs = await queue.queue.getJobs(['delayed', 'waiting'], 0, -1);
  return jobs.map((job) => job.id!).sort();
}

describe('scheduling the jobs missing from the queue (the reconciler)', () => {
  it('when the queue is empty, then every job is added, delayed until its moment, over several chunks', async () => {
    const jobs = jobsFor(1_300); // 2,600 jobs: three chunks in flight
    expect(await queue.scheduleMissing(jobs)).toBe(jobs.length);
    expect(await jobIdsInQueue()).toEqual(jobs.map((job) => job.id).sort());
    const sample = jobs[jobs.length - 1]!;
    const stored = await queue.queue.getJob(sample.id);
    expect(stored?.data).toEqual({
      ticketId: sample.ticketId,
      kind: sample.kind,
      version: sample.version,
      step: sample.step,
    });
    expect(stored!.timestamp + stored!.delay).toBeGreaterThanOrEqual(sample.runAt.getTime() - 50);
    expect(stored!.timestamp + stored!.delay).toBeLessThanOrEqual(sample.runAt.getTime() + 50);
  });

  it('when every job is already queued, then nothing is added and the jobs are left as they were', async () => {
    const jobs = jobsFor(600);
    await queue.schedule(jobs);
    const before = await queue.queue.getJob(jobs[0]!.id);
    expect(await queue.scheduleMissing(jobs)).toBe(0);
    expect(await jobIdsInQueue()).toEqual(jobs.map((job) => job.id).sort());
    expect((await queue.queue.getJob(jobs[0]!.id))?.timestamp).toBe(before?.timestamp);
  });

  it('when some jobs of a chunk were lost, then only those are re-created, under the same ids', async () => {
    const jobs = jobsFor(600);
    await queue.schedule(jobs);
    const lost = [jobs[3]!, jobs[500]!, jobs[1_100]!];
    for (const job of lost) await queue.queue.remove(job.id);
    const kept = await queue.queue.getJob(jobs[0]!.id);
    expect(await queue.scheduleMissing(jobs)).toBe(lost.length);
    expect(await jobIdsInQueue()).toEqual(jobs.map((job) => job.id).sort());
    expect((await queue.queue.getJob(jobs[0]!.id))?.timestamp).toBe(kept?.timestamp);
  });

  it('when Redis is unreachable, then it fails at once and schedules nothing', async () => {
    const unreachable = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      enableOfflineQueue: false,
    });
    const down = new BullDeadlineQueue(unreachable, prefix);
    try {
      const started = Date.now();
      await expect(down.scheduleMissing(jobsFor(10))).rejects.toThrow(/Redis is/);
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(await jobIdsInQueue()).toEqual([]);
    } finally {
      await down.close().catch(() => undefined);
      unreachable.disconnect();
    }
  });
});
