import { ManualClock } from '../../src/clock';
import { enforceDeadlineStep } from '../../src/deadlines/enforce-deadline';
import { Fixtures } from '../helpers/factories';
import { startTestApp, type TestApp } from '../helpers/test-app';

/**
 * The read endpoints behind the console's supervisor and admin pages: the overdue board, team
 * load, the deadline preview and where a deactivated agent's tickets would go. Berlin, 9–17 on
 * weekdays, early March 2026 (UTC+1); the clock is pinned.
 */
const WED = '2026-03-04';
const THU = '2026-03-05';
const berlin = (day: string, time: string): Date => new Date(`${day}T${time}:00+01:00`);
const iso = (day: string, time: string): string => berlin(day, time).toISOString();
const NINE_TO_FIVE = { open: '09:00', close: '17:00' };
const WEEKDAYS_9_TO_17 = {
  mon: NINE_TO_FIVE,
  tue: NINE_TO_FIVE,
  wed: NINE_TO_FIVE,
  thu: NINE_TO_FIVE,
  fri: NINE_TO_FIVE,
};

const clock = new ManualClock(berlin(WED, '11:00'));
let app: TestApp;
let f: Fixtures;

beforeAll(async () => {
  app = await startTestApp({ clock });
  f = new Fixtures(app);
});
beforeEach(() => clock.set(berlin(WED, '11:00')));
afterAll(() => app.close());

async function desk() {
  const staffed = await f.staffedTeam({
    reps: 2,
    team: { timezone: 'Europe/Berlin', businessHours: WEEKDAYS_9_TO_17 },
  });
  return { ...staffed, rep: staffed.reps[0]!, other: staffed.reps[1]! };
}

describe('GET /teams/:id/board', () => {
  it('when a deadline passed and was breached, then the board keeps the ticket overdue from the missed deadline with the holding update sent, and lists due-soon tickets apart', async () => {
    const { team, supervisor, rep, customer } = await desk();
    const late = await f.ticket(rep.token, customer.id, { subject: 'Late one' }); // due Wed 17:00
    clock.set(berlin(WED, '17:05'));
    const soon = await f.ticket(rep.token, customer.id, { subject: 'Soon one' }); // due Thu 17:00

    clock.set(berlin(WED, '17:10'));
    await enforceDeadlineStep(app.ctx, {
      ticketId: late.id,
      kind: 'first_response',
      version: 1,
      step: 'breached',
    });
    clock.set(berlin(THU, '16:20'));
    const res = await f.as(supervisor.token).get(`/teams/${team.id}/board`);

    expect(res.status).toBe(200);
    expect(res.body.overdue).toEqual([
      expect.objectContaining({
        ticketId: late.id,
        subject: 'Late one',
        owner: expect.objectContaining({ id: rep.id, name: rep.name }),
        customer: expect.objectContaining({ id: customer.id }),
        deadline: 'first_response',
        dueAt: iso(WED, '17:00'),
        minutesOverdue: 23 * 60 + 20,
        escalationLevel: 1,
        breachCount: 1,
        currentDueAt: iso(THU, '17:00'),
        holdingUpdates: [expect.objectContaining({ at: iso(WED, '17:10') })],
      }),
    ]);
    expect(res.body.dueSoon).toEqual([
      expect.objectContaining({ ticketId: soon.id, dueAt: iso(THU, '17:00'), minutesLeft: 40 }),
    ]);

    // One definition of "overdue since": GET /overdue counts from the same missed deadline.
    const overdue = await f.as(supervisor.token).get(`/overdue?teamId=${team.id}`);
    expect(overdue.body.items).toEqual([
      expect.objectContaining({ ticketId: late.id, overdueSince: iso(WED, '17:00') }),
    ]);
  });

  it('when the owner answers an escalated ticket, then it leaves the board', async () => {
    const { team, supervisor, rep, customer } = await desk();
    const ticket = await f.ticket(rep.token, customer.id);
    clock.set(berlin(WED, '17:10'));
    await enforceDeadlineStep(app.ctx, {
      ticketId: ticket.id,
      kind: 'first_response',
      version: 1,
      step: 'breached',
    });
    await f
      .as(rep.token)
      .post(`/tickets/${ticket.id}/updates`, { body: 'On it', visibility: 'public' })
      .expect(201);
    const res = await f.as(supervisor.token).get(`/teams/${team.id}/board`);
    expect(res.body.overdue).toEqual([]);
  });

  it("when a supervisor asks for another team's board or load, then it is 404; a rep of the team gets 403; an admin sees any team", async () => {
    const { team, rep } = await desk();
    const elsewhere = await desk();
    for (const path of [`/teams/${team.id}/board`, `/teams/${team.id}/load`]) {
      expect((await f.as(elsewhere.supervisor.token).get(path)).status).toBe(404);
      expect((await f.as(rep.token).get(path)).status).toBe(403);
      expect((await f.admin().get(path)).status).toBe(200);
    }
    expect((await f.admin().get(`/teams/${crypto.randomUUID()}/board`)).status).toBe(404);
  });
});

describe('GET /teams/:id/load', () => {
  it("when reps own tickets, then each rep's open, overdue, away and capacity are listed", async () => {
    const { team, supervisor, rep, other, customer } = await desk();
    await f.ticket(rep.token, customer.id); // due Wed 17:00
    clock.set(berlin(WED, '17:05'));
    await f.ticket(rep.token, customer.id); // due Thu 17:00
    await f.as(supervisor.token).patch(`/agents/${other.id}`, { away: true }).expect(200);
    clock.set(berlin(WED, '17:30'));

    const res = await f.as(supervisor.token).get(`/teams/${team.id}/load`);

    expect(res.status).toBe(200);
    const byId = new Map(res.body.items.map((i: { agentId: string }) => [i.agentId, i]));
    expect(byId.get(rep.id)).toEqual(
      expect.objectContaining({ openOwned: 2, overdue: 1, away: false, capacity: rep.capacity }),
    );
    expect(byId.get(other.id)).toEqual(
      expect.objectContaining({ openOwned: 0, overdue: 0, away: true }),
    );
  });
});

describe('POST /teams/deadline-preview', () => {
  const calendar = {
    timezone: 'Europe/Berlin',
    businessHours: WEEKDAYS_9_TO_17,
    sameDayCutoff: '16:00',
    holidays: ['2026-03-05'],
    policy: { tiers: { vip: { firstResponseWithinMinutes: 60 } } },
  };

  it('when an admin previews a calendar, then each tier gets the due time the deadline code computes, and nothing is saved', async () => {
    clock.set(berlin(WED, '16:30'));
    const res = await f.admin().post('/teams/deadline-preview', calendar);
    expect(res.status).toBe(200);
    // After the 16:00 cutoff, Thursday a holiday: due Friday's close; VIP within 60 business minutes.
    expect(res.body).toEqual({
      at: iso(WED, '16:30'),
      timezone: 'Europe/Berlin',
      items: [
        expect.objectContaining({ tier: 'standard', dueAt: iso('2026-03-06', '17:00') }),
        expect.objectContaining({ tier: 'high_value', dueAt: iso('2026-03-06', '17:00') }),
        expect.objectContaining({
          tier: 'vip',
          dueAt: iso('2026-03-06', '09:30'),
          explanation: expect.stringContaining('vip policy'),
        }),
      ],
    });
    const at = await f.admin().post('/teams/deadline-preview', {
      ...calendar,
      at: iso(WED, '10:00'),
    });
    expect(at.body.items[0].dueAt).toBe(iso(WED, '17:00'));
  });

  it('when the calendar is bad, then it is 400 naming the field; a supervisor is refused', async () => {
    const bad = await f.admin().post('/teams/deadline-preview', {
      ...calendar,
      timezone: 'Mars/Olympus',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ path: 'timezone' })]);
    const { supervisor } = await desk();
    expect((await f.as(supervisor.token).post('/teams/deadline-preview', calendar)).status).toBe(
      403,
    );
  });
});

describe('GET /agents/:id/deactivation-preview', () => {
  it('when an admin asks where a rep’s tickets would go, then each is named with its new owner and nothing changes', async () => {
    const { rep, other, customer } = await desk();
    const ticket = await f.ticket(rep.token, customer.id, { subject: 'Moves on' });

    const res = await f.admin().get(`/agents/${rep.id}/deactivation-preview`);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      agentId: rep.id,
      blocked: null,
      tickets: [
        {
          ticketId: ticket.id,
          ref: ticket.ref,
          subject: 'Moves on',
          to: { id: other.id, name: other.name },
        },
      ],
    });
    const after = await f.admin().get(`/tickets/${ticket.id}`);
    expect(after.body).toMatchObject({ ownerId: rep.id, version: ticket.version });
    expect((await f.admin().get(`/agents/${rep.id}`)).body.active).toBe(true);
  });

  it('when a supervisor asks, then it is 403', async () => {
    const { supervisor, rep } = await desk();
    expect(
      (await f.as(supervisor.token).get(`/agents/${rep.id}/deactivation-preview`)).status,
    ).toBe(403);
  });
});

describe('A supervisor messages the owner', () => {
  it('when the supervisor of the team posts an internal note, then it is on the timeline; a public update or another team’s supervisor is refused', async () => {
    const { supervisor, rep, customer } = await desk();
    const elsewhere = await desk();
    const ticket = await f.ticket(rep.token, customer.id);
    const note = await f
      .as(supervisor.token)
      .post(`/tickets/${ticket.id}/updates`, { body: 'Call them today', visibility: 'internal' });
    expect(note.status).toBe(201);
    expect(
      (
        await f
          .as(supervisor.token)
          .post(`/tickets/${ticket.id}/updates`, { body: 'Hi', visibility: 'public' })
      ).status,
    ).toBe(403);
    expect(
      (
        await f
          .as(elsewhere.supervisor.token)
          .post(`/tickets/${ticket.id}/updates`, { body: 'Hi', visibility: 'internal' })
      ).status,
    ).toBe(404);
    const timeline = await f.as(rep.token).get(`/tickets/${ticket.id}/timeline`);
    expect(timeline.body.items).toContainEqual(
      expect.objectContaining({
        type: 'internal_note',
        actorId: supervisor.id,
        data: { body: 'Call them today' },
      }),
    );
  });
});
