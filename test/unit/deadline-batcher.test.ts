import type { DeadlineJobPayload } from '../../src/deadline-rules/deadline-jobs';
import type { EnforcementOutcome } from '../../src/deadlines/enforce-deadline';
import { DeadlineBatcher } from '../../src/worker/deadline-batcher';

const job = (
  ticketId: string,
  step: DeadlineJobPayload['step'] = 'breached',
): DeadlineJobPayload => ({
  ticketId,
  kind: 'first_response',
  version: 1,
  step,
});

/** A run that records its batches and answers each job with its ticket id, after a turn. */
function recordingRun(fail: (jobs: DeadlineJobPayload[]) => boolean = () => false) {
  const batches: string[][] = [];
  let running = 0;
  let mostAtOnce = 0;
  const run = async (jobs: DeadlineJobPayload[]): Promise<EnforcementOutcome[]> => {
    batches.push(jobs.map((j) => `${j.ticketId}:${j.step}`));
    running++;
    mostAtOnce = Math.max(mostAtOnce, running);
    await new Promise((resolve) => setTimeout(resolve, 5));
    running--;
    if (fail(jobs)) throw new Error(`batch with ${jobs.map((j) => j.ticketId).join(',')} failed`);
    return jobs.map(() => ({ result: 'done' }));
  };
  return { run, batches, mostAtOnce: () => mostAtOnce };
}

describe('the deadline batcher', () => {
  it('when one job arrives alone, then it runs at once as a batch of one', async () => {
    const { run, batches } = recordingRun();
    const batcher = new DeadlineBatcher(run, 2, 50);
    await expect(batcher.enforce(job('a'))).resolves.toEqual({ result: 'done' });
    expect(batches).toEqual([['a:breached']]);
  });

  it('when jobs arrive together, then they go in batches of at most the batch size, with at most `transactions` running', async () => {
    const { run, batches, mostAtOnce } = recordingRun();
    const batcher = new DeadlineBatcher(run, 2, 3);
    const ids = Array.from({ length: 10 }, (_, i) => `t${i}`);
    const outcomes = await Promise.all(ids.map((id) => batcher.enforce(job(id))));
    expect(outcomes).toHaveLength(10);
    expect(batches.every((b) => b.length <= 3)).toBe(true);
    expect(batches.flat().sort()).toEqual(ids.map((id) => `${id}:breached`).sort());
    expect(mostAtOnce()).toBe(2);
    expect(batches.length).toBeLessThanOrEqual(4);
  });

  it('when a ticket has two jobs waiting, then they go in different batches, in arrival order', async () => {
    const { run, batches } = recordingRun();
    const batcher = new DeadlineBatcher(run, 1, 50);
    await Promise.all([
      batcher.enforce(job('a', 'warned')),
      batcher.enforce(job('b')),
      batcher.enforce(job('a', 'breached')),
    ]);
    expect(batches).toEqual([['a:warned', 'b:breached'], ['a:breached']]);
  });

  it('when a batch fails, then its jobs are taken one at a time and only the bad one fails', async () => {
    const { run, batches } = recordingRun((jobs) => jobs.some((j) => j.ticketId === 'bad'));
    const batcher = new DeadlineBatcher(run, 1, 50);
    const results = await Promise.allSettled(
      ['a', 'bad', 'c'].map((id) => batcher.enforce(job(id))),
    );
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(batches).toEqual([
      ['a:breached', 'bad:breached', 'c:breached'],
      ['a:breached'],
      ['bad:breached'],
      ['c:breached'],
    ]);
  });

  it('when jobs arrive a few milliseconds apart, then they wait up to the linger and share one batch', async () => {
    const { run, batches } = recordingRun();
    const batcher = new DeadlineBatcher(run, 2, 50, 40);
    const outcomes: Array<Promise<EnforcementOutcome>> = [];
    for (const id of ['a', 'b', 'c']) {
      outcomes.push(batcher.enforce(job(id)));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await Promise.all(outcomes);
    expect(batches).toEqual([['a:breached', 'b:breached', 'c:breached']]);
  });

  it('when a batch is full, then it goes at once without lingering', async () => {
    const { run, batches } = recordingRun();
    const batcher = new DeadlineBatcher(run, 1, 2, 60_000);
    const started = Date.now();
    await Promise.all(['a', 'b'].map((id) => batcher.enforce(job(id))));
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(batches).toEqual([['a:breached', 'b:breached']]);
  });

  it('when jobs waited behind a busy transaction longer than the linger, then they go as soon as it frees', async () => {
    const started: number[] = [];
    const ended: number[] = [];
    const batches: string[][] = [];
    const batcher = new DeadlineBatcher(
      async (jobs) => {
        started.push(Date.now());
        batches.push(jobs.map((j) => j.ticketId));
        await new Promise((resolve) => setTimeout(resolve, 300));
        ended.push(Date.now());
        return jobs.map(() => ({ result: 'done' as const }));
      },
      1,
      50,
      200,
    );
    const first = batcher.enforce(job('a'));
    await new Promise((resolve) => setTimeout(resolve, 250)); // 'a' lingered, is now running
    await Promise.all([first, batcher.enforce(job('b')), batcher.enforce(job('c'))]);
    expect(batches).toEqual([['a'], ['b', 'c']]);
    // 'b' and 'c' had waited ~250 ms when 'a' ended: no second linger of 200 ms.
    expect(started[1]! - ended[0]!).toBeLessThan(100);
  });
});
