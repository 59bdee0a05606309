import { ManualClock } from '../../src/clock';
import type { DeadlineJob } from '../../src/deadline-rules/deadline-jobs';
import { signTicketToken } from '../../src/notifications/signed-links';
import { Fixtures, type TicketBody } from '../helpers/factories';
import { startTestApp, type TestApp } from '../helpers/test-app';

/** A Wednesday, 11:00 in Berlin (the fixtures' default team timezone). */
const START = new Date('2026-03-04T10:00:00.000Z');
const HOUR_MS = 60 * 60 * 1000;

const clock = new ManualClock(START);
let app: TestApp;
let f: Fixtures;

beforeAll(async () => {
  app = await startTestApp({ clock });
  f = new Fixtures(app);
});
beforeEach(() => clock.set(START));
afterEach(() => jest.restoreAllMocks());
afterAll(() => app.close());

const surveyToken = (ticketId: string) =>
  signTicketToken(app.ctx.settings.linkSecret, 'survey', ticketId);

/** The customer sends the survey form (the link itself only shows it). */
const clickScore = (ticketId: string, score: string, token = surveyToken(ticketId)) =>
  f.http().post(`/survey/${token}`).type('form').send(`score=${score}`);

/** A rep who owns a ticket; resolved unless told otherwise. */
async function ticketOfRep(options: { resolved?: boolean; locale?: string } = {}) {
  const team = await f.team();
  const rep = await f.agent('rep', team.id);
  const customer = await f.customer(options.locale ? { locale: options.locale } : {});
  const ticket = await f.ticket(rep.token, customer.id);
  if (options.resolved ?? true) {
    clock.advance(HOUR_MS);
    const res = await f.as(rep.token).post(`/tickets/${ticket.id}/resolve`, {
      resolution: 'Replaced the router',
      rootCause: { silo: 'network', category: 'hardware' },
    });
    expect(res.status).toBe(200);
  }
  return { team, rep, customer, ticket };
}

async function storedScores(ticketId: string) {
  const rows: Array<{ score: number; owner_id: string; customer_id: string }> =
    await app.dataSource.query(
      `SELECT score, owner_id, customer_id FROM satisfaction_scores WHERE ticket_id = $1`,
      [ticketId],
    );
  return rows;
}

async function ticketNow(token: string, ticketId: string): Promise<TicketBody> {
  const res = await f.as(token).get(`/tickets/${ticketId}`);
  expect(res.status).toBe(200);
  return res.body;
}

async function timeline(token: string, ticketId: string) {
  const res = await f.as(token).get(`/tickets/${ticketId}/timeline?limit=200`);
  expect(res.status).toBe(200);
  return res.body.items as Array<{
    type: string;
    actorId: string | null;
    data: Record<string, unknown>;
  }>;
}

describe('GET /survey/:token?score=N: a confirmation page, nothing recorded', () => {
  it('when a mail scanner follows a survey link with GET, then a confirmation page with the score preselected is shown and nothing is recorded', async () => {
    const { rep, ticket } = await ticketOfRep();
    const token = surveyToken(ticket.id);

    const res = await f.http().get(`/survey/${token}?score=2`);
    const again = await f.http().get(`/survey/${token}?score=5`);

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.text).toContain(`<form method="post" action="/survey/${token}">`);
    expect(res.text).toContain('<input type="radio" name="score" value="2" checked>');
    expect(res.text).not.toContain('value="5" checked');
    expect(again.text).toContain('value="5" checked');
    expect(await storedScores(ticket.id)).toEqual([]);
    const types = (await timeline(rep.token, ticket.id)).map((e) => e.type);
    expect(types).not.toContain('satisfaction_scored');
    expect((await ticketNow(rep.token, ticket.id)).status).toBe('resolved');
  });

  it('when the confirmation page is then sent (POST, form field score), then the score is recorded once', async () => {
    const { ticket } = await ticketOfRep();
    const token = surveyToken(ticket.id);
    await f.http().get(`/survey/${token}?score=1`).expect(200);

    const sent = await f.http().post(`/survey/${token}`).type('form').send('score=4');
    const twice = await f.http().post(`/survey/${token}`).type('form').send('score=1');

    expect(sent.status).toBe(200);
    expect(sent.text).toContain('4 out of 5');
    expect(twice.text).toContain('already recorded (4 out of 5)');
    expect(await storedScores(ticket.id)).toEqual([expect.objectContaining({ score: 4 })]);
  });
});

describe('POST /survey/:token (form field score)', () => {
  it('when the customer of a resolved ticket clicks a score, then it is stored with the owner whose work it rates and put on the timeline', async () => {
    const { rep, customer, ticket } = await ticketOfRep();

    const res = await clickScore(ticket.id, '4');

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-robots-tag']).toBe('noindex');
    expect(res.text).toContain('<html lang="en">');
    expect(res.text).toContain('Thank you for your feedback');
    expect(res.text).toContain('4 out of 5');
    expect(await storedScores(ticket.id)).toEqual([
      { score: 4, owner_id: rep.id, customer_id: customer.id },
    ]);
    const scored = (await timeline(rep.token, ticket.id)).filter(
      (e) => e.type === 'satisfaction_scored',
    );
    expect(scored).toEqual([expect.objectContaining({ actorId: null, data: { score: 4 } })]);
    expect((await ticketNow(rep.token, ticket.id)).status).toBe('resolved');
  });

  it('when the customer clicks again with another score, then the first score stands and the page says it was already recorded', async () => {
    const { rep, ticket } = await ticketOfRep();
    expect((await clickScore(ticket.id, '4')).status).toBe(200);

    const again = await clickScore(ticket.id, '1');

    expect(again.status).toBe(200);
    expect(again.text).toContain('already recorded (4 out of 5)');
    expect(await storedScores(ticket.id)).toEqual([expect.objectContaining({ score: 4 })]);
    const types = (await timeline(rep.token, ticket.id)).map((e) => e.type);
    expect(types.filter((t) => t === 'satisfaction_scored')).toHaveLength(1);
    expect(types).not.toContain('reopened');
    expect((await ticketNow(rep.token, ticket.id)).status).toBe('resolved');
  });

  it.each(['0', '6', 'abc', '2.5', '', '1&score=2'])(
    'when the score is %p, then the answer is 400 and nothing is stored',
    async (score) => {
      const { ticket } = await ticketOfRep();

      const res = await clickScore(ticket.id, score);

      expect(res.status).toBe(400);
      expect(res.text).toContain('1 to 5');
      expect(res.text).not.toContain(ticket.ref);
      expect(await storedScores(ticket.id)).toEqual([]);
    },
  );

  it('when the score is missing, then the answer is 400 and nothing is stored', async () => {
    const { ticket } = await ticketOfRep();

    const res = await f
      .http()
      .post(`/survey/${surveyToken(ticket.id)}`)
      .type('form')
      .send('');

    expect(res.status).toBe(400);
    expect(await storedScores(ticket.id)).toEqual([]);
  });

  it('when the ticket is open again, then a friendly page says so and nothing is stored', async () => {
    const { rep, ticket } = await ticketOfRep({ resolved: false });

    const res = await clickScore(ticket.id, '5');

    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('Your request is open again');
    expect(await storedScores(ticket.id)).toEqual([]);
    const types = (await timeline(rep.token, ticket.id)).map((e) => e.type);
    expect(types).not.toContain('satisfaction_scored');
  });

  it('when the customer gives a low score (2), then the ticket reopens for the same owner with a new same-day first-response deadline, its jobs scheduled and the reason on the timeline', async () => {
    const { rep, ticket } = await ticketOfRep();
    const resolvedVersion = (await ticketNow(rep.token, ticket.id)).version;
    // The survey arrives the next day (Thursday, 11:00 in Berlin).
    clock.set(new Date('2026-03-05T10:00:00.000Z'));
    const schedule = jest.spyOn(app.ctx.deadlineJobs, 'schedule');

    const res = await clickScore(ticket.id, '2');

    expect(res.status).toBe(200);
    expect(res.text).toContain('2 out of 5');
    expect(res.text).toContain('reopened your request');
    const after = await ticketNow(rep.token, ticket.id);
    expect(after).toMatchObject({
      status: 'open',
      ownerId: rep.id,
      firstRespondedAt: null,
      // Thursday's close (23:59 in Berlin): the same business day as the score.
      firstResponseDueAt: '2026-03-05T22:59:00.000Z',
    });
    expect(after.firstResponseDueAt).not.toBe(ticket.firstResponseDueAt);
    expect(after.version).toBeGreaterThan(resolvedVersion);
    expect(await storedScores(ticket.id)).toEqual([
      expect.objectContaining({ score: 2, owner_id: rep.id }),
    ]);

    const events = await timeline(rep.token, ticket.id);
    const types = events.map((e) => e.type);
    expect(types.slice(-3)).toEqual(['satisfaction_scored', 'reopened', 'recovery_follow_up']);
    expect(events.find((e) => e.type === 'reopened')).toMatchObject({
      actorId: null,
      data: {
        from: 'resolved',
        reason: 'low satisfaction score (2/5)',
        firstResponseDueAt: '2026-03-05T22:59:00.000Z',
      },
    });
    expect(events.find((e) => e.type === 'recovery_follow_up')).toMatchObject({
      data: { score: 2, ownerId: rep.id },
    });
    expect(types).not.toContain('owner_changed');

    const scheduled = schedule.mock.calls.flatMap(([jobs]) => jobs as DeadlineJob[]);
    expect(scheduled).toContainEqual(
      expect.objectContaining({ ticketId: ticket.id, kind: 'first_response', step: 'breached' }),
    );

    const queue = await f.as(rep.token).get('/me/queue');
    expect(queue.body.items.map((t: { id: string }) => t.id)).toContain(ticket.id);
  });

  it('when the customer double-clicks a low score, then it is stored once and the ticket reopens once', async () => {
    const { rep, ticket } = await ticketOfRep();

    const clicks = await Promise.all([clickScore(ticket.id, '1'), clickScore(ticket.id, '2')]);

    expect(clicks.map((r) => r.status)).toEqual([200, 200]);
    expect(clicks.filter((r) => r.text.includes('already recorded'))).toHaveLength(1);
    expect(await storedScores(ticket.id)).toHaveLength(1);
    const types = (await timeline(rep.token, ticket.id)).map((e) => e.type);
    expect(types.filter((t) => t === 'satisfaction_scored')).toHaveLength(1);
    expect(types.filter((t) => t === 'reopened')).toHaveLength(1);
  });

  it('when the customer gives a high score (5), then the ticket stays resolved', async () => {
    const { rep, ticket } = await ticketOfRep();

    const res = await clickScore(ticket.id, '5');

    expect(res.status).toBe(200);
    expect(res.text).not.toContain('reopened');
    const after = await ticketNow(rep.token, ticket.id);
    expect(after.status).toBe('resolved');
    const types = (await timeline(rep.token, ticket.id)).map((e) => e.type);
    expect(types).not.toContain('reopened');
    expect(types).not.toContain('recovery_follow_up');
    expect(await storedScores(ticket.id)).toEqual([expect.objectContaining({ score: 5 })]);
  });

  it('when the customer’s locale is German, then the thank-you page is in German', async () => {
    const { ticket } = await ticketOfRep({ locale: 'de' });

    const res = await clickScore(ticket.id, '1');

    expect(res.status).toBe(200);
    expect(res.text).toContain('<html lang="de">');
    expect(res.text).toContain('Vielen Dank für Ihre Bewertung');
    expect(res.text).toContain('wieder geöffnet');
  });

  it('when a link checker probes the link with HEAD, then no score is stored', async () => {
    const { ticket } = await ticketOfRep();

    const res = await f.http().head(`/survey/${surveyToken(ticket.id)}?score=1`);

    expect(res.status).toBe(200);
    expect(await storedScores(ticket.id)).toEqual([]);
  });

  it('when the token is tampered with or is a status token, then the answer is a bare 404 and nothing is stored', async () => {
    const { ticket } = await ticketOfRep();
    const token = surveyToken(ticket.id);
    const tampered = `${token.slice(0, -1)}${token.at(-1) === 'A' ? 'B' : 'A'}`;
    const statusToken = signTicketToken(app.ctx.settings.linkSecret, 'status', ticket.id);

    for (const bad of [tampered, statusToken, token.slice(0, 30), 'nonsense']) {
      const res = await clickScore(ticket.id, '1', bad);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      expect(res.text).toBe('Not found.');
    }
    expect(await storedScores(ticket.id)).toEqual([]);
  });
});
