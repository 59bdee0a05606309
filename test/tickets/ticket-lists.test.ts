import { ManualClock } from '../../src/clock';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { Fixtures, type TicketBody } from '../helpers/factories';

/** A Wednesday, 11:00 in Berlin (the fixtures' default team timezone). */
const START = new Date('2026-03-04T10:00:00.000Z');
const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

const clock = new ManualClock(START);
let app: TestApp;
let f: Fixtures;

beforeAll(async () => {
  app = await startTestApp({ clock });
  f = new Fixtures(app);
});
beforeEach(() => clock.set(START));
afterAll(() => app.close());

const idsOf = (res: { body: { items: Array<{ id: string }> } }) =>
  res.body.items.map((item) => item.id);
const sorted = (ids: string[]) => [...ids].sort();
const errorPaths = (res: { body: { errors?: Array<{ path: string }> } }) =>
  (res.body.errors ?? []).map((e) => e.path);

async function resolve(token: string, ticketId: string) {
  await f
    .as(token)
    .post(`/tickets/${ticketId}/resolve`, {
      resolution: 'Fixed',
      rootCause: { silo: 'network', category: 'outage' },
    })
    .expect(200);
}

async function answer(token: string, ticketId: string) {
  await f
    .as(token)
    .post(`/tickets/${ticketId}/updates`, { body: 'On it', visibility: 'public' })
    .expect(201);
}

async function waitOnCustomer(token: string, ticketId: string) {
  // Waiting is allowed only once the customer was asked something.
  await f
    .as(token)
    .post(`/tickets/${ticketId}/updates`, { body: 'Which router model?', visibility: 'public' })
    .expect(201);
  await f.as(token).patch(`/tickets/${ticketId}`, { status: 'waiting_on_customer' }).expect(200);
}

describe('GET /tickets filters', () => {
  it("when filtering by ownerId, then only that owner's tickets come back", async () => {
    const { supervisor, reps, customer } = await f.staffedTeam();
    const [a, b] = reps as [(typeof reps)[0], (typeof reps)[0]];
    const mine = [await f.ticket(a.token, customer.id), await f.ticket(a.token, customer.id)];
    await f.ticket(b.token, customer.id);

    const res = await f.as(supervisor.token).get(`/tickets?ownerId=${a.id}`);

    expect(res.status).toBe(200);
    expect(sorted(idsOf(res))).toEqual(sorted(mine.map((t) => t.id)));
    expect(res.body.nextCursor).toBeNull();
  });

  it('when filtering by status, alone or as a comma list, then only tickets in those statuses come back', async () => {
    const { reps, customer } = await f.staffedTeam({ reps: 1 });
    const rep = reps[0]!;
    const open = await f.ticket(rep.token, customer.id);
    const waiting = await f.ticket(rep.token, customer.id);
    const resolved = await f.ticket(rep.token, customer.id);
    await waitOnCustomer(rep.token, waiting.id);
    await resolve(rep.token, resolved.id);

    const one = await f.as(rep.token).get('/tickets?status=waiting_on_customer');
    const two = await f.as(rep.token).get('/tickets?status=open,resolved');
    const bad = await f.as(rep.token).get('/tickets?status=open,lost');

    expect(idsOf(one)).toEqual([waiting.id]);
    expect(sorted(idsOf(two))).toEqual(sorted([open.id, resolved.id]));
    expect(bad.status).toBe(400);
    expect(errorPaths(bad)[0]).toMatch(/^status/);
  });

  it("when an admin filters by teamId, then only that team's tickets come back", async () => {
    const teamA = await f.staffedTeam({ reps: 1 });
    const teamB = await f.staffedTeam({ reps: 1 });
    const ticketA = await f.ticket(teamA.reps[0]!.token, teamA.customer.id);
    const ticketB = await f.ticket(teamB.reps[0]!.token, teamB.customer.id);

    const res = await f.admin().get(`/tickets?teamId=${teamA.team.id}`);

    expect(res.status).toBe(200);
    expect(idsOf(res)).toEqual([ticketA.id]);
    expect(idsOf(res)).not.toContain(ticketB.id);
  });

  /** From START: one unanswered, one answered once, one paused, one resolved; two days later one fresh. */
  async function ticketsAcrossTwoDays() {
    const { reps, customer } = await f.staffedTeam({ reps: 1 });
    const rep = reps[0]!;
    const late = await f.ticket(rep.token, customer.id);
    const stale = await f.ticket(rep.token, customer.id);
    await answer(rep.token, stale.id); // next update due at tomorrow's close
    const paused = await f.ticket(rep.token, customer.id);
    await answer(rep.token, paused.id);
    await waitOnCustomer(rep.token, paused.id);
    const resolved = await f.ticket(rep.token, customer.id);
    await resolve(rep.token, resolved.id);
    clock.advance(2 * DAY_MS);
    const fresh = await f.ticket(rep.token, customer.id);
    return { rep, late, stale, paused, resolved, fresh };
  }

  it('when overdue=true, then only active tickets past a running first-response or update deadline come back', async () => {
    const { rep, late, stale } = await ticketsAcrossTwoDays();

    const res = await f.as(rep.token).get('/tickets?overdue=true');

    expect(res.status).toBe(200);
    expect(new Date(late.firstResponseDueAt!).getTime()).toBeLessThan(clock.now().getTime());
    expect(sorted(idsOf(res))).toEqual(sorted([late.id, stale.id]));
  });

  it('when overdue=false, then every other ticket comes back, including a fresh unanswered one', async () => {
    const { rep, paused, resolved, fresh } = await ticketsAcrossTwoDays();

    const res = await f.as(rep.token).get('/tickets?overdue=false');

    expect(res.status).toBe(200);
    expect(sorted(idsOf(res))).toEqual(sorted([paused.id, resolved.id, fresh.id]));
  });
});

describe('GET /tickets pagination', () => {
  it('when walking the pages with a limit, then every ticket appears once, newest first, and the last page ends', async () => {
    const { reps, customer } = await f.staffedTeam({ reps: 1 });
    const rep = reps[0]!;
    const created: TicketBody[] = [];
    for (let i = 0; i < 7; i++) {
      if (i % 2 === 0) clock.advance(MINUTE_MS); // pairs share a receivedAt: the id breaks the tie
      created.push(await f.ticket(rep.token, customer.id));
    }

    const seen: Array<{ id: string; receivedAt: string }> = [];
    const pageSizes: number[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const res = await f.as(rep.token).get(`/tickets?limit=3${query}`);
      expect(res.status).toBe(200);
      pageSizes.push(res.body.items.length);
      seen.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor !== null && pageSizes.length < 10);

    expect(pageSizes).toEqual([3, 3, 1]);
    expect(seen.map((t) => t.id)).toHaveLength(new Set(seen.map((t) => t.id)).size);
    expect(sorted(seen.map((t) => t.id))).toEqual(sorted(created.map((t) => t.id)));
    const times = seen.map((t) => new Date(t.receivedAt).getTime());
    expect(times).toEqual([...times].sort((x, y) => y - x));
  });

  it('when limit is 0 or 201, then it gets a 400 naming limit', async () => {
    const { reps } = await f.staffedTeam({ reps: 1 });
    for (const limit of ['0', '201', 'ten']) {
      const res = await f.as(reps[0]!.token).get(`/tickets?limit=${limit}`);
      expect(res.status).toBe(400);
      expect(errorPaths(res)).toEqual(['limit']);
    }
  });

  it('when the cursor is garbage, then it gets a 400 naming cursor', async () => {
    const { reps } = await f.staffedTeam({ reps: 1 });
    const wrongShape = Buffer.from(JSON.stringify({ r: 'yesterday' })).toString('base64url');
    for (const cursor of ['not-a-cursor', wrongShape]) {
      const res = await f.as(reps[0]!.token).get(`/tickets?cursor=${cursor}`);
      expect(res.status).toBe(400);
      expect(errorPaths(res)).toEqual(['cursor']);
    }
  });
});

describe('cursors of other lists', () => {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

  it('when the queue cursor is garbage or names no deadline, then it gets a 400 naming cursor, not a 500', async () => {
    const { reps } = await f.staffedTeam({ reps: 1 });
    const notADeadline = encode({
      due: 'next tuesday',
      id: '00000000-0000-4000-8000-000000000000',
    });
    for (const cursor of ['not-a-cursor', notADeadline]) {
      const res = await f.as(reps[0]!.token).get(`/me/queue?cursor=${cursor}`);
      expect(res.status).toBe(400);
      expect(errorPaths(res)).toEqual(['cursor']);
    }
  });

  it('when the timeline cursor is garbage or out of range, then it gets a 400 naming cursor, not a 500', async () => {
    const { reps, customer } = await f.staffedTeam({ reps: 1 });
    const ticket = await f.ticket(reps[0]!.token, customer.id);
    const outOfRange = encode({ seq: '99999999999999999999999' });
    for (const cursor of ['not-a-cursor', outOfRange]) {
      const res = await f.as(reps[0]!.token).get(`/tickets/${ticket.id}/timeline?cursor=${cursor}`);
      expect(res.status).toBe(400);
      expect(errorPaths(res)).toEqual(['cursor']);
    }
  });
});

describe('GET /me/queue', () => {
  it('when a rep opens the queue, then it lists only its active tickets, the soonest deadline first', async () => {
    const { reps, customer } = await f.staffedTeam();
    const [rep, colleague] = reps as [(typeof reps)[0], (typeof reps)[0]];
    // Answered first: its next update is due at tomorrow's close.
    const answered = await f.ticket(rep.token, customer.id);
    await answer(rep.token, answered.id);
    // Waiting on the customer: the clock is paused, so it comes last.
    const paused = await f.ticket(rep.token, customer.id);
    await answer(rep.token, paused.id);
    await waitOnCustomer(rep.token, paused.id);
    const resolved = await f.ticket(rep.token, customer.id);
    await resolve(rep.token, resolved.id);
    await f.ticket(colleague.token, customer.id);
    clock.advance(MINUTE_MS);
    // Created last but due first: the first response is owed by today's close.
    const fresh = await f.ticket(rep.token, customer.id);

    const res = await f.as(rep.token).get('/me/queue');

    expect(res.status).toBe(200);
    expect(idsOf(res)).toEqual([fresh.id, answered.id, paused.id]);
    expect(res.body.items[0].currentDeadline).toEqual({
      kind: 'first_response',
      dueAt: fresh.firstResponseDueAt,
    });
    expect(res.body.nextCursor).toBeNull();
  });
  it('when the queue is walked one ticket per page, then it keeps deadline order, ties and paused tickets included', async () => {
    const { reps, customer } = await f.staffedTeam({ reps: 1 });
    const rep = reps[0]!;
    const answered = await f.ticket(rep.token, customer.id);
    await answer(rep.token, answered.id);
    const paused: TicketBody[] = [];
    for (let i = 0; i < 2; i++) {
      const ticket = await f.ticket(rep.token, customer.id);
      await answer(rep.token, ticket.id);
      await waitOnCustomer(rep.token, ticket.id);
      paused.push(ticket);
    }
    const fresh = [await f.ticket(rep.token, customer.id), await f.ticket(rep.token, customer.id)]; // same due time

    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page++) {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const res = await f.as(rep.token).get(`/me/queue?limit=1${query}`);
      expect(res.status).toBe(200);
      seen.push(...idsOf(res));
      cursor = res.body.nextCursor;
      if (cursor === null) break;
    }

    expect(seen).toHaveLength(5);
    expect(sorted(seen.slice(0, 2))).toEqual(sorted(fresh.map((t) => t.id)));
    expect(seen[2]).toBe(answered.id);
    expect(sorted(seen.slice(3))).toEqual(sorted(paused.map((t) => t.id)));
    expect(cursor).toBeNull();
  });
  it('when a rep opens the queue, then each item is the same JSON, field for field and in order, as in the ticket list', async () => {
    const { reps, customer } = await f.staffedTeam({ reps: 1 });
    const rep = reps[0]!;
    await f.ticket(rep.token, customer.id);
    const answered = await f.ticket(rep.token, customer.id);
    await answer(rep.token, answered.id);
    const paused = await f.ticket(rep.token, customer.id);
    await waitOnCustomer(rep.token, paused.id);
    // Reopened: resolved time, root cause and reopen count are all set on an open ticket.
    const reopened = await f.ticket(rep.token, customer.id);
    await resolve(rep.token, reopened.id);
    clock.advance(MINUTE_MS + 7);
    await f
      .as(rep.token)
      .post(`/tickets/${reopened.id}/reopen`, { reason: 'Still broken' })
      .expect(200);

    const queue = await f.as(rep.token).get('/me/queue').expect(200);
    const list = await f.as(rep.token).get(`/tickets?ownerId=${rep.id}`).expect(200);

    const listed = new Map<string, unknown>(
      (list.body.items as Array<{ id: string }>).map((item) => [item.id, item]),
    );
    expect(queue.body.items).toHaveLength(4);
    for (const item of queue.body.items as Array<{ id: string }>) {
      expect(JSON.stringify(item)).toBe(JSON.stringify(listed.get(item.id)));
    }
  });
});

describe('GET /tickets/:id/timeline', () => {
  it('when a ticket has several events, then the timeline lists them oldest first, across pages too', async () => {
    const { reps, customer } = await f.staffedTeam({ reps: 1 });
    const rep = reps[0]!;
    const ticket = await f.ticket(rep.token, customer.id);
    clock.advance(MINUTE_MS);
    await f
      .as(rep.token)
      .post(`/tickets/${ticket.id}/updates`, { body: 'note', visibility: 'internal' })
      .expect(201);
    clock.advance(MINUTE_MS);
    await answer(rep.token, ticket.id);
    clock.advance(MINUTE_MS);
    await f
      .as(rep.token)
      .patch(`/tickets/${ticket.id}`, { status: 'waiting_on_customer' })
      .expect(200);

    const all = await f.as(rep.token).get(`/tickets/${ticket.id}/timeline`);
    const first = await f.as(rep.token).get(`/tickets/${ticket.id}/timeline?limit=4`);
    const rest = await f
      .as(rep.token)
      .get(
        `/tickets/${ticket.id}/timeline?limit=4&cursor=${encodeURIComponent(first.body.nextCursor)}`,
      );

    const types = all.body.items.map((e: { type: string }) => e.type);
    expect(types).toEqual([
      'created',
      'email_queued',
      'internal_note',
      'public_update',
      'email_queued',
      'status_changed',
    ]);
    const times = all.body.items.map((e: { at: string }) => new Date(e.at).getTime());
    expect(times).toEqual([...times].sort((x, y) => x - y));
    expect(times[0]).toBe(START.getTime());
    expect([...idsOf(first), ...idsOf(rest)]).toEqual(idsOf(all));
    expect(rest.body.nextCursor).toBeNull();
  });
});
