import { ManualClock } from '../../src/clock';
import type { ServiceContext } from '../../src/context';
import { enforceDeadlineStep } from '../../src/deadlines/enforce-deadline';
import { reconcileDeadlines } from '../../src/deadlines/reconciler';
import { Fixtures, type AgentFixture } from '../helpers/factories';
import { InlineDeadlineQueue } from '../helpers/inline-deadline-queue';
import { startTestApp, type TestApp } from '../helpers/test-app';

/**
 * Every promised time is a deadline. A ticket nobody answers for a week, across a weekend and a
 * holiday, with the clock injected and the deadline queue driven inline: at each promised time
 * exactly one holding update and one step up the ladder, staff told only in business hours, the
 * deadlines endpoint always naming the next promised time and why; then an answer ends it.
 * Berlin, March 2026 (UTC+1): Thu 5, Fri 6, Sat 7, Sun 8, Mon 9, Tue 10 (holiday), Wed 11, Thu 12.
 */
const NINE_TO_FIVE = Object.fromEntries(
  ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, { open: '09:00', close: '17:00' }]),
);
const THURSDAY_10 = new Date('2026-03-05T09:00:00Z');
const berlin = (day: number, hhmm: string) =>
  new Date(
    `2026-03-${String(day).padStart(2, '0')}T${String(Number(hhmm.slice(0, 2)) - 1).padStart(2, '0')}:${hhmm.slice(3)}:00.000Z`,
  ).toISOString();

let app: TestApp;
let f: Fixtures;
let clock: ManualClock;
let queue: InlineDeadlineQueue;
let ctx: ServiceContext;

beforeAll(async () => {
  clock = new ManualClock(THURSDAY_10);
  queue = new InlineDeadlineQueue();
  // Its own database: the simulated week must not enforce other test files' tickets.
  app = await startTestApp({ clock, isolated: true, deadlineJobs: queue });
  f = new Fixtures(app);
  ctx = app.ctx;
});
beforeEach(() => {
  clock.set(THURSDAY_10);
  queue.forget();
  queue.failScheduling = false;
});
afterAll(() => app.close());

async function silentTicket() {
  const team = await f.team({ businessHours: NINE_TO_FIVE, holidays: ['2026-03-10'] });
  const lead = await f.agent('supervisor', team.id);
  const other = await f.agent('supervisor', team.id);
  const rep = await f.agent('rep', team.id, { supervisorId: lead.id });
  const customer = await f.customer();
  const ticket = await f.ticket(rep.token, customer.id);
  return { team, lead, other, rep, customer, ticket };
}

async function deadlines(token: string, ticketId: string) {
  const res = await f.as(token).get(`/tickets/${ticketId}/deadlines`);
  expect(res.status).toBe(200);
  return res.body;
}

async function emails(ticketId: string, template: string) {
  return app.dataSource.query(
    `SELECT to_address, payload, next_attempt_at FROM outbox_emails
      WHERE ticket_id = $1 AND template = $2 ORDER BY created_at, to_address`,
    [ticketId, template],
  ) as Promise<
    Array<{ to_address: string; payload: Record<string, string>; next_attempt_at: Date }>
  >;
}

async function escalations(rep: AgentFixture, ticketId: string) {
  const timeline = (await f.as(rep.token).get(`/tickets/${ticketId}/timeline`)).body
    .items as Array<{
    type: string;
    at: string;
    data: { level: number; audience: string; notifiedAgentIds: string[] };
  }>;
  return timeline.filter((e) => e.type === 'escalated');
}

describe('a week of silence', () => {
  it('when nobody answers from Thursday to the next Friday, then each promised time brings one holding update and one step up the ladder, in business hours, and an answer ends it', async () => {
    const { rep, lead, other, customer, ticket } = await silentTicket();
    const promised = [
      berlin(6, '17:00'), // Thu 17:00 breach → promised Friday's close
      berlin(9, '17:00'), // Fri 17:00 → Monday (weekend)
      berlin(11, '17:00'), // Mon 17:00 → Wednesday (Tuesday is a holiday)
      berlin(12, '17:00'), // Wed 17:00 → Thursday
      berlin(13, '17:00'), // Thu 17:00 → Friday
    ];
    const breachTimes = [berlin(5, '17:00'), ...promised.slice(0, 4)];

    for (let step = 0; step < 5; step++) {
      await queue.runUntil(ctx, clock, new Date(breachTimes[step]!));
      const now = await deadlines(rep.token, ticket.id);
      // Always the next promised time, and why.
      expect(now.current).toMatchObject({
        kind: 'next_update',
        dueAt: promised[step],
        escalationLevel: step + 1,
        nextEscalation: { at: promised[step], level: step + 2 },
      });
      expect(now.current.explanation).toMatch(/^Promised in the holding update of /);
      expect(now.items[1].basis).toMatchObject({
        setBy: 'holding_update',
        promise: { escalationLevel: step + 1, holdingUpdateSent: true },
      });
      // Supervisors keep seeing it as overdue since Thursday, with the time now promised.
      const listed = await f.as(lead.token).get('/overdue');
      expect(
        listed.body.items.filter((i: { ticketId: string }) => i.ticketId === ticket.id),
      ).toEqual([
        expect.objectContaining({
          deadline: 'next_update',
          dueAt: promised[step],
          nextPromisedAt: promised[step],
          overdueSince: breachTimes[0],
          escalationLevel: step + 1,
        }),
      ]);
    }

    const holding = await emails(ticket.id, 'holding_update');
    expect(holding.map((h) => h.payload.nextUpdateBy)).toEqual(promised);
    expect(new Set(holding.map((h) => h.to_address))).toEqual(new Set([customer.email]));

    const ladder = await escalations(rep, ticket.id);
    expect(ladder.map((e) => [e.at, e.data.level, e.data.audience])).toEqual([
      [breachTimes[0], 1, 'owner_supervisor'],
      [breachTimes[1], 2, 'team_supervisors'],
      [breachTimes[2], 3, 'admins'],
      [breachTimes[3], 4, 'admins'],
      [breachTimes[4], 5, 'admins'],
    ]);
    expect(ladder[0]!.data.notifiedAgentIds).toEqual([lead.id]);
    expect(new Set(ladder[1]!.data.notifiedAgentIds)).toEqual(new Set([lead.id, other.id]));

    // Staff are told at their next opening, never at 17:00 closing time or on the holiday.
    const staff = await emails(ticket.id, 'escalation');
    const sendTimes = staff.map((e) => [e.to_address, e.next_attempt_at.toISOString()]);
    expect(sendTimes).toEqual(
      expect.arrayContaining([
        [lead.email, berlin(6, '09:00')],
        [lead.email, berlin(9, '09:00')],
        [other.email, berlin(9, '09:00')],
      ]),
    );
    const adminSends = staff
      .filter((e) => e.to_address !== lead.email && e.to_address !== other.email)
      .map((e) => e.next_attempt_at.toISOString());
    expect(adminSends).toEqual([berlin(11, '09:00'), berlin(12, '09:00'), berlin(13, '09:00')]);

    // The owner was warned an hour before each promised time, once each.
    const warnings = await emails(ticket.id, 'deadline_warning');
    expect(warnings.map((w) => w.payload.dueAt)).toEqual([
      berlin(5, '17:00'),
      ...promised.slice(0, 4),
    ]);

    // Exactly one of each step per promised time, even though every job ran.
    const steps: Array<{ step: string; n: number }> = await app.dataSource.query(
      `SELECT step, count(*)::int AS n FROM deadline_actions WHERE ticket_id = $1 GROUP BY step ORDER BY step`,
      [ticket.id],
    );
    expect(steps).toEqual([
      { step: 'breached', n: 5 },
      { step: 'warned', n: 5 },
    ]);

    // Friday morning the owner finally answers: the ladder ends, a fresh next-update deadline.
    clock.set(new Date(berlin(13, '10:00')));
    const answer = await f
      .as(rep.token)
      .post(`/tickets/${ticket.id}/updates`, { body: 'Fixed on our side', visibility: 'public' });
    expect(answer.status).toBe(201);
    const after = await deadlines(rep.token, ticket.id);
    expect(after.current).toMatchObject({
      kind: 'next_update',
      dueAt: berlin(16, '17:00'),
      escalationLevel: 0,
      nextEscalation: { level: 1, notify: 'owner_supervisor' },
    });
    expect(after.current.explanation).toMatch(/^Last public update Fri 13 Mar 2026 10:00/);
    const cleared = await f.as(lead.token).get('/overdue');
    expect(cleared.body.items.map((i: { ticketId: string }) => i.ticketId)).not.toContain(
      ticket.id,
    );
    await queue.runUntil(ctx, clock, new Date(berlin(13, '17:30')));
    expect(await emails(ticket.id, 'holding_update')).toHaveLength(5);
  });

  it('when the worker dies after a breach commits but before the next steps are scheduled, then after a restart the next promise is still enforced exactly once', async () => {
    const { rep, ticket } = await silentTicket();
    await queue.runUntil(ctx, clock, new Date(berlin(5, '16:59')));

    // Thursday 17:00: the breach transaction commits, then the process dies before scheduling.
    queue.failScheduling = true;
    await queue.runUntil(ctx, clock, new Date(berlin(5, '17:00')));
    queue.failScheduling = false;
    expect(queue.pending()).toEqual([]);
    // A twin of the same job, redelivered because it was never acknowledged, changes nothing.
    expect(
      await enforceDeadlineStep(ctx, {
        ticketId: ticket.id,
        kind: 'first_response',
        version: 1,
        step: 'breached',
      }),
    ).toEqual({ result: 'stale' });

    // Restart: the worker's reconcile pass rebuilds the schedule from Postgres.
    queue.forget();
    clock.set(new Date(berlin(6, '08:00')));
    const report = await reconcileDeadlines(ctx);
    expect(report.jobsScheduled).toBeGreaterThanOrEqual(2); // warn + breach of the promise
    await queue.runUntil(ctx, clock, new Date(berlin(6, '17:00')));
    // And a second reconcile (another worker starting) adds nothing that runs twice.
    await reconcileDeadlines(ctx);
    await queue.runUntil(ctx, clock, new Date(berlin(6, '17:30')));

    const holding = await emails(ticket.id, 'holding_update');
    expect(holding.map((h) => h.payload.nextUpdateBy)).toEqual([
      berlin(6, '17:00'),
      berlin(9, '17:00'),
    ]);
    expect((await escalations(rep, ticket.id)).map((e) => e.data.level)).toEqual([1, 2]);
    expect((await deadlines(rep.token, ticket.id)).current).toMatchObject({
      dueAt: berlin(9, '17:00'),
      escalationLevel: 2,
    });
  });

  it('when the customer opted out of automatic updates, then no holding update is sent but the ladder still climbs every reescalateAfterMinutes', async () => {
    const { rep, ticket, customer } = await silentTicket();
    await f.admin().patch(`/customers/${customer.id}`, { autoUpdates: false }).expect(200);
    await queue.runUntil(ctx, clock, new Date(berlin(6, '12:00')));

    expect(await emails(ticket.id, 'holding_update')).toEqual([]);
    const now = await deadlines(rep.token, ticket.id);
    // Thu 17:00 breach + 120 business minutes = Fri 11:00 (level 2), + 120 = Fri 13:00.
    expect((await escalations(rep, ticket.id)).map((e) => [e.at, e.data.level])).toEqual([
      [berlin(5, '17:00'), 1],
      [berlin(6, '11:00'), 2],
    ]);
    expect(now.current).toMatchObject({ dueAt: berlin(6, '13:00'), escalationLevel: 2 });
    expect(now.current.explanation).toContain('the customer opted out of automatic updates');
  });
});
