import { ManualClock } from '../../src/clock';
import type { ServiceContext } from '../../src/context';
import { enforceDeadlineStep } from '../../src/deadlines/enforce-deadline';
import { sendDueDigests } from '../../src/notifications/escalation-digest';
import { Fixtures } from '../helpers/factories';
import { startTestApp, type TestApp } from '../helpers/test-app';

/** Customers may decline automatic holding updates; staff may take escalations as a daily digest. */
const NINE_TO_FIVE = Object.fromEntries(
  ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, { open: '09:00', close: '17:00' }]),
);

let app: TestApp;
let f: Fixtures;
let clock: ManualClock;

beforeAll(async () => {
  clock = new ManualClock(new Date('2026-03-04T10:00:00Z'));
  app = await startTestApp({ clock });
  f = new Fixtures(app);
});
afterAll(() => app.close());

async function breachOf(ticketId: string) {
  clock.set(new Date('2026-03-04T17:00:00Z')); // an hour after Wednesday's close in Berlin
  const ctx: ServiceContext = { ...app.ctx, clock };
  const job = { ticketId, kind: 'first_response' as const, version: 1, step: 'breached' as const };
  expect(await enforceDeadlineStep(ctx, job)).toEqual({ result: 'done' });
}

async function templates(ticketId: string) {
  const rows: Array<{ template: string; status: string; to_address: string }> =
    await app.dataSource.query(
      `SELECT template, status, to_address FROM outbox_emails WHERE ticket_id = $1 ORDER BY created_at`,
      [ticketId],
    );
  return rows;
}

it('when the customer declined automatic updates, then a breach sends no holding update but still escalates', async () => {
  clock.set(new Date('2026-03-04T10:00:00Z'));
  const team = await f.team({ businessHours: NINE_TO_FIVE });
  const supervisor = await f.agent('supervisor', team.id);
  const rep = await f.agent('rep', team.id);
  const customer = await f.customer();
  await f.as(rep.token).patch(`/customers/${customer.id}`, { autoUpdates: false }).expect(200);
  const ticket = await f.ticket(rep.token, customer.id);
  await breachOf(ticket.id);
  const rows = await templates(ticket.id);
  expect(rows.map((r) => r.template)).not.toContain('holding_update');
  expect(rows.filter((r) => r.template === 'escalation').map((r) => r.to_address)).toEqual([
    supervisor.email,
  ]);
});

it('when a supervisor chose the daily digest, then escalations are held and sent as one digest a day later', async () => {
  clock.set(new Date('2026-03-04T10:00:00Z'));
  const team = await f.team({ businessHours: NINE_TO_FIVE });
  const supervisor = await f.agent('supervisor', team.id);
  await f
    .as(supervisor.token)
    .patch(`/agents/${supervisor.id}`, { escalationDigest: true })
    .expect(200);
  const rep = await f.agent('rep', team.id);
  const customer = await f.customer();
  const first = await f.ticket(rep.token, customer.id);
  clock.set(new Date('2026-03-04T10:00:00Z'));
  const second = await f.ticket(rep.token, customer.id, { subject: 'Second concern' });
  await breachOf(first.id);
  await breachOf(second.id);
  for (const id of [first.id, second.id]) {
    expect((await templates(id)).find((r) => r.template === 'escalation')).toMatchObject({
      status: 'held',
    });
  }
  const ctx: ServiceContext = { ...app.ctx, clock };
  expect(await sendDueDigests(ctx)).toBe(0); // not a day old yet
  clock.advance(24 * 3_600_000);
  expect(await sendDueDigests(ctx)).toBe(1);
  const digests: Array<{ status: string; payload: { items: unknown[] } }> =
    await app.dataSource.query(
      `SELECT status, payload FROM outbox_emails WHERE template = 'escalation_digest' AND agent_id = $1`,
      [supervisor.id],
    );
  expect(digests).toHaveLength(1);
  expect(digests[0]!.status).toBe('pending');
  expect(digests[0]!.payload.items).toHaveLength(2);
  for (const id of [first.id, second.id]) {
    expect((await templates(id)).find((r) => r.template === 'escalation')).toMatchObject({
      status: 'digested',
    });
  }
  expect(await sendDueDigests(ctx)).toBe(0);
});
