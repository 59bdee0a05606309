import { ManualClock } from '../../src/clock';
import { closeResolvedTickets } from '../../src/lifecycle/close-resolved';
import { runWaitingChecks } from '../../src/lifecycle/waiting-checks';
import { Fixtures, type AgentFixture } from '../helpers/factories';
import { InlineDeadlineQueue } from '../helpers/inline-deadline-queue';
import { startTestApp, type TestApp } from '../helpers/test-app';

/**
 * Waiting on the customer is honest (asked first, reminded once, resumed after a while), a tier
 * change recomputes, resolved tickets close, and a customer who writes to a closed ticket gets a
 * follow-up. Berlin, March 2026 (UTC+1): Wed 4, Thu 5, Fri 6, Mon 9, Tue 10, Wed 11, Thu 12.
 * Its own database: the sweeps act on every ticket they can see.
 */
const NINE_TO_FIVE = Object.fromEntries(
  ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, { open: '09:00', close: '17:00' }]),
);
const WEDNESDAY_11 = new Date('2026-03-04T10:00:00Z');
const RESOLVE = {
  resolution: 'Replaced the router',
  rootCause: { silo: 'field_service', category: 'hardware' },
};

let app: TestApp;
let f: Fixtures;
let clock: ManualClock;

beforeAll(async () => {
  clock = new ManualClock(WEDNESDAY_11);
  app = await startTestApp({ clock, isolated: true, deadlineJobs: new InlineDeadlineQueue() });
  f = new Fixtures(app);
});
beforeEach(() => clock.set(WEDNESDAY_11));
afterAll(() => app.close());

async function desk(policy: Record<string, unknown> = {}) {
  const team = await f.team({ businessHours: NINE_TO_FIVE, policy });
  const supervisor = await f.agent('supervisor', team.id);
  const rep = await f.agent('rep', team.id);
  const other = await f.agent('rep', team.id);
  const customer = await f.customer();
  const ticket = await f.ticket(rep.token, customer.id);
  return { team, supervisor, rep, other, customer, ticket };
}

const publicUpdate = (rep: AgentFixture, ticketId: string, body = 'Which router model is it?') =>
  f.as(rep.token).post(`/tickets/${ticketId}/updates`, { body, visibility: 'public' }).expect(201);
const customerWrites = (token: string, ticketId: string, body = 'It is the X200') =>
  f.as(token).post(`/tickets/${ticketId}/customer-messages`, { body });
const wait = (rep: AgentFixture, ticketId: string) =>
  f.as(rep.token).patch(`/tickets/${ticketId}`, { status: 'waiting_on_customer' });

async function outbox(ticketId: string, template: string) {
  return app.dataSource.query(
    `SELECT to_address, payload FROM outbox_emails WHERE ticket_id = $1 AND template = $2`,
    [ticketId, template],
  ) as Promise<Array<{ to_address: string; payload: Record<string, unknown> }>>;
}

async function timelineTypes(token: string, ticketId: string): Promise<string[]> {
  const res = await f.as(token).get(`/tickets/${ticketId}/timeline`);
  return res.body.items.map((e: { type: string }) => e.type);
}

describe('waiting on the customer', () => {
  it('when the customer wrote last, then waiting_on_customer is refused with 409 saying why, and nothing changes', async () => {
    const { rep, ticket } = await desk();
    await publicUpdate(rep, ticket.id);
    expect((await customerWrites(rep.token, ticket.id)).status).toBe(201);
    const before = (await f.as(rep.token).get(`/tickets/${ticket.id}`)).body;

    const res = await wait(rep, ticket.id);

    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.detail).toMatch(/the customer wrote last and is owed an answer/);
    const after = (await f.as(rep.token).get(`/tickets/${ticket.id}`)).body;
    expect(after).toMatchObject({ status: 'open', version: before.version });
  });

  it('when the owner asked a question, then the ticket waits, the deadlines explain the reminder and the resume, and the customer is reminded once', async () => {
    const { rep, customer, ticket } = await desk();
    await publicUpdate(rep, ticket.id); // Wed 11:00
    const res = await wait(rep, ticket.id);
    expect(res.status).toBe(200);

    const deadlines = (await f.as(rep.token).get(`/tickets/${ticket.id}/deadlines`)).body;
    expect(deadlines.current).toBeNull();
    expect(deadlines.waiting).toMatchObject({
      since: '2026-03-04T10:00:00.000Z',
      reminderAt: '2026-03-06T10:00:00.000Z', // two business days: Fri 11:00
      resumeAt: '2026-03-11T10:00:00.000Z', // five business days: next Wed 11:00
      remindedAt: null,
    });
    expect(deadlines.waiting.explanation).toContain('one reminder');

    clock.set(new Date('2026-03-06T09:59:00Z'));
    await runWaitingChecks(app.ctx);
    expect(await outbox(ticket.id, 'waiting_reminder')).toHaveLength(0);
    clock.set(new Date('2026-03-06T10:00:00Z'));
    await runWaitingChecks(app.ctx);
    clock.set(new Date('2026-03-06T12:00:00Z'));
    await runWaitingChecks(app.ctx); // a second pass (or a second worker) sends nothing more

    const reminders = await outbox(ticket.id, 'waiting_reminder');
    expect(reminders).toEqual([
      expect.objectContaining({
        to_address: customer.email,
        payload: expect.objectContaining({ resumeAt: '2026-03-11T10:00:00.000Z' }),
      }),
    ]);
    const later = (await f.as(rep.token).get(`/tickets/${ticket.id}/deadlines`)).body;
    expect(later.waiting.remindedAt).toBe('2026-03-06T10:00:00.000Z');
    expect(await timelineTypes(rep.token, ticket.id)).toContain('waiting_reminder_sent');
  });

  it('when the customer stays silent past waitingResumeAfterMinutes, then the clock resumes with the time that was left and the owner is told', async () => {
    const { rep, ticket } = await desk({
      waitingReminderAfterMinutes: 60,
      waitingResumeAfterMinutes: 240,
    });
    await publicUpdate(rep, ticket.id); // Wed 11:00; next update due Thu 17:00
    await wait(rep, ticket.id).expect(200);

    clock.set(new Date('2026-03-04T14:00:00Z')); // Wed 15:00: 4 business hours later
    await runWaitingChecks(app.ctx);

    const ticketNow = (await f.as(rep.token).get(`/tickets/${ticket.id}`)).body;
    // 14 business hours were left (Wed 11–17, Thu 9–17): from Wed 15:00 that is Fri 13:00.
    expect(ticketNow).toMatchObject({
      status: 'open',
      nextUpdateDueAt: '2026-03-06T12:00:00.000Z',
    });
    const deadlines = (await f.as(rep.token).get(`/tickets/${ticket.id}/deadlines`)).body;
    expect(deadlines.current).toMatchObject({
      kind: 'next_update',
      dueAt: '2026-03-06T12:00:00.000Z',
    });
    expect(deadlines.items[1].basis).toMatchObject({ setBy: 'resumed' });
    expect(deadlines.waiting).toBeNull();
    const told = await outbox(ticket.id, 'waiting_resumed');
    expect(told.map((e) => e.to_address)).toEqual([rep.email]);
    expect(await timelineTypes(rep.token, ticket.id)).toEqual(
      expect.arrayContaining(['waiting_resumed']),
    );
    // The reminder was due too, but the resume settles it: the customer is not reminded after.
    await runWaitingChecks(app.ctx);
    expect(await outbox(ticket.id, 'waiting_reminder')).toEqual([]);
    expect(told).toHaveLength(1);
  });

  it('when the customer answers while waiting, then the reminder is never sent', async () => {
    const { rep, ticket } = await desk();
    await publicUpdate(rep, ticket.id);
    await wait(rep, ticket.id).expect(200);
    clock.set(new Date('2026-03-05T10:00:00Z'));
    expect((await customerWrites(rep.token, ticket.id)).status).toBe(201);
    clock.set(new Date('2026-03-12T10:00:00Z'));
    await runWaitingChecks(app.ctx);
    expect(await outbox(ticket.id, 'waiting_reminder')).toEqual([]);
    expect(await outbox(ticket.id, 'waiting_resumed')).toEqual([]);
    expect((await f.as(rep.token).get(`/tickets/${ticket.id}`)).body.status).toBe('open');
  });

  it('when a team sets the reminder after the resume, then the policy is refused naming the field', async () => {
    const res = await f.admin().post('/teams', {
      name: `Team-${Date.now()}`,
      timezone: 'Europe/Berlin',
      businessHours: NINE_TO_FIVE,
      policy: { waitingReminderAfterMinutes: 600, waitingResumeAfterMinutes: 300 },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ path: 'policy.waitingResumeAfterMinutes' }),
    ]);
  });
});

describe('tier changes', () => {
  it('when a customer becomes vip, then their unanswered tickets follow the vip rule and the explanation names the change; answered ones keep theirs', async () => {
    const { rep, customer, ticket } = await desk({
      tiers: { vip: { firstResponseWithinMinutes: 60 } },
    });
    const answered = await f.ticket(rep.token, customer.id);
    await publicUpdate(rep, answered.id);
    const answeredBefore = (await f.as(rep.token).get(`/tickets/${answered.id}`)).body;

    clock.set(new Date('2026-03-04T10:30:00Z'));
    const res = await f.admin().patch(`/customers/${customer.id}`, { tier: 'vip' });
    expect(res.status).toBe(200);

    const deadlines = (await f.as(rep.token).get(`/tickets/${ticket.id}/deadlines`)).body;
    expect(deadlines.current).toMatchObject({
      kind: 'first_response',
      dueAt: '2026-03-04T11:00:00.000Z', // arrival 11:00 + 60 business minutes
      deadlineVersion: 2,
    });
    expect(deadlines.items[0].basis.recomputedBecause).toMatch(
      /^the customer's tier changed from standard to vip/,
    );
    expect(deadlines.items[0].explanation).toContain(
      "the customer's tier changed from standard to vip",
    );
    const answeredAfter = (await f.as(rep.token).get(`/tickets/${answered.id}`)).body;
    expect(answeredAfter.nextUpdateDueAt).toBe(answeredBefore.nextUpdateDueAt);
    expect(answeredAfter.version).toBe(answeredBefore.version);
  });
});

describe('closing and follow-ups', () => {
  it('when closeAfterDays pass after resolution, then the ticket closes once and says why', async () => {
    const { rep, ticket } = await desk({ closeAfterDays: 2 });
    await publicUpdate(rep, ticket.id);
    await f.as(rep.token).post(`/tickets/${ticket.id}/resolve`, RESOLVE).expect(200);

    clock.set(new Date('2026-03-06T09:59:00Z'));
    await closeResolvedTickets(app.ctx);
    expect((await f.as(rep.token).get(`/tickets/${ticket.id}`)).body.status).toBe('resolved');
    clock.set(new Date('2026-03-06T10:00:00Z'));
    await closeResolvedTickets(app.ctx);
    await closeResolvedTickets(app.ctx);
    const closed = (await f.as(rep.token).get(`/tickets/${ticket.id}`)).body;
    expect(closed).toMatchObject({ status: 'closed', closedAt: '2026-03-06T10:00:00.000Z' });
    expect((await timelineTypes(rep.token, ticket.id)).filter((t) => t === 'closed')).toHaveLength(
      1,
    );
  });

  it('when the customer writes to a closed ticket, then a follow-up opens for the same owner, linked both ways, and a second message joins it', async () => {
    const { team, rep, customer, ticket } = await desk({ closeAfterDays: 1 });
    await publicUpdate(rep, ticket.id);
    await f.as(rep.token).post(`/tickets/${ticket.id}/resolve`, RESOLVE).expect(200);
    clock.set(new Date('2026-03-06T10:00:00Z'));
    await closeResolvedTickets(app.ctx);
    const integration = await f.agent('integration', team.id);

    const res = await customerWrites(integration.token, ticket.id, 'The router died again');
    expect(res.status).toBe(201);
    const followUp = res.body.ticket;
    expect(followUp.id).not.toBe(ticket.id);
    expect(followUp).toMatchObject({
      status: 'open',
      ownerId: rep.id,
      customerId: customer.id,
      followUpOfId: ticket.id,
      description: 'The router died again',
      firstResponseDueAt: '2026-03-06T16:00:00.000Z', // a new concern: due by Friday's close
    });
    const old = (await f.as(rep.token).get(`/tickets/${ticket.id}`)).body;
    expect(old).toMatchObject({ status: 'closed', latestFollowUpId: followUp.id });
    expect(await timelineTypes(rep.token, ticket.id)).toContain('follow_up_opened');
    expect((await outbox(followUp.id, 'ticket_acknowledgement')).map((e) => e.to_address)).toEqual([
      customer.email,
    ]);

    const again = await customerWrites(integration.token, ticket.id, 'Any news?');
    expect(again.status).toBe(201);
    expect(again.body.ticket.id).toBe(followUp.id);
    const mine = await f.as(rep.token).get(`/tickets?customerId=${customer.id}`);
    expect(mine.status).toBe(200);
    const customerTickets: Array<{ id: string }> = await app.dataSource.query(
      `SELECT id FROM tickets WHERE customer_id = $1`,
      [customer.id],
    );
    expect(customerTickets).toHaveLength(2);
  });

  it('when the owner of a closed ticket has left, then the follow-up is assigned by the rule to an active rep', async () => {
    const { rep, other, ticket } = await desk({ closeAfterDays: 1 });
    await publicUpdate(rep, ticket.id);
    await f.as(rep.token).post(`/tickets/${ticket.id}/resolve`, RESOLVE).expect(200);
    clock.set(new Date('2026-03-06T10:00:00Z'));
    await closeResolvedTickets(app.ctx);
    await f.admin().patch(`/agents/${rep.id}`, { active: false }).expect(200);

    const res = await customerWrites(other.token, ticket.id, 'Hello again');
    expect(res.status).toBe(201);
    expect(res.body.ticket).toMatchObject({ ownerId: other.id, followUpOfId: ticket.id });
  });
});
