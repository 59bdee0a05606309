import type { ServiceContext } from '../../src/context';
import { enforceDeadlineStep } from '../../src/deadlines/enforce-deadline';
import { ManualClock } from '../../src/clock';
import { Fixtures } from '../helpers/factories';
import { startTestApp, type TestApp } from '../helpers/test-app';

/**
 * A promise (a kind of deadline due at an instant) is enforced once: changing team rules or
 * pausing and resuming a late ticket must not breach, escalate or email it a second time.
 */
const NINE_TO_FIVE = Object.fromEntries(
  ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, { open: '09:00', close: '17:00' }]),
);
const WEDNESDAY_11 = new Date('2026-03-04T10:00:00Z'); // 11:00 in Berlin

let app: TestApp;
let f: Fixtures;
let clock: ManualClock;

beforeAll(async () => {
  clock = new ManualClock(WEDNESDAY_11);
  app = await startTestApp({ clock });
  f = new Fixtures(app);
});
beforeEach(() => clock.set(WEDNESDAY_11));
afterAll(() => app.close());

async function lateTicket() {
  const team = await f.team({ businessHours: NINE_TO_FIVE });
  await f.agent('supervisor', team.id);
  const rep = await f.agent('rep', team.id);
  const customer = await f.customer();
  const ticket = await f.ticket(rep.token, customer.id);
  clock.set(new Date('2026-03-04T17:00:00Z')); // 18:00 Berlin: the first response is an hour late
  const ctx: ServiceContext = { ...app.ctx, clock };
  const breach = {
    ticketId: ticket.id,
    kind: 'first_response' as const,
    version: 1,
    step: 'breached' as const,
  };
  expect(await enforceDeadlineStep(ctx, breach)).toEqual({ result: 'done' });
  return { team, rep, ticket, ctx };
}

async function effects(ticketId: string) {
  const [row] = await app.dataSource.query(
    `SELECT (SELECT count(*)::int FROM deadline_actions WHERE ticket_id = $1 AND step = 'breached') AS breaches,
            (SELECT count(*)::int FROM outbox_emails WHERE ticket_id = $1 AND template = 'holding_update') AS holding`,
    [ticketId],
  );
  return row as { breaches: number; holding: number };
}

async function runCurrentBreachStep(ctx: ServiceContext, ticketId: string) {
  const [t] = await app.dataSource.query(
    `SELECT deadline_kind AS kind, deadline_version AS version FROM tickets WHERE id = $1`,
    [ticketId],
  );
  if (!t.kind) return { result: 'none' };
  return enforceDeadlineStep(ctx, { ticketId, kind: t.kind, version: t.version, step: 'breached' });
}

describe('a breached promise is enforced once', () => {
  it('when the team changes its warning minutes after a breach, then the breach is not repeated', async () => {
    const { team, rep, ticket, ctx } = await lateTicket();
    await f
      .admin()
      .patch(`/teams/${team.id}`, { policy: { warnBeforeMinutes: 5 } })
      .expect(200);
    // The current deadline is now the time the holding update promised (Thursday's close).
    expect(await runCurrentBreachStep(ctx, ticket.id)).toEqual({
      result: 'not_yet',
      retryAt: new Date('2026-03-05T16:00:00Z'),
    });
    expect(
      await enforceDeadlineStep(ctx, {
        ticketId: ticket.id,
        kind: 'first_response',
        version: 1,
        step: 'breached',
      }),
    ).toEqual({ result: 'stale' });
    expect(await effects(ticket.id)).toEqual({ breaches: 1, holding: 1 });
    const res = await f.as(rep.token).get(`/tickets/${ticket.id}`);
    expect(res.body).toMatchObject({ escalationLevel: 1, breachCount: 1 });
  });

  it('when a breached ticket is paused and resumed, then the promised time and the level stand and it is not breached again', async () => {
    const team = await f.team({ businessHours: NINE_TO_FIVE });
    await f.agent('supervisor', team.id);
    const rep = await f.agent('rep', team.id);
    const customer = await f.customer();
    const ticket = await f.ticket(rep.token, customer.id);
    await f
      .as(rep.token)
      .post(`/tickets/${ticket.id}/updates`, { body: 'On it', visibility: 'public' })
      .expect(201);
    const answered = await f.as(rep.token).get(`/tickets/${ticket.id}`);
    const dueAt = answered.body.nextUpdateDueAt as string; // Thursday 17:00 Berlin
    clock.set(new Date(new Date(dueAt).getTime() + 3_600_000));
    const ctx: ServiceContext = { ...app.ctx, clock };
    expect((await runCurrentBreachStep(ctx, ticket.id)).result).toBe('done');

    await f
      .as(rep.token)
      .patch(`/tickets/${ticket.id}`, { status: 'waiting_on_customer' })
      .expect(200);
    clock.advance(3_600_000);
    const resumed = await f.as(rep.token).patch(`/tickets/${ticket.id}`, { status: 'open' });
    expect(resumed.status).toBe(200);
    // The holding update promised Friday's close; the pause (outside hours) used none of it.
    const promised = '2026-03-06T16:00:00.000Z';
    expect(dueAt).toBe('2026-03-05T16:00:00.000Z');
    expect(resumed.body.nextUpdateDueAt).toBe(promised);
    expect(resumed.body.escalationLevel).toBe(1);
    expect((await runCurrentBreachStep(ctx, ticket.id)).result).toBe('not_yet');
    expect(await effects(ticket.id)).toEqual({ breaches: 1, holding: 1 });
  });

  it('when the owner answers after a breach, then the next deadline is a new promise at level 0', async () => {
    const { rep, ticket } = await lateTicket();
    const res = await f
      .as(rep.token)
      .post(`/tickets/${ticket.id}/updates`, { body: 'Sorry for the wait', visibility: 'public' });
    expect(res.status).toBe(201);
    expect(res.body.ticket).toMatchObject({ escalationLevel: 0, breachCount: 1 });
  });
});
