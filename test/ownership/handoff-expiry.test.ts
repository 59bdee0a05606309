import { ManualClock } from '../../src/clock';
import { expireDueHandoffs } from '../../src/ownership/handoffs.service';
import { Fixtures } from '../helpers/factories';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { eventsOfType, offer, openPeriodsOf, ticketAs } from './ownership-helpers';

const HOUR_MS = 3_600_000;
const EXPIRY_HOURS = 4;

/*
 * The clock starts far in the past: offers made here expire long before any offer made by tests
 * running on the real clock, so expireDueHandoffs (which sweeps the whole database) can only
 * expire offers made in this file.
 */
let clock: ManualClock;
let app: TestApp;
let f: Fixtures;

beforeAll(async () => {
  clock = new ManualClock(new Date('2001-03-05T09:00:00Z'));
  app = await startTestApp({ clock, handoffExpiryHours: EXPIRY_HOURS });
  f = new Fixtures(app);
});
afterAll(() => app.close());

async function pendingOffer() {
  const { reps, customer, supervisor } = await f.staffedTeam();
  const [repA, repB] = reps as [(typeof reps)[0], (typeof reps)[0]];
  const ticket = await f.ticket(repA.token, customer.id);
  const handoff = await offer(f, repA.token, ticket.id, repB.id);
  return { repA, repB, supervisor, ticket, handoff };
}

describe('handoff expiry', () => {
  it('when the offer is accepted just before it expires, then the target owns the ticket', async () => {
    const { repB, ticket, handoff } = await pendingOffer();
    clock.advance(EXPIRY_HOURS * HOUR_MS - 60_000);
    await f.as(repB.token).post(`/handoffs/${handoff.id}/accept`, {}).expect(200);
    expect((await ticketAs(f, repB.token, ticket.id)).ownerId).toBe(repB.id);
  });

  it('when the offer is accepted after it expired, then it gets 409 and the owner stays', async () => {
    const { repA, repB, ticket, handoff } = await pendingOffer();
    clock.advance(EXPIRY_HOURS * HOUR_MS + 60_000);
    const res = await f.as(repB.token).post(`/handoffs/${handoff.id}/accept`, {});
    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    const ticketNow = await ticketAs(f, repA.token, ticket.id);
    expect(ticketNow.ownerId).toBe(repA.id);
    expect(ticketNow.version).toBe(ticket.version);
    expect(await openPeriodsOf(app, ticket.id)).toEqual([
      expect.objectContaining({ agent_id: repA.id }),
    ]);
    expect(await eventsOfType(f, repA.token, ticket.id, 'owner_changed')).toEqual([]);
  });

  it('when an expired offer is answered, then the offer reads as expired afterwards, not pending', async () => {
    const { repA, repB, ticket, handoff } = await pendingOffer();
    clock.advance(EXPIRY_HOURS * HOUR_MS + 60_000);
    await f.as(repB.token).post(`/handoffs/${handoff.id}/accept`, {}).expect(409);
    const check = await f.as(repA.token).get(`/handoffs/${handoff.id}`);
    expect(check.body.status).toBe('expired');
    expect(await eventsOfType(f, repA.token, ticket.id, 'handoff_expired')).toHaveLength(1);
    expect((await f.as(repB.token).get('/me/handoffs')).body.items).toEqual([]);
  });

  it('when the previous offer has expired, then the owner can offer the ticket again', async () => {
    const { repA, supervisor, ticket } = await pendingOffer();
    clock.advance(EXPIRY_HOURS * HOUR_MS + 60_000);
    const res = await f.as(repA.token).post(`/tickets/${ticket.id}/handoffs`, {
      toAgentId: supervisor.id,
      note: 'Nobody answered, escalating',
    });
    expect(res.status).toBe(201);
  });

  it('when expireDueHandoffs runs past the expiry, then the offer is expired on the record and the owner stays', async () => {
    const { repA, repB, ticket, handoff } = await pendingOffer();
    clock.advance(EXPIRY_HOURS * HOUR_MS + 60_000);
    // An offer made just now is not yet due and must survive the sweep.
    const fresh = await pendingOffer();

    expect(await expireDueHandoffs(app.ctx)).toBeGreaterThanOrEqual(1);

    const expired = await f.as(repA.token).get(`/handoffs/${handoff.id}`);
    expect(expired.body).toMatchObject({ status: 'expired', respondedAt: expect.any(String) });
    const events = await eventsOfType(f, repA.token, ticket.id, 'handoff_expired');
    expect(events).toEqual([
      expect.objectContaining({
        actorId: null,
        data: expect.objectContaining({ handoffId: handoff.id }),
      }),
    ]);
    expect((await ticketAs(f, repA.token, ticket.id)).ownerId).toBe(repA.id);
    expect(await openPeriodsOf(app, ticket.id)).toEqual([
      expect.objectContaining({ agent_id: repA.id }),
    ]);
    expect((await f.as(repB.token).get('/me/handoffs')).body.items).toEqual([]);
    await f.as(repB.token).post(`/handoffs/${handoff.id}/accept`, {}).expect(409);

    expect((await f.as(fresh.repA.token).get(`/handoffs/${fresh.handoff.id}`)).body.status).toBe(
      'pending',
    );
  });

  it('when expireDueHandoffs runs twice, then an offer expires once with a single timeline event', async () => {
    const { repA, ticket, handoff } = await pendingOffer();
    clock.advance(EXPIRY_HOURS * HOUR_MS + 60_000);
    await expireDueHandoffs(app.ctx);
    await expireDueHandoffs(app.ctx);
    expect((await f.as(repA.token).get(`/handoffs/${handoff.id}`)).body.status).toBe('expired');
    expect(await eventsOfType(f, repA.token, ticket.id, 'handoff_expired')).toHaveLength(1);
  });
});

describe('handoff expiry in business hours', () => {
  const NINE_TO_FIVE = Object.fromEntries(
    ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, { open: '09:00', close: '17:00' }]),
  );

  it('when an offer is made on Friday afternoon, then its hours count in the team’s business hours and it is still open on Monday morning', async () => {
    const { reps, customer } = await f.staffedTeam({ team: { businessHours: NINE_TO_FIVE } });
    const [repA, repB] = reps as [(typeof reps)[0], (typeof reps)[0]];
    clock.set(new Date('2001-03-09T14:00:00Z')); // Fri 15:00 Berlin (UTC+1)
    const ticket = await f.ticket(repA.token, customer.id);
    const handoff = await offer(f, repA.token, ticket.id, repB.id);

    // 4 business hours: 2 on Friday (15–17), 2 on Monday (9–11).
    expect(handoff.expiresAt).toBe('2001-03-12T10:00:00.000Z');
    clock.set(new Date('2001-03-12T08:30:00Z')); // Mon 09:30: a wall-clock 4 h would be long gone
    await expireDueHandoffs(app.ctx);
    await f.as(repB.token).post(`/handoffs/${handoff.id}/accept`, {}).expect(200);
    expect((await ticketAs(f, repB.token, ticket.id)).ownerId).toBe(repB.id);
  });
});
