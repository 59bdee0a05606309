import type { Redis } from 'ioredis';
import { systemClock, type Clock } from '../../src/clock';
import type { ServiceContext } from '../../src/context';
import { enforceDeadlineStep } from '../../src/deadlines/enforce-deadline';
import { reconcileDeadlines } from '../../src/deadlines/reconciler';
import { createLogger } from '../../src/logger';
import { createProducerConnection } from '../../src/worker/redis-connection';
import { startWorkers, type RunningWorkers } from '../../src/worker/start-workers';
import { deleteKeys } from '../helpers/cleanup';
import { Fixtures } from '../helpers/factories';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { redisUrl } from '../helpers/test-environment';

/**
 * The deadline worker against real Redis and Postgres: deadlines a few seconds away fire once,
 * escalate once, send one holding update, and survive a Redis flush or a worker restart.
 * This file has a database and queue prefix of its own, since its worker acts on every ticket.
 */

/** Real time, shifted: tickets are "received" in the past so their deadline is seconds away. */
class ShiftedClock implements Clock {
  offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
}

const AROUND_THE_CLOCK = Object.fromEntries(
  ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [
    d,
    { open: '00:00', close: '24:00' },
  ]),
);
const VIP_POLICY = {
  warnBeforeMinutes: 0,
  reescalateAfterMinutes: 600,
  autoHoldingUpdate: true,
  tiers: { vip: { firstResponseWithinMinutes: 1 } },
};

let app: TestApp;
let f: Fixtures;
let clock: ShiftedClock;
let redis: Redis;
let workers: RunningWorkers | undefined;

function workerContext(): ServiceContext {
  return { ...app.ctx, clock: systemClock };
}

async function startWorker(): Promise<void> {
  workers = await startWorkers(
    workerContext(),
    redisUrl(),
    app.queuePrefix,
    createLogger('silent'),
    {
      deadlineConcurrency: 4,
    },
  );
}

async function stopWorker(): Promise<void> {
  await workers?.close();
  workers = undefined;
}

beforeAll(async () => {
  clock = new ShiftedClock();
  app = await startTestApp({ clock, isolated: true });
  f = new Fixtures(app);
  redis = createProducerConnection(redisUrl());
});
afterEach(stopWorker);
afterAll(async () => {
  redis.disconnect();
  await app.close();
});

/** A VIP ticket whose first response falls due `secondsAway` from now. */
async function vipTicketDueIn(secondsAway: number, policy: Record<string, unknown> = VIP_POLICY) {
  const team = await f.team({ businessHours: AROUND_THE_CLOCK, policy });
  const supervisor = await f.agent('supervisor', team.id);
  const rep = await f.agent('rep', team.id);
  const customer = await f.customer({ tier: 'vip' });
  clock.offsetMs = -(60 - secondsAway) * 1000;
  const ticket = await f.ticket(rep.token, customer.id);
  clock.offsetMs = 0;
  return { team, supervisor, rep, customer, ticket };
}

async function actions(ticketId: string) {
  return app.dataSource.query(
    `SELECT step, due_at, acted_at FROM deadline_actions WHERE ticket_id = $1 ORDER BY acted_at`,
    [ticketId],
  ) as Promise<Array<{ step: string; due_at: Date; acted_at: Date }>>;
}

async function outbox(ticketId: string) {
  return app.dataSource.query(
    `SELECT template, to_address FROM outbox_emails WHERE ticket_id = $1 ORDER BY created_at`,
    [ticketId],
  ) as Promise<Array<{ template: string; to_address: string }>>;
}

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function breachRecorded(ticketId: string) {
  return waitFor('the breach', async () => {
    const rows = await actions(ticketId);
    return rows.find((row) => row.step === 'breached');
  });
}

describe('deadline enforcement by the worker', () => {
  it('when a VIP ticket is not answered, then at its due time the breach, one escalation and one holding update are recorded', async () => {
    await startWorker();
    const { supervisor, rep, customer, ticket } = await vipTicketDueIn(3);
    const breach = await breachRecorded(ticket.id);

    expect(breach.acted_at.getTime() - breach.due_at.getTime()).toBeLessThan(2_000);
    expect(breach.due_at.toISOString()).toBe(ticket.firstResponseDueAt);
    await sleep(1_000); // give a duplicate, if any, the chance to appear
    expect((await actions(ticket.id)).map((a) => a.step)).toEqual(['breached']);

    const emails = await outbox(ticket.id);
    expect(emails.filter((e) => e.template === 'holding_update')).toEqual([
      { template: 'holding_update', to_address: customer.email },
    ]);
    expect(emails.filter((e) => e.template === 'escalation')).toEqual([
      { template: 'escalation', to_address: supervisor.email },
    ]);

    const timeline = await f.as(rep.token).get(`/tickets/${ticket.id}/timeline`);
    const types = timeline.body.items.map((e: { type: string }) => e.type);
    expect(types.filter((t: string) => t === 'deadline_breached')).toHaveLength(1);
    const escalated = timeline.body.items.filter((e: { type: string }) => e.type === 'escalated');
    expect(escalated).toHaveLength(1);
    expect(escalated[0].data).toMatchObject({ level: 1, notifiedAgentIds: [supervisor.id] });

    const after = await f.as(rep.token).get(`/tickets/${ticket.id}`);
    expect(after.body).toMatchObject({ ownerId: rep.id, escalationLevel: 1, status: 'open' });

    // The holding update's promise is the new deadline: enforced like any other, next level up.
    const deadlines = (await f.as(supervisor.token).get(`/tickets/${ticket.id}/deadlines`)).body;
    expect(deadlines.current).toMatchObject({
      kind: 'next_update',
      deadlineVersion: 2,
      escalationLevel: 1,
      explanation: expect.stringContaining('Promised in the holding update of'),
      nextEscalation: { level: 2, notify: 'team_supervisors' },
    });
    expect(after.body.breachCount).toBe(1);
    const queued = await app.dataSource.query(
      `SELECT payload->>'nextUpdateBy' AS promised FROM outbox_emails WHERE ticket_id = $1 AND template = 'holding_update'`,
      [ticket.id],
    );
    expect(queued[0].promised).toBe(deadlines.current.dueAt);
  });

  it('when a public update is posted before the due time, then nothing is breached, escalated or sent', async () => {
    await startWorker();
    const { rep, supervisor, ticket } = await vipTicketDueIn(3);
    await f
      .as(rep.token)
      .post(`/tickets/${ticket.id}/updates`, { body: 'Looking into it now', visibility: 'public' })
      .expect(201);
    await sleep(5_000);
    expect(await actions(ticket.id)).toEqual([]);
    const templates = (await outbox(ticket.id)).map((e) => e.template);
    expect(templates).toEqual(['ticket_acknowledgement', 'public_update']);
    const overdue = await f.as(supervisor.token).get('/overdue');
    expect(overdue.body.items.map((i: { ticketId: string }) => i.ticketId)).not.toContain(
      ticket.id,
    );
  });

  it('when Redis loses the jobs after the ticket was created, then the reconciler on worker start still enforces it once', async () => {
    const { customer, ticket } = await vipTicketDueIn(2);
    expect(await deleteKeys(redis, app.queuePrefix)).toBeGreaterThan(0);
    await sleep(2_500); // the deadline passes while nothing is scheduled
    await startWorker();
    await breachRecorded(ticket.id);
    await sleep(1_000);
    expect((await actions(ticket.id)).map((a) => a.step)).toEqual(['breached']);
    const holding = (await outbox(ticket.id)).filter((e) => e.template === 'holding_update');
    expect(holding).toEqual([{ template: 'holding_update', to_address: customer.email }]);
  });

  it('when Redis is flushed while the worker runs, then the periodic reconcile pass restores the job', async () => {
    await startWorker();
    const { ticket } = await vipTicketDueIn(3);
    await deleteKeys(redis, `${app.queuePrefix}:deadlines`);
    const report = await reconcileDeadlines(workerContext(), { horizonMs: 5 * 60_000 });
    expect(report.jobsScheduled).toBeGreaterThanOrEqual(1);
    await breachRecorded(ticket.id);
    expect((await actions(ticket.id)).map((a) => a.step)).toEqual(['breached']);
  });

  it('when the worker is stopped and restarted before the due time, then the deadline fires once', async () => {
    await startWorker();
    const { ticket } = await vipTicketDueIn(3);
    await stopWorker();
    await startWorker(); // reconciles on start: re-adding existing jobs is a no-op
    await breachRecorded(ticket.id);
    await sleep(1_000);
    expect((await actions(ticket.id)).map((a) => a.step)).toEqual(['breached']);
  });
});

describe('enforcement steps, run directly', () => {
  it('when a job for an older deadline version runs, then it does nothing', async () => {
    const { rep, ticket } = await vipTicketDueIn(-5); // already past due
    await f
      .as(rep.token)
      .post(`/tickets/${ticket.id}/updates`, { body: 'Hi', visibility: 'public' })
      .expect(201);
    const outcome = await enforceDeadlineStep(workerContext(), {
      ticketId: ticket.id,
      kind: 'first_response',
      version: 1,
      step: 'breached',
    });
    expect(outcome).toEqual({ result: 'stale' });
    expect(await actions(ticket.id)).toEqual([]);
  });

  it('when the same breach step runs twice, then the second run has no effect', async () => {
    const { ticket } = await vipTicketDueIn(-5);
    const job = {
      ticketId: ticket.id,
      kind: 'first_response' as const,
      version: 1,
      step: 'breached' as const,
    };
    expect(await enforceDeadlineStep(workerContext(), job)).toEqual({ result: 'done' });
    // The breach moved the deadline on (the holding update's promise): the twin finds it stale.
    expect(await enforceDeadlineStep(workerContext(), job)).toEqual({ result: 'stale' });
    expect((await actions(ticket.id)).map((a) => a.step)).toEqual(['breached']);
    expect((await outbox(ticket.id)).filter((e) => e.template === 'holding_update')).toHaveLength(
      1,
    );
  });

  it('when a step runs before its moment, then it asks to be run again at that moment', async () => {
    const { ticket } = await vipTicketDueIn(30);
    const outcome = await enforceDeadlineStep(workerContext(), {
      ticketId: ticket.id,
      kind: 'first_response',
      version: 1,
      step: 'breached',
    });
    expect(outcome).toEqual({ result: 'not_yet', retryAt: new Date(ticket.firstResponseDueAt!) });
  });

  it('when the promised time passes still unanswered, then the next level is told and another holding update promises a new time', async () => {
    const { rep, ticket } = await vipTicketDueIn(-5, {
      ...VIP_POLICY,
      nextUpdateWithinMinutes: 1,
    });
    const first = await enforceDeadlineStep(workerContext(), {
      ticketId: ticket.id,
      kind: 'first_response',
      version: 1,
      step: 'breached',
    });
    expect(first).toEqual({ result: 'done' });
    const later: ServiceContext = {
      ...app.ctx,
      clock: { now: () => new Date(Date.now() + 120_000) },
    };
    const second = await enforceDeadlineStep(later, {
      ticketId: ticket.id,
      kind: 'next_update',
      version: 2,
      step: 'breached',
    });
    expect(second).toEqual({ result: 'done' });
    expect((await actions(ticket.id)).map((a) => a.step)).toEqual(['breached', 'breached']);
    const res = await f.as(rep.token).get(`/tickets/${ticket.id}`);
    expect(res.body).toMatchObject({ escalationLevel: 2, breachCount: 2, ownerId: rep.id });
    const escalated = (await f.as(rep.token).get(`/tickets/${ticket.id}/timeline`)).body.items
      .filter((e: { type: string }) => e.type === 'escalated')
      .map((e: { data: { level: number; audience: string } }) => [e.data.level, e.data.audience]);
    expect(escalated).toEqual([
      [1, 'owner_supervisor'],
      [2, 'team_supervisors'],
    ]);
    const holding = (await outbox(ticket.id)).filter((e) => e.template === 'holding_update');
    expect(holding).toHaveLength(2);
  });

  it('when the warning moment comes, then the owner is warned once by timeline and email', async () => {
    const { rep, ticket } = await vipTicketDueIn(-5, {
      ...VIP_POLICY,
      warnBeforeMinutes: 30,
      tiers: {},
    });
    // Standard close-of-day deadline; warn 30 business minutes before it.
    const deadlines = (await f.as(rep.token).get(`/tickets/${ticket.id}/deadlines`)).body;
    const warnAt = new Date(deadlines.current.warnAt);
    expect(new Date(deadlines.current.dueAt).getTime() - warnAt.getTime()).toBe(30 * 60_000);
    const atWarn: ServiceContext = { ...app.ctx, clock: { now: () => warnAt } };
    const job = {
      ticketId: ticket.id,
      kind: 'first_response' as const,
      version: 1,
      step: 'warned' as const,
    };
    expect(await enforceDeadlineStep(atWarn, job)).toEqual({ result: 'done' });
    expect(await enforceDeadlineStep(atWarn, job)).toEqual({ result: 'duplicate' });
    const warnings = (await outbox(ticket.id)).filter((e) => e.template === 'deadline_warning');
    expect(warnings).toEqual([{ template: 'deadline_warning', to_address: rep.email }]);
  });
});
