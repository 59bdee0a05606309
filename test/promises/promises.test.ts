import { ManualClock } from '../../src/clock';
import type { ServiceContext } from '../../src/context';
import { runPromiseChecks } from '../../src/promises/promise-checks';
import { Fixtures } from '../helpers/factories';
import { startTestApp, type TestApp } from '../helpers/test-app';

/** Every promise made to the customer is tracked until kept, broken or cancelled. */
const NOW = new Date('2026-03-04T10:00:00Z');
const TOMORROW_NINE = '2026-03-05T08:00:00.000Z';

let app: TestApp;
let f: Fixtures;
let clock: ManualClock;

beforeAll(async () => {
  clock = new ManualClock(NOW);
  app = await startTestApp({ clock });
  f = new Fixtures(app);
});
beforeEach(() => clock.set(NOW));
afterAll(() => app.close());

async function ticketWithPromise() {
  const { supervisor, reps, customer } = await f.staffedTeam();
  const owner = reps[0]!;
  const ticket = await f.ticket(owner.token, customer.id);
  const made = await f.as(owner.token).post(`/tickets/${ticket.id}/promises`, {
    description: 'Technician Thursday 9–12',
    dueAt: TOMORROW_NINE,
    silo: 'field_service',
  });
  expect(made.status).toBe(201);
  return { supervisor, owner, other: reps[1]!, ticket, promise: made.body };
}

async function promiseStatus(id: string): Promise<string> {
  const [row] = await app.dataSource.query(`SELECT status FROM promises WHERE id = $1`, [id]);
  return row.status;
}

describe('promises', () => {
  it('when the owner makes and keeps a promise, then both steps are on the timeline', async () => {
    const { owner, ticket, promise } = await ticketWithPromise();
    expect(promise).toMatchObject({ status: 'open', silo: 'field_service', dueAt: TOMORROW_NINE });
    const kept = await f
      .as(owner.token)
      .post(`/promises/${promise.id}/kept`, { note: 'Tech came at 10' });
    expect(kept.status).toBe(200);
    expect(kept.body).toMatchObject({ status: 'kept', note: 'Tech came at 10' });
    const again = await f.as(owner.token).post(`/promises/${promise.id}/kept`, {});
    expect(again.status).toBe(409);
    const timeline = await f.as(owner.token).get(`/tickets/${ticket.id}/timeline?limit=200`);
    const types = timeline.body.items.map((e: { type: string }) => e.type);
    expect(types).toEqual(expect.arrayContaining(['promise_made', 'promise_kept']));
  });

  it('when a promise is not kept by its due time, then the worker marks it broken once and tells owner and supervisor', async () => {
    const { supervisor, owner, ticket, promise } = await ticketWithPromise();
    const ctx: ServiceContext = { ...app.ctx, clock };
    clock.set(new Date('2026-03-05T07:30:00Z'));
    expect((await runPromiseChecks(ctx)).reminded).toBeGreaterThanOrEqual(1);
    clock.set(new Date('2026-03-05T08:00:01Z'));
    expect((await runPromiseChecks(ctx)).broken).toBeGreaterThanOrEqual(1);
    await runPromiseChecks(ctx);
    expect(await promiseStatus(promise.id)).toBe('broken');
    const events = await app.dataSource.query(
      `SELECT type FROM timeline_events WHERE ticket_id = $1 AND type LIKE 'promise_%' ORDER BY seq`,
      [ticket.id],
    );
    expect(events.map((e: { type: string }) => e.type)).toEqual([
      'promise_made',
      'promise_reminded',
      'promise_broken',
    ]);
    const mails = await app.dataSource.query(
      `SELECT to_address FROM outbox_emails WHERE template = 'promise_broken' AND ticket_id = $1 ORDER BY to_address`,
      [ticket.id],
    );
    expect(mails.map((m: { to_address: string }) => m.to_address).sort()).toEqual(
      [owner.email, supervisor.email].sort(),
    );
  });

  it('when the owner resolves with an open promise, then it is refused until each promise is accounted for', async () => {
    const { owner, ticket, promise } = await ticketWithPromise();
    const body = {
      resolution: 'Line repaired',
      rootCause: { silo: 'network', category: 'outage' },
    };
    const refused = await f.as(owner.token).post(`/tickets/${ticket.id}/resolve`, body);
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain(promise.id);
    const unknown = await f.as(owner.token).post(`/tickets/${ticket.id}/resolve`, {
      ...body,
      promises: [{ id: '00000000-0000-4000-8000-000000000000', outcome: 'kept' }],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].path).toBe('promises.0.id');
    const resolved = await f.as(owner.token).post(`/tickets/${ticket.id}/resolve`, {
      ...body,
      promises: [{ id: promise.id, outcome: 'broken', note: 'No technician was available' }],
    });
    expect(resolved.status).toBe(200);
    expect(await promiseStatus(promise.id)).toBe('broken');
  });

  it('when the input is wrong or the caller is not the owner, then nothing is promised', async () => {
    const { owner, other, ticket, promise } = await ticketWithPromise();
    const past = await f.as(owner.token).post(`/tickets/${ticket.id}/promises`, {
      description: 'x',
      dueAt: '2020-01-01T00:00:00Z',
      silo: 'billing',
    });
    expect(past.status).toBe(400);
    const badSilo = await f.as(owner.token).post(`/tickets/${ticket.id}/promises`, {
      description: 'x',
      dueAt: TOMORROW_NINE,
      silo: 'legal',
    });
    expect(badSilo.body.errors[0].path).toBe('silo');
    expect(
      (
        await f.as(other.token).post(`/tickets/${ticket.id}/promises`, {
          description: 'x',
          dueAt: TOMORROW_NINE,
          silo: 'billing',
        })
      ).status,
    ).toBe(403);
    expect((await f.as(other.token).post(`/promises/${promise.id}/kept`, {})).status).toBe(403);
    const stranger = await f.agent('rep', (await f.team()).id);
    expect(
      (await f.as(stranger.token).post(`/promises/${promise.id}/cancel`, { reason: 'x' })).status,
    ).toBe(404);
    expect((await f.as(owner.token).post(`/promises/${promise.id}/cancel`, {})).status).toBe(400);
    expect(await promiseStatus(promise.id)).toBe('open');
  });
});
