import type { ParsedMail } from 'mailparser';
import type { Response } from 'supertest';
import { ManualClock } from '../../src/clock';
import {
  DEFAULT_DELIVERY,
  drainOutbox,
  type DeliverySettings,
} from '../../src/notifications/deliver-outbox';
import { createSmtpMailer, type Mailer } from '../../src/notifications/mailer';
import { expectProblem } from '../access/access-helpers';
import { Fixtures, unique } from '../helpers/factories';
import { startSmtpPeer, type SmtpPeer } from '../helpers/smtp-peer';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { SseClient } from '../live/sse-client';

/**
 * Failed and ambiguous customer emails, made visible and fixable over the API: listed for the
 * people who can fix them, resent to the customer's current address in the original's place in
 * the ticket's order, or dismissed with a note; the owner is told. Own database: draining takes
 * every due row it can see.
 */
const settings: DeliverySettings = { ...DEFAULT_DELIVERY, mailFrom: 'support@ownit.test' };

let app: TestApp;
let f: Fixtures;
let clock: ManualClock;
let peer: SmtpPeer;
let mailer: Mailer;
const streams: SseClient[] = [];

beforeAll(async () => {
  clock = new ManualClock(new Date());
  app = await startTestApp({ clock, isolated: true });
  f = new Fixtures(app);
  peer = await startSmtpPeer();
  // Failures are the customers': staff (the owner told of a failure) always get their email.
  peer.only = /@customer\.test$/;
  mailer = createSmtpMailer(peer.url, { socketTimeoutMs: 1_000 });
});
beforeEach(async () => {
  peer.mode = 'accept';
  peer.received.length = 0;
  // Each test starts with an empty outbox: what earlier tests left must not be sent here.
  await app.dataSource.query(
    `UPDATE outbox_emails SET status = 'cancelled' WHERE status IN ('pending', 'sending', 'held')`,
  );
});
afterEach(() => streams.splice(0).forEach((s) => s.close()));
afterAll(async () => {
  mailer.close();
  await peer.close();
  await app.close();
});

async function newTicket() {
  const { team, supervisor, reps, customer } = await f.staffedTeam();
  const rep = reps[0]!;
  const ticket = await f.ticket(rep.token, customer.id, { subject: unique('No dial tone') });
  return { team, supervisor, rep, customer, ticket };
}

async function publicUpdate(token: string, ticketId: string, body: string) {
  const res = await f
    .as(token)
    .post(`/tickets/${ticketId}/updates`, { body, visibility: 'public' });
  expect(res.status).toBe(201);
}

const sentTo = (address: string): ParsedMail[] =>
  peer.received.filter((m) => m.to && !Array.isArray(m.to) && m.to.text === address);

/** What each email to `address` was, in arrival order: "ack", or the update's own words. */
function bodiesTo(address: string): string[] {
  return sentTo(address).map((m) => {
    if (m.subject?.startsWith("We're on it")) return 'ack';
    return (m.text ?? '').split(/\n\s*\n/)[1]?.trim() ?? '';
  });
}

async function timelineTypes(token: string, ticketId: string): Promise<string[]> {
  const res = await f.as(token).get(`/tickets/${ticketId}/timeline?limit=200`);
  expect(res.status).toBe(200);
  return (res.body.items as Array<{ type: string }>).map((e) => e.type);
}

async function timelineEvent(token: string, ticketId: string, type: string) {
  const res = await f.as(token).get(`/tickets/${ticketId}/timeline?limit=200`);
  return (res.body.items as Array<{ type: string; actorId: string; data: Record<string, unknown> }>)
    .filter((e) => e.type === type)
    .at(-1);
}

async function bounceAcknowledgement() {
  const made = await newTicket();
  peer.mode = 'reject';
  expect((await drainOutbox(app.ctx, mailer, settings)).failed).toBe(1);
  peer.mode = 'accept';
  const listed = await f.as(made.rep.token).get(`/outbox?ticketId=${made.ticket.id}`);
  expect(listed.status).toBe(200);
  expect(listed.body.items).toHaveLength(1);
  return { ...made, failed: listed.body.items[0] as { id: string; [key: string]: unknown } };
}

describe('GET /outbox', () => {
  it('when a customer acknowledgement bounces, then the owner sees it listed with ticket, recipient, kind, error, attempts, times and links, and is told by email and live', async () => {
    const made = await newTicket();
    const live = await SseClient.open(app.server, { Authorization: `Bearer ${made.rep.token}` });
    streams.push(live);
    peer.mode = 'reject';
    expect((await drainOutbox(app.ctx, mailer, settings)).failed).toBe(1);

    const res = await f.as(made.rep.token).get('/outbox');
    expect(res.status).toBe(200);
    expect(res.body.nextCursor).toBeNull();
    const item = res.body.items.find((i: { ticketId: string }) => i.ticketId === made.ticket.id);
    expect(item).toEqual({
      id: expect.any(String),
      ticketId: made.ticket.id,
      ticketRef: made.ticket.ref,
      ticketSubject: made.ticket.subject,
      teamId: made.team.id,
      ownerId: made.rep.id,
      customerId: made.customer.id,
      to: made.customer.email,
      customerEmail: made.customer.email,
      kind: 'ticket_acknowledgement',
      subject: expect.stringMatching(/^We're on it: /),
      status: 'failed',
      lastError: expect.stringMatching(/550|no such user/i),
      attempts: 1,
      createdAt: expect.any(String),
      nextAttemptAt: null,
      sentAt: null,
      failedAt: clock.now().toISOString(),
      settledAt: null,
      settledBy: null,
      settledNote: null,
      resentFromId: null,
      resentAsId: null,
      links: {
        self: `/api/v1/outbox/${item.id}`,
        ticket: `/api/v1/tickets/${made.ticket.id}`,
        resentFrom: null,
        resentAs: null,
        resend: `/api/v1/outbox/${item.id}/resend`,
        dismiss: `/api/v1/outbox/${item.id}/dismiss`,
      },
    });
    expect(item.subject).toContain(made.ticket.ref);
    expect((await f.as(made.rep.token).get(`/outbox/${item.id}`)).body).toEqual(item);

    // The console hears of it on the ticket.
    const heard = await live.waitFor(
      (e) =>
        e.event === 'ticket' &&
        e.data.ticketId === made.ticket.id &&
        e.data.type === 'email_failed',
    );
    expect(heard.data.ownerId).toBe(made.rep.id);

    // The owner's email says what failed and how to fix it.
    peer.mode = 'accept';
    await drainOutbox(app.ctx, mailer, settings);
    const told = sentTo(made.rep.email);
    expect(told).toHaveLength(1);
    expect(told[0]!.subject).toContain('Email to the customer failed');
    expect(told[0]!.text).toContain(made.customer.email);
    expect(told[0]!.text).toContain(item.id);
    const failedEvent = await timelineEvent(made.rep.token, made.ticket.id, 'email_failed');
    expect(failedEvent?.data).toMatchObject({ emailId: item.id, needsAPerson: true });
  });

  it('when an email is ambiguous the first time, then it is listed but the owner is told only once a person must decide', async () => {
    const made = await newTicket();
    peer.mode = 'hang';
    expect((await drainOutbox(app.ctx, mailer, settings)).ambiguous).toBe(1);
    const first = await f.as(made.supervisor.token).get(`/outbox?ticketId=${made.ticket.ref}`);
    expect(first.body.items.map((i: { status: string }) => i.status)).toEqual(['ambiguous']);
    expect(first.body.items[0].nextAttemptAt).not.toBeNull();
    const queuedForOwner = async () =>
      (
        await app.dataSource.query(
          `SELECT count(*)::int AS n FROM outbox_emails WHERE ticket_id = $1 AND template = 'customer_email_failed'`,
          [made.ticket.id],
        )
      )[0].n;
    expect(await queuedForOwner()).toBe(0);

    clock.advance(settings.ambiguousRetryDelayMs + 1_000);
    expect((await drainOutbox(app.ctx, mailer, settings)).ambiguous).toBe(1);
    expect(await queuedForOwner()).toBe(1);
  });

  it('when status is not a list of outbox statuses or the cursor is foreign, then 400 names the field', async () => {
    const { rep } = await newTicket();
    const bad = await f.as(rep.token).get('/outbox?status=failed,bounced');
    expectProblemWithField(bad, 'status');
    const cursor = await f.as(rep.token).get('/outbox?cursor=nonsense');
    expectProblemWithField(cursor, 'cursor');
    const ticket = await f.as(rep.token).get('/outbox?ticketId=drop%20table');
    expectProblemWithField(ticket, 'ticketId');
  });

  it('when there are more failed emails than the limit, then the pages by cursor hold each exactly once, newest first', async () => {
    const { team, reps, customer } = await f.staffedTeam({ reps: 1 });
    const rep = reps[0]!;
    for (let i = 0; i < 5; i++) {
      await f.ticket(rep.token, customer.id, { subject: `Bounce ${i}` });
      clock.advance(1_000);
    }
    peer.mode = 'reject';
    expect((await drainOutbox(app.ctx, mailer, settings)).failed).toBe(5);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: Array<{ ticketSubject: string }>; nextCursor: string | null } } =
        await f
          .admin()
          .get(`/outbox?teamId=${team.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((i) => i.ticketSubject));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['Bounce 4', 'Bounce 3', 'Bounce 2', 'Bounce 1', 'Bounce 0']);
  });
});

function expectProblemWithField(res: Response, field: string) {
  expect(res.status).toBe(400);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const paths: string[] = res.body.errors.map((e: { path: string }) => e.path);
  expect(paths.some((p) => p === field || p.startsWith(`${field}.`))).toBe(true);
}

describe('POST /outbox/:id/resend', () => {
  it('when the address is corrected and the bounced email resent, then a new email with a new key goes to the corrected address, linked both ways, on the timeline', async () => {
    const { rep, customer, ticket, failed } = await bounceAcknowledgement();
    const corrected = `fixed-${customer.email}`;
    expect(
      (await f.as(rep.token).patch(`/customers/${customer.id}`, { email: corrected })).status,
    ).toBe(200);

    const res = await f.as(rep.token).post(`/outbox/${failed.id}/resend`, { note: 'typo fixed' });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/api/v1/outbox/${res.body.id}`);
    expect(res.body).toMatchObject({
      ticketId: ticket.id,
      kind: 'ticket_acknowledgement',
      to: corrected,
      status: 'pending',
      attempts: 0,
      resentFromId: failed.id,
      resentAsId: null,
      links: { resentFrom: `/api/v1/outbox/${failed.id}`, resend: null, dismiss: null },
    });
    expect(res.body.id).not.toBe(failed.id);
    const original = await f.as(rep.token).get(`/outbox/${failed.id}`);
    expect(original.body).toMatchObject({
      status: 'resent',
      resentAsId: res.body.id,
      settledBy: { id: rep.id },
      settledNote: 'typo fixed',
      links: { resentAs: `/api/v1/outbox/${res.body.id}`, resend: null, dismiss: null },
    });
    const keys = await app.dataSource.query(
      `SELECT id, key FROM outbox_emails WHERE id = ANY($1::uuid[])`,
      [[failed.id, res.body.id]],
    );
    expect(new Set(keys.map((k: { key: string }) => k.key)).size).toBe(2);

    // Settled: gone from the default list; the new one is found by its status.
    expect((await f.as(rep.token).get(`/outbox?ticketId=${ticket.id}`)).body.items).toEqual([]);
    const both = await f.as(rep.token).get(`/outbox?ticketId=${ticket.id}&status=resent,pending`);
    expect(both.body.items.map((i: { id: string }) => i.id).sort()).toEqual(
      [failed.id, res.body.id].sort(),
    );

    await drainOutbox(app.ctx, mailer, settings);
    expect(bodiesTo(corrected)).toEqual(['ack']);
    expect(sentTo(customer.email)).toHaveLength(0);
    expect((await f.as(rep.token).get(`/outbox/${res.body.id}`)).body.status).toBe('sent');

    const resent = await timelineEvent(rep.token, ticket.id, 'email_resent');
    expect(resent).toMatchObject({
      actorId: rep.id,
      data: {
        emailId: failed.id,
        resentAsId: res.body.id,
        to: corrected,
        previousTo: customer.email,
        note: 'typo fixed',
      },
    });
  });

  it('when an ambiguous email holds back a later update and is resent, then the customer gets the resend first and the update after it', async () => {
    const { rep, customer, ticket } = await newTicket();
    peer.mode = 'hang';
    expect((await drainOutbox(app.ctx, mailer, settings)).ambiguous).toBe(1);
    peer.mode = 'accept';
    await publicUpdate(rep.token, ticket.id, 'technician on Tuesday');
    await drainOutbox(app.ctx, mailer, settings);
    expect(bodiesTo(customer.email)).toEqual([]); // held back behind the ambiguous one
    peer.received.length = 0;

    const [ambiguous] = (await f.as(rep.token).get(`/outbox?ticketId=${ticket.id}`)).body.items;
    expect(ambiguous.status).toBe('ambiguous');
    const res = await f.as(rep.token).post(`/outbox/${ambiguous.id}/resend`);
    expect(res.status).toBe(201);
    // A second worker, with the server now slow: order still holds.
    peer.mode = 'slow';
    peer.slowMs = 200;
    const other = createSmtpMailer(peer.url);
    await Promise.all([
      drainOutbox(app.ctx, mailer, settings),
      drainOutbox(app.ctx, other, settings),
    ]);
    await drainOutbox(app.ctx, mailer, settings);
    other.close();
    expect(bodiesTo(customer.email)).toEqual(['ack', 'technician on Tuesday']);
  });

  it('when the email was already resent, sent or is still pending, then resend and dismiss are 409 problem+json and nothing changes', async () => {
    const { rep, ticket, failed } = await bounceAcknowledgement();
    const first = await f.as(rep.token).post(`/outbox/${failed.id}/resend`);
    expect(first.status).toBe(201);
    const again = await f.as(rep.token).post(`/outbox/${failed.id}/resend`);
    expectProblem(again, 409);
    expect(again.body.detail).toMatch(/resent/);
    const pending = await f.as(rep.token).post(`/outbox/${first.body.id}/dismiss`, { note: 'x' });
    expectProblem(pending, 409);
    await drainOutbox(app.ctx, mailer, settings);
    const sent = await f.as(rep.token).post(`/outbox/${first.body.id}/resend`);
    expectProblem(sent, 409);
    expect(sent.body.detail).toMatch(/sent/);
    const rows = await app.dataSource.query(
      `SELECT count(*)::int AS n FROM outbox_emails WHERE ticket_id = $1 AND template = 'ticket_acknowledgement'`,
      [ticket.id],
    );
    expect(rows[0].n).toBe(2);
  });

  it('when two people resend the same email at once, then exactly one resend is made', async () => {
    const { rep, supervisor, ticket, failed } = await bounceAcknowledgement();
    const answers = await Promise.all([
      f.as(rep.token).post(`/outbox/${failed.id}/resend`),
      f.as(supervisor.token).post(`/outbox/${failed.id}/resend`),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    const rows = await app.dataSource.query(
      `SELECT count(*)::int AS n FROM outbox_emails WHERE ticket_id = $1 AND resent_from_id = $2`,
      [ticket.id, failed.id],
    );
    expect(rows[0].n).toBe(1);
  });
});

describe('POST /outbox/:id/dismiss', () => {
  it('when no note is given, then 400 names the note and the email stays failed', async () => {
    const { rep, failed } = await bounceAcknowledgement();
    const res = await f.as(rep.token).post(`/outbox/${failed.id}/dismiss`, {});
    expectProblemWithField(res, 'note');
    const blank = await f.as(rep.token).post(`/outbox/${failed.id}/dismiss`, { note: '  ' });
    expectProblemWithField(blank, 'note');
    expect((await f.as(rep.token).get(`/outbox/${failed.id}`)).body.status).toBe('failed');
  });

  it('when a supervisor dismisses an ambiguous email with a note, then it is settled on the timeline and the held-back update goes out', async () => {
    const { rep, supervisor, customer, ticket } = await newTicket();
    peer.mode = 'hang';
    expect((await drainOutbox(app.ctx, mailer, settings)).ambiguous).toBe(1);
    peer.mode = 'accept';
    await publicUpdate(rep.token, ticket.id, 'parts ordered');
    await drainOutbox(app.ctx, mailer, settings);
    expect(bodiesTo(customer.email)).toEqual([]);
    peer.received.length = 0;

    const [ambiguous] = (await f.as(supervisor.token).get(`/outbox?ticketId=${ticket.id}`)).body
      .items;
    const res = await f.as(supervisor.token).post(`/outbox/${ambiguous.id}/dismiss`, {
      note: 'Customer confirmed on the phone they got it',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: ambiguous.id,
      status: 'dismissed',
      settledBy: { id: supervisor.id },
      settledNote: 'Customer confirmed on the phone they got it',
      links: { resend: null, dismiss: null },
    });
    expect(await timelineTypes(rep.token, ticket.id)).toContain('email_dismissed');
    expect((await timelineEvent(rep.token, ticket.id, 'email_dismissed'))?.data).toMatchObject({
      emailId: ambiguous.id,
      previousStatus: 'ambiguous',
      note: 'Customer confirmed on the phone they got it',
    });
    await drainOutbox(app.ctx, mailer, settings);
    expect(bodiesTo(customer.email)).toEqual(['parts ordered']);
  });
});
