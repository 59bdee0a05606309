import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';

/**
 * bull-board's queue inspection UI for the given BullMQ queues, read-only (jobs can be looked at,
 * not retried, promoted or removed: Postgres holds the truth and the reconciler re-creates
 * deadline jobs). Returns the request handler to mount at `basePath`; app.ts puts the admin check
 * in front of it.
 */
export function createQueueBoard(queues: Queue[], basePath: string): unknown {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(basePath);
  createBullBoard({
    queues: queues.map(
      (queue) =>
        new BullMQAdapter(queue, {
          readOnlyMode: true,
          allowRetries: false,
          description: 'Deadline steps (warn, breach) scheduled as delayed jobs',
        }),
    ),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'OwnIt queues' } },
  });
  return serverAdapter.getRouter() as unknown;
}
