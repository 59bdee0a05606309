import { ManualClock } from '../../src/clock';
import { runConsultChecks } from '../../src/consults/consult-checks';
import type { ServiceContext } from '../../src/context';
import { Fixtures } from '../helpers/factories';
import { startTestApp, type TestApp } from '../helpers/test-app';

/** The owner pulls another silo in without giving the concern away. */
const NINE_TO_FIVE = Object.fromEntries(
  ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, { open: '09:00', close: '17:00' }]),
);
const WEDNESDAY_11_BERLIN = new Date('2026-03-04T10:00:00Z');

let app: TestApp;
let f: Fixtures;
let clock: ManualClock;

beforeAll(async () => {
  clock = new ManualClock(WEDNESDAY_11_BERLIN);
  app = await startTestApp({ clock });
  f = new Fixtures(app);
});
beforeEach(() => clock.set(WEDNESDAY_11_BERLIN));
afterAll(() => app.close());

async function careAndBilling() {
  const care = await f.staffedTeam({ team: { businessHours: NINE_TO_FIVE } });
  const billing = await f.team({ businessHours: NINE_TO_FIVE, timezone: 'Europe/London' });
  const billingRep = await f.agent('rep', billing.id);
  const outsider = await f.agent('rep', (await f.team()).id);
  const owner = care.reps[0]!;
  const ticket = await f.ticket(owner.token, care.customer.id);
  return { care, billing, billingRep, outsider, owner, ticket };
}

async function timelineTypes(token: string, ticketId: string): Promise<string[]> {
  const res = await f.as(token).get(`/tickets/${ticketId}/timeline?limit=200`);
  return res.body.items.map((e: { type: string }) => e.type);
}

describe('consults', () => {
  it('when the owner consults billing and billing answers, then ownership never moves', async () => {
    const { billing, billingRep, owner, ticket } = await careAndBilling();
    const asked = await f.as(owner.token).post(`/tickets/${ticket.id}/consults`, {
      teamId: billing.id,
      question: 'Was the promo credit applied?',
    });
    expect(asked.status).toBe(201);
    // Default due time: the close of the consulted team's business day (17:00 London = 17:00 UTC).
    expect(asked.body).toMatchObject({
      status: 'open',
      teamId: billing.id,
      dueAt: '2026-03-04T17:00:00.000Z',
    });

    const mine = await f.as(billingRep.token).get('/me/consults');
    expect(mine.body.items.map((c: { id: string }) => c.id)).toContain(asked.body.id);
    expect((await f.as(billingRep.token).get(`/tickets/${ticket.id}`)).status).toBe(200);
    expect(
      (await f.as(billingRep.token).patch(`/tickets/${ticket.id}`, { priority: 'high' })).status,
    ).toBe(403);
    const grab = await f
      .as(billingRep.token)
      .post(`/tickets/${ticket.id}/handoffs`, { toAgentId: billingRep.id, note: 'mine now' });
    expect(grab.status).toBe(403);

    const answered = await f
      .as(billingRep.token)
      .post(`/consults/${asked.body.id}/answer`, { answer: 'Yes, on the March bill.' });
    expect(answered.status).toBe(200);
    expect(answered.body).toMatchObject({ status: 'answered', answeredById: billingRep.id });

    const after = await f.as(owner.token).get(`/tickets/${ticket.id}`);
    expect(after.body.ownerId).toBe(owner.id);
    const types = await timelineTypes(owner.token, ticket.id);
    expect(types).toEqual(expect.arrayContaining(['consult_asked', 'consult_answered']));
    expect(types).not.toContain('owner_changed');
    const [mail] = await app.dataSource.query(
      `SELECT to_address FROM outbox_emails WHERE template = 'consult_answered' AND ticket_id = $1`,
      [ticket.id],
    );
    expect(mail.to_address).toBe(owner.email);
    // The consult is answered: billing no longer reads the ticket.
    expect((await f.as(billingRep.token).get(`/tickets/${ticket.id}`)).status).toBe(404);
  });

  it('when an agent of another team is consulted by name, then only they see it and a stranger cannot answer', async () => {
    const { billingRep, outsider, owner, ticket } = await careAndBilling();
    const asked = await f.as(owner.token).post(`/tickets/${ticket.id}/consults`, {
      agentId: billingRep.id,
      question: 'Refund status?',
    });
    expect(asked.status).toBe(201);
    expect((await f.as(outsider.token).get(`/tickets/${ticket.id}`)).status).toBe(404);
    expect(
      (await f.as(outsider.token).post(`/consults/${asked.body.id}/answer`, { answer: 'x' }))
        .status,
    ).toBe(404);
    expect((await f.as(outsider.token).get('/me/consults')).body.items).toEqual([]);
    expect(
      (await f.as(owner.token).post(`/consults/${asked.body.id}/answer`, { answer: 'x' })).status,
    ).toBe(403);
  });

  it('when someone other than the owner consults, or names both an agent and a team, then it is refused', async () => {
    const { care, billing, billingRep, owner, ticket } = await careAndBilling();
    const other = care.reps[1]!;
    expect(
      (
        await f
          .as(other.token)
          .post(`/tickets/${ticket.id}/consults`, { teamId: billing.id, question: 'q' })
      ).status,
    ).toBe(403);
    const both = await f.as(owner.token).post(`/tickets/${ticket.id}/consults`, {
      teamId: billing.id,
      agentId: billingRep.id,
      question: 'q',
    });
    expect(both.status).toBe(400);
    expect(both.body.errors[0].path).toBe('agentId');
    const past = await f.as(owner.token).post(`/tickets/${ticket.id}/consults`, {
      teamId: billing.id,
      question: 'q',
      dueAt: '2020-01-01T00:00:00Z',
    });
    expect(past.status).toBe(400);
    expect(past.body.errors[0].path).toBe('dueAt');
  });

  it('when a consult nears and passes its due time, then the worker reminds once and tells the owner once', async () => {
    const { billing, owner, ticket } = await careAndBilling();
    const asked = await f
      .as(owner.token)
      .post(`/tickets/${ticket.id}/consults`, { teamId: billing.id, question: 'Anything?' });
    const ctx: ServiceContext = { ...app.ctx, clock };
    clock.set(new Date('2026-03-04T16:30:00Z')); // 30 minutes before it is due
    const first = await runConsultChecks(ctx);
    expect(first.reminded).toBeGreaterThanOrEqual(1);
    clock.set(new Date('2026-03-04T17:01:00Z'));
    await runConsultChecks(ctx);
    await runConsultChecks(ctx);
    const types = await timelineTypes(owner.token, ticket.id);
    expect(types.filter((t) => t === 'consult_reminded')).toHaveLength(1);
    expect(types.filter((t) => t === 'consult_overdue')).toHaveLength(1);
    const overdueMails = await app.dataSource.query(
      `SELECT to_address FROM outbox_emails WHERE key = $1`,
      [`consult:${asked.body.id}:overdue`],
    );
    expect(overdueMails).toEqual([{ to_address: owner.email }]);
  });
});
