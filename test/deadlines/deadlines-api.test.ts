import { ManualClock } from '../../src/clock';
import { enforceDeadlineStep } from '../../src/deadlines/enforce-deadline';
import { Fixtures, type AgentFixture, type TicketBody } from '../helpers/factories';
import { startTestApp, type TestApp } from '../helpers/test-app';

/**
 * Deadlines through the API (issue 3, API.md, DESIGN.md "Deadlines"): what GET
 * /tickets/:id/deadlines says, how updates, pauses, resolution, reopening and team changes move
 * the deadlines, and what GET /overdue lists. The clock is pinned, and every team works 9–17 on
 * weekdays in Berlin, so each expected instant is exact. Early March 2026 Berlin is UTC+1:
 * Wed 4, Thu 5, Fri 6, Sat 7, Sun 8, Mon 9.
 */
const WED = '2026-03-04';
const THU = '2026-03-05';
const FRI = '2026-03-06';
const SAT = '2026-03-07';
const MON = '2026-03-09';

/** A local Berlin time in early March 2026 (UTC+1) as an instant. */
const berlin = (day: string, time: string): Date => new Date(`${day}T${time}:00+01:00`);
const iso = (day: string, time: string): string => berlin(day, time).toISOString();

const START = berlin(WED, '11:00');
const MINUTE_MS = 60_000;

const NINE_TO_FIVE = { open: '09:00', close: '17:00' };
const WEEKDAYS_9_TO_17 = {
  mon: NINE_TO_FIVE,
  tue: NINE_TO_FIVE,
  wed: NINE_TO_FIVE,
  thu: NINE_TO_FIVE,
  fri: NINE_TO_FIVE,
};

type Body = Record<string, unknown>;

const clock = new ManualClock(START);
let app: TestApp;
let f: Fixtures;

beforeAll(async () => {
  app = await startTestApp({ clock });
  f = new Fixtures(app);
});
beforeEach(() => clock.set(START));
afterAll(() => app.close());

/** A Berlin 9–17 weekday team with a supervisor, one rep and a standard customer. */
async function desk(team: Body = {}) {
  const staffed = await f.staffedTeam({
    reps: 1,
    team: { timezone: 'Europe/Berlin', businessHours: WEEKDAYS_9_TO_17, ...team },
  });
  const rep = staffed.reps[0]!;
  return { ...staffed, rep, as: f.as(rep.token) };
}

function setClock(day: string, time: string): void {
  clock.set(berlin(day, time));
}

async function deadlinesOf(token: string, ticketId: string) {
  const res = await f.as(token).get(`/tickets/${ticketId}/deadlines`);
  expect(res.status).toBe(200);
  return res.body as {
    current: {
      kind: string;
      dueAt: string;
      warnAt: string | null;
      deadlineVersion: number;
      escalationLevel: number;
      explanation?: string;
      nextEscalation?: { at: string; level: number; notify: string };
    } | null;
    items: [DeadlineItem, DeadlineItem];
    [key: string]: unknown;
  };
}

interface DeadlineItem {
  kind: string;
  dueAt: string | null;
  state: string;
  explanation: string;
  basis: Record<string, unknown> | null;
  [key: string]: unknown;
}

async function ticketNow(token: string, ticketId: string): Promise<TicketBody> {
  const res = await f.as(token).get(`/tickets/${ticketId}`);
  expect(res.status).toBe(200);
  return res.body;
}

async function publicUpdate(rep: AgentFixture, ticketId: string) {
  const res = await f
    .as(rep.token)
    .post(`/tickets/${ticketId}/updates`, { body: 'We are on it', visibility: 'public' });
  expect(res.status).toBe(201);
  return res.body.ticket as TicketBody;
}

async function setStatus(rep: AgentFixture, ticketId: string, status: string) {
  const res = await f.as(rep.token).patch(`/tickets/${ticketId}`, { status });
  expect(res.status).toBe(200);
  return res.body as TicketBody;
}

async function customerMessage(rep: AgentFixture, ticketId: string) {
  const res = await f
    .as(rep.token)
    .post(`/tickets/${ticketId}/customer-messages`, { body: 'Any news?' });
  expect(res.status).toBe(201);
  return res.body.ticket as TicketBody;
}

async function resolve(rep: AgentFixture, ticketId: string) {
  const res = await f.as(rep.token).post(`/tickets/${ticketId}/resolve`, {
    resolution: 'Replaced the router',
    rootCause: { silo: 'field_service', category: 'hardware' },
  });
  expect(res.status).toBe(200);
  return res.body as TicketBody;
}

interface OverdueItem {
  ticketId: string;
  owner: { id: string; name: string };
  deadline: string;
  dueAt: string;
  minutesOverdue: number;
  escalationLevel: number;
  [key: string]: unknown;
}

async function overdue(token: string, query: string) {
  const res = await f.as(token).get(`/overdue?${query}`);
  expect(res.status).toBe(200);
  return res.body as { items: OverdueItem[]; nextCursor: string | null };
}

describe('GET /tickets/:id/deadlines', () => {
  it("when a ticket arrives on a weekday morning, then its first response is pending until the day's close and the update clock has not started", async () => {
    const { rep, customer } = await desk();

    const ticket = await f.ticket(rep.token, customer.id);
    const deadlines = await deadlinesOf(rep.token, ticket.id);

    expect(ticket.firstResponseDueAt).toBe(iso(WED, '17:00'));
    expect(deadlines.current).toEqual({
      kind: 'first_response',
      dueAt: iso(WED, '17:00'),
      warnAt: iso(WED, '16:00'), // default warnBeforeMinutes 60
      deadlineVersion: 1,
      escalationLevel: 0,
      explanation: expect.stringContaining('before the same-day cutoff'),
      // Unanswered at 17:00: level 1 of the default ladder tells the owner's supervisor.
      nextEscalation: { at: iso(WED, '17:00'), level: 1, notify: 'owner_supervisor' },
    });
    const [firstResponse, nextUpdate] = deadlines.items;
    expect(firstResponse).toMatchObject({
      kind: 'first_response',
      dueAt: iso(WED, '17:00'),
      state: 'pending',
      basis: {
        clockStartedAt: START.toISOString(),
        clockStartedBy: 'arrival',
        timezone: 'Europe/Berlin',
        businessDay: WED,
        businessDayCloseAt: iso(WED, '17:00'),
        arrivedOnBusinessDay: true,
        cutoff: '17:00',
        cutoffApplied: false,
        tierRule: null,
      },
    });
    expect(firstResponse.explanation).toContain('Arrived Wed 4 Mar 2026 11:00');
    expect(firstResponse.explanation).toContain('before the same-day cutoff 17:00');
    expect(firstResponse.explanation).toContain('Due Wed 4 Mar 2026 17:00');
    expect(nextUpdate).toMatchObject({ kind: 'next_update', dueAt: null, state: 'not_started' });
    expect(nextUpdate.explanation).toMatch(/first public update/);
  });

  it("when a ticket arrives at or after the team's same-day cutoff, then it is due at the next business day's close and the basis says the cutoff applied", async () => {
    const { rep, customer } = await desk({ sameDayCutoff: '15:00' });

    setClock(WED, '14:59');
    const before = await f.ticket(rep.token, customer.id);
    setClock(WED, '15:00');
    const after = await f.ticket(rep.token, customer.id);

    expect(before.firstResponseDueAt).toBe(iso(WED, '17:00'));
    expect(after.firstResponseDueAt).toBe(iso(THU, '17:00'));
    const [beforeItem] = (await deadlinesOf(rep.token, before.id)).items;
    const [afterItem] = (await deadlinesOf(rep.token, after.id)).items;
    expect(beforeItem.basis).toMatchObject({ cutoff: '15:00', cutoffApplied: false });
    expect(afterItem).toMatchObject({
      dueAt: iso(THU, '17:00'),
      state: 'pending',
      basis: { businessDay: THU, cutoff: '15:00', cutoffApplied: true },
    });
    expect(afterItem.explanation).toContain('at or after the same-day cutoff 15:00');
    expect(afterItem.explanation).toContain(`next business day (${THU})`);
  });

  it("when a ticket arrives on a Saturday, then it is due at Monday's close and the basis says it arrived outside business days", async () => {
    const { rep, customer } = await desk();
    setClock(SAT, '10:00');

    const ticket = await f.ticket(rep.token, customer.id);
    const [firstResponse] = (await deadlinesOf(rep.token, ticket.id)).items;

    expect(ticket.firstResponseDueAt).toBe(iso(MON, '17:00'));
    expect(firstResponse.basis).toMatchObject({
      businessDay: MON,
      arrivedOnBusinessDay: false,
      cutoffApplied: false,
    });
    expect(firstResponse.explanation).toContain('outside business days');
  });

  it('when a vip customer writes to a team with a vip rule, then the first response is due within the rule and the deadlines show the tier rule applied', async () => {
    const { rep, customer } = await desk({
      policy: { tiers: { vip: { firstResponseWithinMinutes: 120 } } },
    });
    const vip = await f.customer({ tier: 'vip' });
    const highValue = await f.customer({ tier: 'high_value' });

    const vipTicket = await f.ticket(rep.token, vip.id);
    const standardTicket = await f.ticket(rep.token, customer.id);
    const highValueTicket = await f.ticket(rep.token, highValue.id);

    expect(vipTicket.firstResponseDueAt).toBe(iso(WED, '13:00'));
    expect(standardTicket.firstResponseDueAt).toBe(iso(WED, '17:00'));
    expect(highValueTicket.firstResponseDueAt).toBe(iso(WED, '17:00'));
    const deadlines = await deadlinesOf(rep.token, vipTicket.id);
    expect(deadlines.current).toMatchObject({
      kind: 'first_response',
      dueAt: iso(WED, '13:00'),
      warnAt: iso(WED, '12:00'),
    });
    const [firstResponse] = deadlines.items;
    expect(firstResponse.basis).toMatchObject({
      businessDayCloseAt: iso(WED, '17:00'),
      cutoffApplied: false,
      tierRule: {
        tier: 'vip',
        withinBusinessMinutes: 120,
        dueAt: iso(WED, '13:00'),
        applied: true,
      },
    });
    expect(firstResponse.explanation).toContain('vip policy');
    expect(firstResponse.explanation).toContain('Due Wed 4 Mar 2026 13:00');
    const [highValueItem] = (await deadlinesOf(rep.token, highValueTicket.id)).items;
    expect(highValueItem.basis).toMatchObject({ tierRule: null });
  });

  it('when a vip rule would end after the close of the arrival day, then the close stands and the tier rule shows as not applied', async () => {
    const { rep } = await desk({ policy: { tiers: { vip: { firstResponseWithinMinutes: 120 } } } });
    const vip = await f.customer({ tier: 'vip' });
    setClock(WED, '16:00');

    const ticket = await f.ticket(rep.token, vip.id);
    const [firstResponse] = (await deadlinesOf(rep.token, ticket.id)).items;

    expect(ticket.firstResponseDueAt).toBe(iso(WED, '17:00'));
    expect(firstResponse.basis).toMatchObject({
      tierRule: { tier: 'vip', dueAt: iso(THU, '10:00'), applied: false },
    });
    expect(firstResponse.explanation).toContain('would be later');
  });
});

describe('public updates', () => {
  it("when the owner posts a public update, then the first response is met, the next update is pending until the next business day's close and the deadline version increases", async () => {
    const { rep, customer } = await desk();
    const ticket = await f.ticket(rep.token, customer.id);
    const before = await deadlinesOf(rep.token, ticket.id);
    setClock(WED, '11:30');

    const updated = await publicUpdate(rep, ticket.id);
    const after = await deadlinesOf(rep.token, ticket.id);

    expect(updated.firstRespondedAt).toBe(iso(WED, '11:30'));
    expect(updated.nextUpdateDueAt).toBe(iso(THU, '17:00'));
    expect(after.current).toEqual({
      kind: 'next_update',
      dueAt: iso(THU, '17:00'),
      warnAt: iso(THU, '16:00'),
      deadlineVersion: before.current!.deadlineVersion + 1,
      escalationLevel: 0,
      explanation: expect.stringContaining('by the close of the next business day'),
      nextEscalation: { at: iso(THU, '17:00'), level: 1, notify: 'owner_supervisor' },
    });
    const [firstResponse, nextUpdate] = after.items;
    expect(firstResponse).toMatchObject({
      state: 'met',
      dueAt: iso(WED, '17:00'),
      metAt: iso(WED, '11:30'),
      late: false,
    });
    expect(firstResponse.explanation).toContain('Answered in time');
    expect(nextUpdate).toMatchObject({
      state: 'pending',
      dueAt: iso(THU, '17:00'),
      basis: { setBy: 'public_update', setAt: iso(WED, '11:30'), businessDay: THU, pause: null },
    });
    expect(nextUpdate.explanation).toContain(`close of the next business day (${THU})`);
  });

  it('when the first public update comes after the due time, then the first response is met but marked late', async () => {
    const { rep, customer } = await desk();
    const ticket = await f.ticket(rep.token, customer.id);
    setClock(THU, '09:15');

    await publicUpdate(rep, ticket.id);
    const [firstResponse, nextUpdate] = (await deadlinesOf(rep.token, ticket.id)).items;

    expect(firstResponse).toMatchObject({ state: 'met', late: true });
    expect(firstResponse.explanation).toContain('Answered late');
    expect(nextUpdate).toMatchObject({ state: 'pending', dueAt: iso(FRI, '17:00') });
  });

  it('when the owner writes an internal note, then no deadline moves', async () => {
    const { rep, customer } = await desk();
    const ticket = await f.ticket(rep.token, customer.id);
    const before = await deadlinesOf(rep.token, ticket.id);

    await f
      .as(rep.token)
      .post(`/tickets/${ticket.id}/updates`, { body: 'Checked the line', visibility: 'internal' })
      .expect(201);

    const after = await deadlinesOf(rep.token, ticket.id);
    expect(after.current).toEqual(before.current);
    expect(after.items.map((item) => item.state)).toEqual(['pending', 'not_started']);
  });
});

describe('waiting on the customer', () => {
  it('when the owner sets waiting_on_customer, then the update clock pauses and the ticket is not overdue even after its old due time', async () => {
    const { team, rep, customer } = await desk();
    const ticket = await f.ticket(rep.token, customer.id);
    await publicUpdate(rep, ticket.id); // next update due Thu 17:00
    setClock(WED, '13:00');

    const paused = await setStatus(rep, ticket.id, 'waiting_on_customer');

    expect(paused).toMatchObject({ status: 'waiting_on_customer', nextUpdateDueAt: null });
    setClock(FRI, '10:00');
    const deadlines = await deadlinesOf(rep.token, ticket.id);
    expect(deadlines.current).toBeNull();
    expect(deadlines.items[0].state).toBe('met');
    expect(deadlines.items[1]).toMatchObject({
      kind: 'next_update',
      state: 'paused',
      dueAt: null,
      pausedAt: iso(WED, '13:00'),
    });
    expect(deadlines.items[1].explanation).toMatch(/paused/);
    expect((await overdue(app.adminToken, `teamId=${team.id}`)).items).toEqual([]);
  });

  it('when the customer writes while waiting, then the clock resumes and the same-day close applies when it is earlier than the business time that was left', async () => {
    const { team, rep, customer } = await desk();
    const ticket = await f.ticket(rep.token, customer.id);
    await publicUpdate(rep, ticket.id); // next update due Thu 17:00
    setClock(WED, '13:00');
    await setStatus(rep, ticket.id, 'waiting_on_customer'); // 240 + 480 business minutes left
    setClock(FRI, '10:00');

    const resumed = await customerMessage(rep, ticket.id);

    // Remaining time would run to Mon 14:00; the customer is owed an answer by Friday's close.
    expect(resumed).toMatchObject({ status: 'open', nextUpdateDueAt: iso(FRI, '17:00') });
    const deadlines = await deadlinesOf(rep.token, ticket.id);
    expect(deadlines.current).toMatchObject({ kind: 'next_update', dueAt: iso(FRI, '17:00') });
    expect(deadlines.items[1]).toMatchObject({ state: 'pending', pausedAt: null });
    expect((await overdue(app.adminToken, `teamId=${team.id}`)).items).toEqual([]);
    const timeline = await f.as(rep.token).get(`/tickets/${ticket.id}/timeline`);
    expect(timeline.body.items).toContainEqual(
      expect.objectContaining({
        type: 'status_changed',
        data: expect.objectContaining({ from: 'waiting_on_customer', to: 'open' }),
      }),
    );
  });

  it('when the customer writes while waiting and the business time left ends before the close, then the remaining time sets the deadline', async () => {
    const { rep, customer } = await desk();
    const ticket = await f.ticket(rep.token, customer.id);
    await publicUpdate(rep, ticket.id); // next update due Thu 17:00
    setClock(THU, '16:00');
    await setStatus(rep, ticket.id, 'waiting_on_customer'); // 60 business minutes left
    setClock(FRI, '10:00');

    const resumed = await customerMessage(rep, ticket.id);

    expect(resumed).toMatchObject({ status: 'open', nextUpdateDueAt: iso(FRI, '11:00') });
    const deadlines = await deadlinesOf(rep.token, ticket.id);
    expect(deadlines.current).toMatchObject({
      kind: 'next_update',
      dueAt: iso(FRI, '11:00'),
      warnAt: iso(FRI, '10:00'),
    });
    expect(deadlines.items[1]).toMatchObject({ state: 'pending', dueAt: iso(FRI, '11:00') });
  });

  it('when the customer ends a pause and the remaining business time sets the deadline, then the deadlines explain the pause in words and data', async () => {
    const { rep, customer } = await desk();
    const ticket = await f.ticket(rep.token, customer.id);
    await publicUpdate(rep, ticket.id);
    setClock(THU, '16:00');
    await setStatus(rep, ticket.id, 'waiting_on_customer'); // 60 business minutes left
    setClock(FRI, '10:00');

    await customerMessage(rep, ticket.id);
    const [, nextUpdate] = (await deadlinesOf(rep.token, ticket.id)).items;

    // Due Fri 11:00 only because of the 60 minutes carried over the pause: say so.
    expect(nextUpdate.dueAt).toBe(iso(FRI, '11:00'));
    expect(nextUpdate.explanation).toMatch(/paus/i);
    expect(nextUpdate.basis).toMatchObject({
      pause: {
        pausedAt: iso(THU, '16:00'),
        resumedAt: iso(FRI, '10:00'),
        remainingBusinessMinutes: 60,
      },
    });
  });

  it('when the owner reopens the status after a weekend pause, then the business minutes left on Friday carry over to Monday', async () => {
    const { rep, customer } = await desk();
    setClock(THU, '10:00');
    const ticket = await f.ticket(rep.token, customer.id);
    await publicUpdate(rep, ticket.id); // next update due Fri 17:00
    setClock(FRI, '15:00');
    await setStatus(rep, ticket.id, 'waiting_on_customer'); // 120 business minutes left
    setClock(MON, '10:00');

    const resumed = await setStatus(rep, ticket.id, 'open');

    expect(resumed.nextUpdateDueAt).toBe(iso(MON, '12:00'));
    const deadlines = await deadlinesOf(rep.token, ticket.id);
    expect(deadlines.current).toMatchObject({ kind: 'next_update', dueAt: iso(MON, '12:00') });
    expect(deadlines.items[1]).toMatchObject({
      state: 'pending',
      basis: {
        setBy: 'resumed',
        pause: {
          pausedAt: iso(FRI, '15:00'),
          resumedAt: iso(MON, '10:00'),
          remainingBusinessMinutes: 120,
        },
      },
    });
    expect(deadlines.items[1].explanation).toContain('120 business minutes left');
  });
});

describe('resolve and reopen', () => {
  it('when an answered ticket is resolved, then the first response stays met, the next update is cleared and nothing is current or overdue', async () => {
    const { team, rep, customer } = await desk();
    const ticket = await f.ticket(rep.token, customer.id);
    await publicUpdate(rep, ticket.id);

    const resolved = await resolve(rep, ticket.id);
    setClock(MON, '10:00');

    expect(resolved).toMatchObject({ status: 'resolved', nextUpdateDueAt: null });
    const deadlines = await deadlinesOf(rep.token, ticket.id);
    expect(deadlines.current).toBeNull();
    expect(deadlines.items.map((item) => item.state)).toEqual(['met', 'cleared']);
    expect((await overdue(app.adminToken, `teamId=${team.id}`)).items).toEqual([]);
  });

  it('when an unanswered ticket is resolved, then its first response is cleared', async () => {
    const { rep, customer } = await desk();
    const ticket = await f.ticket(rep.token, customer.id);

    await resolve(rep, ticket.id);

    const deadlines = await deadlinesOf(rep.token, ticket.id);
    expect(deadlines.current).toBeNull();
    expect(deadlines.items.map((item) => item.state)).toEqual(['cleared', 'not_started']);
    expect(deadlines.items[0].explanation).toContain('resolved before a first response');
  });

  it('when a resolved ticket is reopened, then a new first response is pending from the reopening and the update clock starts over', async () => {
    const { rep, customer } = await desk();
    const ticket = await f.ticket(rep.token, customer.id);
    await publicUpdate(rep, ticket.id);
    await resolve(rep, ticket.id);
    const versionWhenResolved = (await ticketNow(rep.token, ticket.id)).version;
    setClock(THU, '16:30');

    const res = await f
      .as(rep.token)
      .post(`/tickets/${ticket.id}/reopen`, { reason: 'Down again' });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'open',
      firstResponseDueAt: iso(THU, '17:00'),
      firstRespondedAt: null,
      nextUpdateDueAt: null,
    });
    expect(res.body.version).toBeGreaterThan(versionWhenResolved);
    const deadlines = await deadlinesOf(rep.token, ticket.id);
    expect(deadlines.current).toMatchObject({
      kind: 'first_response',
      dueAt: iso(THU, '17:00'),
      warnAt: iso(THU, '16:00'),
    });
    const [firstResponse, nextUpdate] = deadlines.items;
    expect(firstResponse).toMatchObject({
      state: 'pending',
      basis: {
        clockStartedAt: iso(THU, '16:30'),
        clockStartedBy: 'reopen',
        businessDay: THU,
      },
    });
    expect(firstResponse.explanation).toContain('Reopened Thu 5 Mar 2026 16:30');
    expect(nextUpdate.state).toBe('not_started');
  });

  it('when the customer writes on a resolved ticket, then it reopens with a new first response due by the close of that business day', async () => {
    const { rep, customer } = await desk();
    const ticket = await f.ticket(rep.token, customer.id);
    await publicUpdate(rep, ticket.id);
    await resolve(rep, ticket.id);
    setClock(FRI, '09:30');

    const reopened = await customerMessage(rep, ticket.id);

    expect(reopened).toMatchObject({
      status: 'open',
      firstResponseDueAt: iso(FRI, '17:00'),
      firstRespondedAt: null,
    });
    const [firstResponse] = (await deadlinesOf(rep.token, ticket.id)).items;
    expect(firstResponse).toMatchObject({
      state: 'pending',
      basis: { clockStartedBy: 'reopen', clockStartedAt: iso(FRI, '09:30') },
    });
  });
});

describe('PATCH /teams/:id recomputes open deadlines', () => {
  it("when the team's business hours change, then its open unanswered tickets get the new close, but resolved tickets and other teams' tickets keep theirs", async () => {
    const { team, rep, customer } = await desk();
    const other = await desk();
    const open = await f.ticket(rep.token, customer.id);
    const resolved = await f.ticket(rep.token, customer.id);
    const resolvedVersion = (await resolve(rep, resolved.id)).version;
    const otherTicket = await f.ticket(other.rep.token, other.customer.id);
    const versionBefore = (await deadlinesOf(rep.token, open.id)).current!.deadlineVersion;
    setClock(WED, '11:05');

    const earlyClose = { open: '08:00', close: '15:00' };
    const res = await f.admin().patch(`/teams/${team.id}`, {
      businessHours: { mon: earlyClose, tue: earlyClose, wed: earlyClose, thu: earlyClose },
    });

    expect(res.status).toBe(200);
    expect((await ticketNow(rep.token, open.id)).firstResponseDueAt).toBe(iso(WED, '15:00'));
    const deadlines = await deadlinesOf(rep.token, open.id);
    expect(deadlines.current).toMatchObject({
      kind: 'first_response',
      dueAt: iso(WED, '15:00'),
      warnAt: iso(WED, '14:00'),
    });
    expect(deadlines.current!.deadlineVersion).toBeGreaterThan(versionBefore);
    expect(deadlines.items[0].basis).toMatchObject({
      clockStartedAt: START.toISOString(),
      businessDayCloseAt: iso(WED, '15:00'),
    });
    expect(deadlines.items[0].explanation).toContain('Due Wed 4 Mar 2026 15:00');
    const resolvedNow = await ticketNow(rep.token, resolved.id);
    expect(resolvedNow).toMatchObject({ status: 'resolved', version: resolvedVersion });
    expect(resolvedNow.firstResponseDueAt).toBe(iso(WED, '17:00'));
    expect((await deadlinesOf(rep.token, resolved.id)).items[0].basis).toMatchObject({
      businessDayCloseAt: iso(WED, '17:00'),
    });
    expect((await ticketNow(other.rep.token, otherTicket.id)).firstResponseDueAt).toBe(
      iso(WED, '17:00'),
    );
  });

  it("when the team's same-day cutoff is set earlier than an arrival, then that ticket moves to the next business day's close", async () => {
    const { team, rep, customer } = await desk();
    setClock(WED, '15:30');
    const late = await f.ticket(rep.token, customer.id);
    setClock(WED, '10:00');
    const early = await f.ticket(rep.token, customer.id);
    expect(late.firstResponseDueAt).toBe(iso(WED, '17:00'));

    await f.admin().patch(`/teams/${team.id}`, { sameDayCutoff: '15:00' }).expect(200);

    expect((await ticketNow(rep.token, late.id)).firstResponseDueAt).toBe(iso(THU, '17:00'));
    expect((await ticketNow(rep.token, early.id)).firstResponseDueAt).toBe(iso(WED, '17:00'));
    const [firstResponse] = (await deadlinesOf(rep.token, late.id)).items;
    expect(firstResponse.basis).toMatchObject({
      clockStartedAt: iso(WED, '15:30'),
      cutoff: '15:00',
      cutoffApplied: true,
      businessDay: THU,
    });
  });

  it("when the team's tier policy changes, then its vip tickets follow the new rule and standard or answered tickets keep their first-response deadline", async () => {
    const { team, rep, customer } = await desk();
    const vip = await f.customer({ tier: 'vip' });
    const vipTicket = await f.ticket(rep.token, vip.id);
    const answeredVip = await f.ticket(rep.token, vip.id);
    await publicUpdate(rep, answeredVip.id);
    const standardTicket = await f.ticket(rep.token, customer.id);
    expect(vipTicket.firstResponseDueAt).toBe(iso(WED, '17:00'));

    await f
      .admin()
      .patch(`/teams/${team.id}`, {
        policy: { tiers: { vip: { firstResponseWithinMinutes: 60 } } },
      })
      .expect(200);

    expect((await ticketNow(rep.token, vipTicket.id)).firstResponseDueAt).toBe(iso(WED, '12:00'));
    expect((await ticketNow(rep.token, standardTicket.id)).firstResponseDueAt).toBe(
      iso(WED, '17:00'),
    );
    expect(await ticketNow(rep.token, answeredVip.id)).toMatchObject({
      firstResponseDueAt: iso(WED, '17:00'),
      nextUpdateDueAt: iso(THU, '17:00'),
    });
    const tightened = await deadlinesOf(rep.token, vipTicket.id);
    expect(tightened.current).toMatchObject({
      dueAt: iso(WED, '12:00'),
      warnAt: iso(WED, '11:00'),
    });
    expect(tightened.items[0].basis).toMatchObject({
      tierRule: { tier: 'vip', withinBusinessMinutes: 60, applied: true },
    });

    await f
      .admin()
      .patch(`/teams/${team.id}`, { policy: { tiers: { vip: null } } })
      .expect(200);

    expect((await ticketNow(rep.token, vipTicket.id)).firstResponseDueAt).toBe(iso(WED, '17:00'));
    expect((await deadlinesOf(rep.token, vipTicket.id)).items[0].basis).toMatchObject({
      tierRule: null,
    });
  });

  it("when a holiday is added on a ticket's arrival day, then it is due at the next business day's close", async () => {
    const { team, rep, customer } = await desk();
    const ticket = await f.ticket(rep.token, customer.id);

    await f
      .admin()
      .patch(`/teams/${team.id}`, { holidays: [WED] })
      .expect(200);

    expect((await ticketNow(rep.token, ticket.id)).firstResponseDueAt).toBe(iso(THU, '17:00'));
    const [firstResponse] = (await deadlinesOf(rep.token, ticket.id)).items;
    expect(firstResponse.basis).toMatchObject({ arrivedOnBusinessDay: false, businessDay: THU });
  });

  it('when the warning and re-escalation minutes change, then the current deadline keeps its due time but gets new enforcement moments', async () => {
    const { team, rep, customer } = await desk();
    const ticket = await f.ticket(rep.token, customer.id);
    const before = await deadlinesOf(rep.token, ticket.id);

    await f
      .admin()
      .patch(`/teams/${team.id}`, { policy: { warnBeforeMinutes: 30, reescalateAfterMinutes: 30 } })
      .expect(200);

    const after = await deadlinesOf(rep.token, ticket.id);
    expect(after.current).toMatchObject({
      kind: 'first_response',
      dueAt: iso(WED, '17:00'),
      warnAt: iso(WED, '16:30'),
    });
    // Same promise, so the same deadline version: steps already taken for it are not repeated.
    expect(after.current!.deadlineVersion).toBe(before.current!.deadlineVersion);
  });

  it('when a team change comes after a paused clock was resumed, then the carried-over next-update deadline is not moved back into the past', async () => {
    const { team, rep, customer } = await desk();
    const ticket = await f.ticket(rep.token, customer.id);
    await publicUpdate(rep, ticket.id); // next update due Thu 17:00
    setClock(THU, '16:00');
    await setStatus(rep, ticket.id, 'waiting_on_customer'); // 60 business minutes left
    setClock(MON, '10:00');
    await setStatus(rep, ticket.id, 'open'); // due Mon 11:00
    setClock(MON, '10:05');

    // The cutoff only concerns arrivals; the update deadline has nothing to recompute.
    await f.admin().patch(`/teams/${team.id}`, { sameDayCutoff: '16:00' }).expect(200);

    expect((await ticketNow(rep.token, ticket.id)).nextUpdateDueAt).toBe(iso(MON, '11:00'));
    expect((await overdue(app.adminToken, `teamId=${team.id}`)).items).toEqual([]);
  });

  it("when a team change comes after a customer message set a same-day answer, then the customer's same-day deadline is kept", async () => {
    const { team, rep, customer } = await desk();
    const ticket = await f.ticket(rep.token, customer.id);
    await publicUpdate(rep, ticket.id); // next update due Thu 17:00
    setClock(WED, '12:00');
    const afterMessage = await customerMessage(rep, ticket.id);
    expect(afterMessage.nextUpdateDueAt).toBe(iso(WED, '17:00'));

    await f.admin().patch(`/teams/${team.id}`, { sameDayCutoff: '16:00' }).expect(200);

    expect((await ticketNow(rep.token, ticket.id)).nextUpdateDueAt).toBe(iso(WED, '17:00'));
  });
});

describe('GET /overdue', () => {
  it('when deadlines pass, then only tickets past their current deadline are listed, most overdue first, with owner, deadline kind, exact minutes and escalation level', async () => {
    const { team, rep, customer } = await desk({
      policy: { tiers: { vip: { firstResponseWithinMinutes: 60 } } },
    });
    const vip = await f.customer({ tier: 'vip' });
    const vipTicket = await f.ticket(rep.token, vip.id); // due Wed 12:00
    const standard = await f.ticket(rep.token, customer.id); // due Wed 17:00
    const answered = await f.ticket(rep.token, customer.id);
    await publicUpdate(rep, answered.id); // next update due Thu 17:00
    const waiting = await f.ticket(rep.token, customer.id);
    await publicUpdate(rep, waiting.id);
    await setStatus(rep, waiting.id, 'waiting_on_customer');
    const resolved = await f.ticket(rep.token, customer.id);
    await resolve(rep, resolved.id);

    expect((await overdue(app.adminToken, `teamId=${team.id}`)).items).toEqual([]);

    setClock(WED, '17:30');
    const wednesday = await overdue(app.adminToken, `teamId=${team.id}`);
    expect(wednesday.items).toEqual([
      expect.objectContaining({
        ticketId: vipTicket.id,
        owner: { id: rep.id, name: rep.name },
        deadline: 'first_response',
        dueAt: iso(WED, '12:00'),
        minutesOverdue: 330,
        escalationLevel: 0,
      }),
      expect.objectContaining({
        ticketId: standard.id,
        owner: { id: rep.id, name: rep.name },
        deadline: 'first_response',
        dueAt: iso(WED, '17:00'),
        minutesOverdue: 30,
        escalationLevel: 0,
      }),
    ]);
    expect(wednesday.nextCursor).toBeNull();

    setClock(THU, '17:45');
    const thursday = await overdue(app.adminToken, `teamId=${team.id}`);
    expect(
      thursday.items.map((item) => [item.ticketId, item.deadline, item.minutesOverdue]),
    ).toEqual([
      [vipTicket.id, 'first_response', 29 * 60 + 45],
      [standard.id, 'first_response', 24 * 60 + 45],
      [answered.id, 'next_update', 45],
    ]);
  });

  it('when the clock reaches a due time exactly, then the ticket is not yet overdue, and a minute later it is one minute overdue', async () => {
    const { team, rep, customer } = await desk();
    const ticket = await f.ticket(rep.token, customer.id);

    setClock(WED, '17:00');
    const atDue = await overdue(app.adminToken, `teamId=${team.id}`);
    clock.advance(MINUTE_MS);
    const minuteLater = await overdue(app.adminToken, `teamId=${team.id}`);

    expect(atDue.items).toEqual([]);
    expect(minuteLater.items).toEqual([
      expect.objectContaining({ ticketId: ticket.id, minutesOverdue: 1 }),
    ]);
  });

  it('when a breach has been escalated, then the ticket stays on the overdue list with the promised time and the escalation level, and the owner is unchanged', async () => {
    const { team, rep, customer } = await desk();
    const ticket = await f.ticket(rep.token, customer.id);
    setClock(WED, '17:10');

    const outcome = await enforceDeadlineStep(app.ctx, {
      ticketId: ticket.id,
      kind: 'first_response',
      version: 1,
      step: 'breached',
    });

    expect(outcome).toEqual({ result: 'done' });
    // The holding update promised the next update by Thursday's close: that is now the deadline,
    // and the ticket stays listed (the customer still waits) showing that promised time.
    expect((await overdue(app.adminToken, `teamId=${team.id}`)).items).toEqual([
      expect.objectContaining({
        ticketId: ticket.id,
        deadline: 'next_update',
        dueAt: iso(THU, '17:00'),
        nextPromisedAt: iso(THU, '17:00'),
        overdueSince: iso(WED, '17:00'),
        minutesOverdue: 0,
        escalationLevel: 1,
      }),
    ]);
    setClock(THU, '17:05');
    const list = await overdue(app.adminToken, `teamId=${team.id}`);
    expect(list.items).toEqual([
      expect.objectContaining({
        ticketId: ticket.id,
        owner: { id: rep.id, name: rep.name },
        deadline: 'next_update',
        nextPromisedAt: null,
        overdueSince: iso(WED, '17:00'),
        minutesOverdue: 5,
        escalationLevel: 1,
        breachCount: 1,
      }),
    ]);
    const deadlines = await deadlinesOf(rep.token, ticket.id);
    expect(deadlines.current).toMatchObject({
      kind: 'next_update',
      dueAt: iso(THU, '17:00'),
      escalationLevel: 1,
      explanation: expect.stringContaining(
        'Promised in the holding update of Wed 4 Mar 2026 17:10',
      ),
      nextEscalation: { level: 2, notify: 'team_supervisors' },
    });
    expect(deadlines.items[0].state).toBe('breached');
    expect(deadlines.items[1].state).toBe('pending'); // overdue, its breach step not yet run
  });

  it('when an unanswered ticket is set to wait on the customer, then it is refused with 409, its first response stays due and it becomes overdue', async () => {
    const { team, rep, customer } = await desk();
    const ticket = await f.ticket(rep.token, customer.id);

    const refused = await f
      .as(rep.token)
      .patch(`/tickets/${ticket.id}`, { status: 'waiting_on_customer' });
    setClock(WED, '17:20');

    expect(refused.status).toBe(409);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.body.detail).toMatch(/nobody has asked them anything yet/);
    const deadlines = await deadlinesOf(rep.token, ticket.id);
    expect(deadlines.current).toMatchObject({ kind: 'first_response', dueAt: iso(WED, '17:00') });
    expect(deadlines.items.map((item) => item.state)).toEqual(['pending', 'not_started']);
    expect((await overdue(app.adminToken, `teamId=${team.id}`)).items).toEqual([
      expect.objectContaining({
        ticketId: ticket.id,
        status: 'open',
        deadline: 'first_response',
        minutesOverdue: 20,
      }),
    ]);
  });

  it("when a supervisor asks, then it sees only its own team's overdue tickets and another teamId is refused with 403", async () => {
    const mine = await desk();
    const theirs = await desk();
    const myTicket = await f.ticket(mine.rep.token, mine.customer.id);
    const theirTicket = await f.ticket(theirs.rep.token, theirs.customer.id);
    setClock(THU, '09:00');

    const own = await overdue(mine.supervisor.token, '');
    const ownFiltered = await overdue(mine.supervisor.token, `teamId=${mine.team.id}`);
    const refused = await f.as(mine.supervisor.token).get(`/overdue?teamId=${theirs.team.id}`);
    const byAdmin = await overdue(app.adminToken, `teamId=${theirs.team.id}`);

    expect(own.items.map((item) => item.ticketId)).toEqual([myTicket.id]);
    expect(ownFiltered.items.map((item) => item.ticketId)).toEqual([myTicket.id]);
    expect(refused.status).toBe(403);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.body).toMatchObject({ status: 403 });
    expect(JSON.stringify(refused.body)).not.toContain(theirTicket.id);
    expect(byAdmin.items.map((item) => item.ticketId)).toEqual([theirTicket.id]);
    expect(byAdmin.items[0]).toMatchObject({ teamId: theirs.team.id, minutesOverdue: 16 * 60 });
  });

  it('when the overdue list is read in pages, then the pages cover every overdue ticket once, in order, without gaps or duplicates', async () => {
    const { team, rep, customer } = await desk({
      policy: { tiers: { vip: { firstResponseWithinMinutes: 30 } } },
    });
    const vip = await f.customer({ tier: 'vip' });
    const ids: string[] = [];
    // Three share the close of day as due time (ties), three have their own vip due times.
    for (const minutes of [0, 10, 20]) {
      setClock(WED, `11:${String(minutes).padStart(2, '0')}`);
      ids.push((await f.ticket(rep.token, vip.id)).id);
      ids.push((await f.ticket(rep.token, customer.id)).id);
    }
    setClock(WED, '18:00');

    const all = await overdue(app.adminToken, `teamId=${team.id}&limit=200`);
    const paged: OverdueItem[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `teamId=${team.id}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await overdue(app.adminToken, query);
      expect(page.items.length).toBeLessThanOrEqual(2);
      paged.push(...page.items);
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);

    expect(all.items).toHaveLength(6);
    expect(new Set(all.items.map((item) => item.ticketId))).toEqual(new Set(ids));
    expect(paged.map((item) => item.ticketId)).toEqual(all.items.map((item) => item.ticketId));
    expect(pages).toBe(3);
    const minutes = all.items.map((item) => item.minutesOverdue);
    expect(minutes).toEqual([...minutes].sort((a, b) => b - a));
    expect(minutes).toEqual([390, 380, 370, 60, 60, 60]);
  });
});
