import { Redis } from 'ioredis';
import { BullDeadlineQueue } from '../../src/worker/deadline-queue';
import { Fixtures } from '../helpers/factories';
import { startTestApp, type TestApp } from '../helpers/test-app';

/** Postgres holds the deadline; scheduling is best effort and never holds up a request. */
let app: TestApp;
let f: Fixtures;

beforeAll(async () => {
  app = await startTestApp();
  f = new Fixtures(app);
});
afterAll(() => app.close());

describe('when Redis is unreachable', () => {
  it('when a ticket is created, then it is accepted at once and its deadline is kept in Postgres', async () => {
    const { reps, customer } = await f.staffedTeam();
    const unreachable = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      enableOfflineQueue: false,
    });
    const down = new BullDeadlineQueue(unreachable, 'ownit-unreachable');
    const working = app.ctx.deadlineJobs;
    app.ctx.deadlineJobs = down;
    try {
      const started = Date.now();
      const ticket = await f.ticket(reps[0]!.token, customer.id);
      expect(Date.now() - started).toBeLessThan(2_000);
      const [row] = await app.dataSource.query(
        `SELECT deadline_kind, deadline_due_at FROM tickets WHERE id = $1`,
        [ticket.id],
      );
      expect(row.deadline_kind).toBe('first_response');
      expect(row.deadline_due_at.toISOString()).toBe(ticket.firstResponseDueAt);
    } finally {
      app.ctx.deadlineJobs = working;
      await down.close().catch(() => undefined);
      unreachable.disconnect();
    }
  });
});
