import { ManualClock } from '../../src/clock';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { Fixtures, type TicketBody } from '../helpers/factories';

/** A Wednesday, 11:00 in Berlin (the fixtures' default team timezone). */
const START = new Date('2026-03-04T10:00:00.000Z');
const DAY_MS = 24 * 60 * 60 * 1000;

const clock = new ManualClock(START);
let app: TestApp;
let f: Fixtures;

beforeAll(async () => {
  app = await startTestApp({ clock });
  f = new Fixtures(app);
});
beforeEach(() => clock.set(START));
afterAll(() => app.close());

/** A team with one rep who has just taken a concern from a customer. */
async function repWithTicket() {
  const { team, supervisor, reps, customer } = await f.staffedTeam({ reps: 1 });
  const rep = reps[0]!;
  const ticket = await f.ticket(rep.token, customer.id);
  return { team, supervisor, rep, customer, ticket, as: f.as(rep.token) };
}

async function ticketNow(token: string, idOrRef: string): Promise<TicketBody> {
  const res = await f.as(token).get(`/tickets/${idOrRef}`);
  expect(res.status).toBe(200);
  return res.body;
}

async function timelineTypes(token: string, ticketId: string): Promise<string[]> {
  const res = await f.as(token).get(`/tickets/${ticketId}/timeline`);
  expect(res.status).toBe(200);
  return res.body.items.map((event: { type: string }) => event.type);
}

/** Emails queued for a ticket after its acknowledgement. */
function emailsAfterAcknowledgement(
  ticketId: string,
): Promise<Array<{ template: string; to_address: string }>> {
  return app.dataSource.query(
    `SELECT template, to_address FROM outbox_emails
      WHERE ticket_id = $1 AND template <> 'ticket_acknowledgement' ORDER BY created_at, next_attempt_at`,
    [ticketId],
  );
}

const errorPaths = (res: { body: { errors?: Array<{ path: string }> } }) =>
  (res.body.errors ?? []).map((e) => e.path);

const resolution = (silo = 'network') => ({
  resolution: 'Replaced the line card',
  rootCause: { silo, category: 'hardware', detail: 'card failed in the storm' },
});

describe('POST /tickets/:id/updates', () => {
  it('when the owner posts a public update, then it answers the customer, sets the next deadline and emails once', async () => {
    const { rep, customer, ticket, as } = await repWithTicket();
    clock.advance(60_000);

    const res = await as.post(`/tickets/${ticket.id}/updates`, {
      body: 'A technician is on the way',
      visibility: 'public',
    });

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ type: 'public_update', actorId: rep.id });
    const now = clock.now();
    const after = await ticketNow(rep.token, ticket.id);
    expect(after.firstRespondedAt).toBe(now.toISOString());
    expect(after.nextUpdateDueAt).not.toBeNull();
    expect(new Date(after.nextUpdateDueAt!).getTime()).toBeGreaterThan(now.getTime());
    expect(after.version).toBe(ticket.version + 1);
    expect(await timelineTypes(rep.token, ticket.id)).toContain('public_update');
    expect(await emailsAfterAcknowledgement(ticket.id)).toEqual([
      { template: 'public_update', to_address: customer.email },
    ]);
  });

  it('when the owner writes an internal note, then only the timeline shows it: no email, no first response', async () => {
    const { rep, ticket, as } = await repWithTicket();

    const res = await as.post(`/tickets/${ticket.id}/updates`, {
      body: 'Customer sounded upset',
      visibility: 'internal',
    });

    expect(res.status).toBe(201);
    expect(res.body.type).toBe('internal_note');
    const types = await timelineTypes(rep.token, ticket.id);
    expect(types).toContain('internal_note');
    expect(types).not.toContain('public_update');
    expect(await emailsAfterAcknowledgement(ticket.id)).toEqual([]);
    const after = await ticketNow(rep.token, ticket.id);
    expect(after.firstRespondedAt).toBeNull();
    expect(after.nextUpdateDueAt).toBeNull();
  });

  it('when visibility is missing or not public/internal, then it gets a 400 naming visibility', async () => {
    const { ticket, as } = await repWithTicket();

    const missing = await as.post(`/tickets/${ticket.id}/updates`, { body: 'Hello' });
    const invalid = await as.post(`/tickets/${ticket.id}/updates`, {
      body: 'Hello',
      visibility: 'everyone',
    });

    for (const res of [missing, invalid]) {
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(errorPaths(res)).toEqual(['visibility']);
    }
    expect(await emailsAfterAcknowledgement(ticket.id)).toEqual([]);
  });
  it('when a public update is posted on a resolved ticket, then it gets a 409 and no email is queued', async () => {
    const { ticket, as } = await repWithTicket();
    await as.post(`/tickets/${ticket.id}/resolve`, resolution()).expect(200);

    const res = await as.post(`/tickets/${ticket.id}/updates`, {
      body: 'One more thing',
      visibility: 'public',
    });

    expect(res.status).toBe(409);
    expect((await emailsAfterAcknowledgement(ticket.id)).map((row) => row.template)).toEqual([
      'ticket_resolved',
      'satisfaction_survey',
    ]);
  });
});

describe('PATCH /tickets/:id status', () => {
  it('when the ticket waits on the customer, then the update clock pauses, and back to open it runs again', async () => {
    const { rep, ticket, as } = await repWithTicket();
    await as
      .post(`/tickets/${ticket.id}/updates`, { body: 'Please send a photo', visibility: 'public' })
      .expect(201);

    const waiting = await as.patch(`/tickets/${ticket.id}`, { status: 'waiting_on_customer' });
    expect(waiting.status).toBe(200);
    expect(waiting.body).toMatchObject({ status: 'waiting_on_customer', nextUpdateDueAt: null });

    clock.advance(60 * 60_000);
    const open = await as.patch(`/tickets/${ticket.id}`, { status: 'open' });
    expect(open.status).toBe(200);
    expect(open.body.status).toBe('open');
    expect(open.body.nextUpdateDueAt).not.toBeNull();
    expect(new Date(open.body.nextUpdateDueAt).getTime()).toBeGreaterThan(clock.now().getTime());
    expect((await ticketNow(rep.token, ticket.id)).nextUpdateDueAt).toBe(open.body.nextUpdateDueAt);
  });

  it('when someone patches status to resolved, then it gets a 400 naming status and the ticket stays open', async () => {
    const { rep, ticket, as } = await repWithTicket();

    const res = await as.patch(`/tickets/${ticket.id}`, { status: 'resolved' });

    expect(res.status).toBe(400);
    expect(errorPaths(res)).toEqual(['status']);
    expect((await ticketNow(rep.token, ticket.id)).status).toBe('open');
  });
});

describe('POST /tickets/:id/customer-messages', () => {
  it('when the customer writes while the ticket waits on them, then it is open again', async () => {
    const { rep, team, ticket, as } = await repWithTicket();
    await as
      .post(`/tickets/${ticket.id}/updates`, {
        body: 'Need your meter reading',
        visibility: 'public',
      })
      .expect(201);
    await as.patch(`/tickets/${ticket.id}`, { status: 'waiting_on_customer' }).expect(200);
    const gateway = await f.agent('integration', team.id);

    const res = await f
      .as(gateway.token)
      .post(`/tickets/${ticket.id}/customer-messages`, { body: 'Reading is 12345' });

    expect(res.status).toBe(201);
    expect(res.body.type).toBe('customer_message');
    const after = await ticketNow(rep.token, ticket.id);
    expect(after).toMatchObject({ status: 'open', teamId: team.id, ownerId: rep.id });
    expect(after.nextUpdateDueAt).not.toBeNull();
    expect(await timelineTypes(rep.token, ticket.id)).toEqual(
      expect.arrayContaining(['customer_message', 'status_changed']),
    );
  });

  it('when the customer writes about a resolved ticket, then it is reopened', async () => {
    const { rep, ticket, as } = await repWithTicket();
    await as.post(`/tickets/${ticket.id}/resolve`, resolution()).expect(200);

    const res = await as.post(`/tickets/${ticket.id}/customer-messages`, {
      body: 'It broke again',
    });

    expect(res.status).toBe(201);
    const after = await ticketNow(rep.token, ticket.id);
    expect(after).toMatchObject({
      status: 'open',
      reopenCount: 1,
      ownerId: rep.id,
      resolvedAt: null,
      rootCause: null,
    });
    const types = await timelineTypes(rep.token, ticket.id);
    expect(types).toContain('reopened');
    expect(types.indexOf('reopened')).toBeGreaterThan(types.indexOf('resolved'));
  });
});

describe('POST /tickets/:id/resolve', () => {
  it('when the owner resolves with a root cause, then it is resolved, the clock stops and the customer is told', async () => {
    const { rep, customer, ticket, as } = await repWithTicket();
    await as
      .post(`/tickets/${ticket.id}/updates`, { body: 'Working on it', visibility: 'public' })
      .expect(201);
    clock.advance(30 * 60_000);

    const res = await as.post(`/tickets/${ticket.id}/resolve`, resolution('field_service'));

    expect(res.status).toBe(200);
    const after = await ticketNow(rep.token, ticket.id);
    expect(after).toMatchObject({
      status: 'resolved',
      resolvedAt: clock.now().toISOString(),
      resolution: 'Replaced the line card',
      rootCause: {
        silo: 'field_service',
        category: 'hardware',
        detail: 'card failed in the storm',
      },
      nextUpdateDueAt: null,
    });
    expect(await timelineTypes(rep.token, ticket.id)).toContain('resolved');
    const templates = (await emailsAfterAcknowledgement(ticket.id)).map((row) => row.template);
    expect(templates).toEqual(['public_update', 'ticket_resolved', 'satisfaction_survey']);
    const [survey] = await app.dataSource.query(
      `SELECT next_attempt_at FROM outbox_emails WHERE ticket_id = $1 AND template = 'satisfaction_survey'`,
      [ticket.id],
    );
    // The survey waits a day (surveyDelayHours) after the resolution.
    expect(survey.next_attempt_at.getTime() - new Date(res.body.resolvedAt).getTime()).toBe(
      24 * 3_600_000,
    );
    const [resolved] = await app.dataSource.query(
      `SELECT to_address FROM outbox_emails WHERE ticket_id = $1 AND template = 'ticket_resolved'`,
      [ticket.id],
    );
    expect(resolved.to_address).toBe(customer.email);
  });

  it('when the root cause silo is not one of the list, then it gets a 400 naming rootCause.silo', async () => {
    const { rep, ticket, as } = await repWithTicket();

    const res = await as.post(`/tickets/${ticket.id}/resolve`, resolution('the_moon'));

    expect(res.status).toBe(400);
    expect(errorPaths(res)).toEqual(['rootCause.silo']);
    expect((await ticketNow(rep.token, ticket.id)).status).toBe('open');
  });

  it('when the root cause is missing, then it gets a 400 naming rootCause and nothing is queued', async () => {
    const { rep, ticket, as } = await repWithTicket();

    const res = await as.post(`/tickets/${ticket.id}/resolve`, { resolution: 'Fixed' });

    expect(res.status).toBe(400);
    expect(errorPaths(res)).toEqual(['rootCause']);
    expect((await ticketNow(rep.token, ticket.id)).status).toBe('open');
    expect(await emailsAfterAcknowledgement(ticket.id)).toEqual([]);
  });

  it('when a resolved ticket is resolved again, then it gets a 409 and only one resolution email exists', async () => {
    const { ticket, as } = await repWithTicket();
    await as.post(`/tickets/${ticket.id}/resolve`, resolution()).expect(200);

    const again = await as.post(`/tickets/${ticket.id}/resolve`, resolution('billing'));

    expect(again.status).toBe(409);
    expect(again.headers['content-type']).toMatch(/application\/problem\+json/);
    expect((await emailsAfterAcknowledgement(ticket.id)).map((row) => row.template)).toEqual([
      'ticket_resolved',
      'satisfaction_survey',
    ]);
  });
});

describe('POST /tickets/:id/reopen', () => {
  it('when the owner reopens a resolved ticket a day later, then it is open and owes a new first response', async () => {
    const { rep, ticket, as } = await repWithTicket();
    await as
      .post(`/tickets/${ticket.id}/updates`, { body: 'Done', visibility: 'public' })
      .expect(201);
    await as.post(`/tickets/${ticket.id}/resolve`, resolution()).expect(200);
    clock.advance(DAY_MS);

    const res = await as.post(`/tickets/${ticket.id}/reopen`, {
      reason: 'Customer called: still broken',
    });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'open', firstRespondedAt: null, reopenCount: 1 });
    expect(res.body.firstResponseDueAt).not.toBe(ticket.firstResponseDueAt);
    expect(new Date(res.body.firstResponseDueAt).getTime()).toBeGreaterThan(clock.now().getTime());
    expect(await ticketNow(rep.token, ticket.id)).toMatchObject({
      status: 'open',
      firstRespondedAt: null,
      firstResponseDueAt: res.body.firstResponseDueAt,
    });
    expect(await timelineTypes(rep.token, ticket.id)).toContain('reopened');
  });

  it('when an open ticket is reopened, then it gets a 409 and nothing changes', async () => {
    const { rep, ticket, as } = await repWithTicket();

    const res = await as.post(`/tickets/${ticket.id}/reopen`, { reason: 'Just in case' });

    expect(res.status).toBe(409);
    expect((await ticketNow(rep.token, ticket.id)).version).toBe(ticket.version);
  });
});

describe('addressing a ticket by its ref', () => {
  it('when GET /tickets/:id is given the ref (T-000123), then it returns the same ticket', async () => {
    const { rep, ticket } = await repWithTicket();

    const byRef = await ticketNow(rep.token, ticket.ref);

    expect(byRef.id).toBe(ticket.id);
    expect(byRef.ref).toBe(ticket.ref);
  });

  it('when the timeline is requested by ref, then it lists the same events as by id', async () => {
    const { rep, ticket } = await repWithTicket();

    const byRef = await f.as(rep.token).get(`/tickets/${ticket.ref}/timeline`);

    expect(byRef.status).toBe(200);
    expect(byRef.body.items.map((e: { type: string }) => e.type)).toEqual(
      await timelineTypes(rep.token, ticket.id),
    );
  });

  it('when an unknown ref is requested, then it gets a 404', async () => {
    const { rep } = await repWithTicket();

    const res = await f.as(rep.token).get('/tickets/T-999999999');

    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  });
});
