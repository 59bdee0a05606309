import { ManualClock } from '../../src/clock';
import {
  claimDueEmails,
  DEFAULT_DELIVERY,
  deliverEmail,
  drainOutbox,
  type DeliverySettings,
} from '../../src/notifications/deliver-outbox';
import { createSmtpMailer, type Mailer } from '../../src/notifications/mailer';
import { Fixtures } from '../helpers/factories';
import { startSmtpPeer, type SmtpPeer } from '../helpers/smtp-peer';
import { startTestApp, type TestApp } from '../helpers/test-app';

/**
 * The outbox against a real SMTP peer. This file has its own database: draining the outbox takes
 * every due row it can see.
 */
const settings: DeliverySettings = { ...DEFAULT_DELIVERY, mailFrom: 'support@ownit.test' };

let app: TestApp;
let f: Fixtures;
let clock: ManualClock;
let peer: SmtpPeer;
let mailer: Mailer;

beforeAll(async () => {
  clock = new ManualClock(new Date());
  app = await startTestApp({ clock, isolated: true });
  f = new Fixtures(app);
  peer = await startSmtpPeer();
  // Failures are the customers': staff (the owner told of a failed email) get theirs.
  peer.only = /@customer\.test$/;
  mailer = createSmtpMailer(peer.url, { socketTimeoutMs: 1_500 });
});
beforeEach(() => {
  peer.mode = 'accept';
  peer.received.length = 0;
});
afterAll(async () => {
  mailer.close();
  await peer.close();
  await app.close();
});

const drain = (m: Mailer = mailer) => drainOutbox(app.ctx, m, settings);

async function rows(ticketId: string) {
  return app.dataSource.query(
    `SELECT template, status, attempts, last_error, message_id, smtp_response FROM outbox_emails
      WHERE ticket_id = $1 ORDER BY created_at, next_attempt_at`,
    [ticketId],
  ) as Promise<
    Array<{
      template: string;
      status: string;
      attempts: number;
      last_error: string | null;
      message_id: string | null;
    }>
  >;
}

async function newTicket(customer: Record<string, unknown> = {}) {
  const { reps, customer: c } = await f.staffedTeam();
  const custom = Object.keys(customer).length ? await f.customer(customer) : c;
  const ticket = await f.ticket(reps[0]!.token, custom.id, { subject: 'Router keeps rebooting' });
  return { rep: reps[0]!, customer: custom, ticket };
}

describe('sending the outbox', () => {
  it('when a ticket is created, then one acknowledgement arrives naming the owner, with a status link and a Message-ID', async () => {
    const { rep, customer, ticket } = await newTicket();
    await drain();
    const [mail] = await peer.waitFor(1);
    expect(peer.received).toHaveLength(1);
    expect(mail!.to).toMatchObject({ text: customer.email });
    expect(mail!.subject).toContain(ticket.ref);
    expect(mail!.text).toContain(rep.name.split(' ')[0]!);
    expect(mail!.messageId).toBe(`<ticket-${ticket.id}@ownit.test>`);
    const link = /http:\/\/ownit\.test\/status\/[A-Za-z0-9_.-]+/.exec(mail!.text ?? '');
    expect(link).not.toBeNull();
    expect(mail!.html).toContain(link![0]);
    expect((await rows(ticket.id))[0]).toMatchObject({ status: 'sent', attempts: 1 });
    const timeline = await f.as(rep.token).get(`/tickets/${ticket.id}/timeline`);
    expect(timeline.body.items.map((e: { type: string }) => e.type)).toContain('email_sent');
  });

  it('when the owner posts a public update, then it arrives as a reply in the same thread', async () => {
    const { rep, ticket } = await newTicket();
    await f
      .as(rep.token)
      .post(`/tickets/${ticket.id}/updates`, { body: 'Technician booked', visibility: 'public' });
    await drain();
    const mails = await peer.waitFor(2);
    const ack = mails.find((m) => m.subject?.startsWith("We're on it"));
    const update = mails.find((m) => m.subject?.startsWith('Update'));
    expect(update!.inReplyTo).toBe(ack!.messageId);
    expect(update!.references).toEqual(ack!.messageId);
    expect(update!.text).toContain('Technician booked');
    expect(update!.replyTo?.text).toMatch(
      /^support\+r-[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+@ownit\.test$/,
    );
  });

  it('when the customer reads German, then the acknowledgement is in German', async () => {
    await newTicket({ locale: 'de-DE' });
    await drain();
    const [mail] = await peer.waitFor(1);
    expect(mail!.subject).toMatch(/^Wir kümmern uns/);
    expect(mail!.html).toContain('lang="de"');
  });

  it('when user text holds line breaks and markup, then headers stay single-line and HTML is escaped', async () => {
    const { rep } = await newTicket();
    const customer = await f.customer();
    const ticket = await f.ticket(rep.token, customer.id, {
      subject: 'Hi\r\nBcc: victim@example.com <b>x</b>',
    });
    await f.as(rep.token).post(`/tickets/${ticket.id}/updates`, {
      body: '<script>alert(1)</script>',
      visibility: 'public',
    });
    await drain();
    const mails = await peer.waitFor(3);
    for (const mail of mails) {
      expect(mail.bcc).toBeUndefined();
      expect(mail.subject).not.toMatch(/[\r\n]/);
    }
    const update = mails.find((m) => m.subject?.startsWith('Update'))!;
    expect(update.subject).toContain('Bcc: victim@example.com');
    expect(update.html).toContain('&lt;script&gt;');
    expect(update.html).not.toContain('<script>');
  });
});

describe('failures', () => {
  it('when the server defers (4xx) and later accepts, then the email is retried with backoff and sent once', async () => {
    const { ticket } = await newTicket();
    peer.mode = 'defer';
    expect((await drain()).retry).toBe(1);
    const [deferred] = await rows(ticket.id);
    expect(deferred).toMatchObject({ status: 'pending', attempts: 1 });
    expect(deferred!.last_error).toMatch(/451/);

    peer.mode = 'accept';
    expect((await drain()).sent).toBe(0); // not yet: backoff
    clock.advance(31_000);
    expect((await drain()).sent).toBe(1);
    expect(peer.received).toHaveLength(1);
    expect((await rows(ticket.id))[0]).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('when the server rejects for good (5xx), then the email is marked failed and shown on the timeline', async () => {
    const { rep, customer, ticket } = await newTicket();
    peer.mode = 'reject';
    expect((await drain()).failed).toBe(1);
    const [row] = await rows(ticket.id);
    expect(row).toMatchObject({ status: 'failed' });
    expect(row!.last_error).toMatch(/550/);
    const timeline = await f.as(rep.token).get(`/tickets/${ticket.id}/timeline`);
    const failed = timeline.body.items.find((e: { type: string }) => e.type === 'email_failed');
    expect(failed.data).toMatchObject({ template: 'ticket_acknowledgement', status: 'failed' });
    clock.advance(3_600_000);
    await drain();
    // Never retried; only the owner hears of it.
    expect(peer.received.map((m) => (m.to && !Array.isArray(m.to) ? m.to.text : ''))).toEqual([
      rep.email,
    ]);
    expect(peer.received.some((m) => m.text?.includes(customer.email))).toBe(true);
  });

  it('when the SMTP server is down for a while, then nothing is lost and each email is sent once when it is back', async () => {
    const down = await startSmtpPeer();
    const port = down.port;
    await down.close(); // nothing listens on this port now
    const downMailer = createSmtpMailer(`smtp://127.0.0.1:${port}`);
    const { ticket } = await newTicket();
    const { ticket: second } = await newTicket();
    expect((await drain(downMailer)).retry).toBe(2);
    clock.advance(31_000);
    expect((await drain(downMailer)).retry).toBe(2);
    downMailer.close();

    const back = await startSmtpPeer(port);
    const backMailer = createSmtpMailer(back.url);
    clock.advance(61_000);
    expect((await drain(backMailer)).sent).toBe(2);
    clock.advance(3_600_000);
    await drain(backMailer);
    expect(back.received.map((m) => m.messageId).sort()).toEqual(
      [`<ticket-${ticket.id}@ownit.test>`, `<ticket-${second.id}@ownit.test>`].sort(),
    );
    backMailer.close();
    await back.close();
  });

  it('when the server never answers the message, then it is ambiguous, resent once later with the same Message-ID, and sent', async () => {
    const { ticket } = await newTicket();
    peer.mode = 'hang';
    expect((await drain()).ambiguous).toBe(1);
    expect((await rows(ticket.id))[0]).toMatchObject({ status: 'ambiguous' });
    peer.mode = 'accept';
    await drain();
    expect(peer.received).toHaveLength(0); // not before the delay
    clock.advance(settings.ambiguousRetryDelayMs + 1_000);
    expect((await drain()).sent).toBe(1);
    expect(peer.received.map((m) => m.messageId)).toEqual([`<ticket-${ticket.id}@ownit.test>`]);
    expect((await rows(ticket.id))[0]).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('when the send is ambiguous twice, then it stays ambiguous for a person, is not sent a third time, and the owner is told', async () => {
    const { rep, customer, ticket } = await newTicket();
    peer.mode = 'hang';
    expect((await drain()).ambiguous).toBe(1);
    clock.advance(settings.ambiguousRetryDelayMs + 1_000);
    expect((await drain()).ambiguous).toBe(1);
    peer.mode = 'accept';
    clock.advance(3_600_000);
    await drain();
    const to = (address: string) =>
      peer.received.filter((m) => m.to && !Array.isArray(m.to) && m.to.text === address);
    expect(to(customer.email)).toHaveLength(0);
    expect(to(rep.email).map((m) => m.subject)).toEqual([
      expect.stringContaining('Email to the customer failed'),
    ]);
    const [row] = await rows(ticket.id);
    expect(row).toMatchObject({ status: 'ambiguous', attempts: 2 });
    expect(row!.last_error).toMatch(/a person must check/);
  });
});

describe('several workers and crashes', () => {
  it('when two workers drain at once, then every email is sent exactly once', async () => {
    const tickets = [];
    for (let i = 0; i < 12; i++) tickets.push((await newTicket()).ticket);
    const second = createSmtpMailer(peer.url);
    await Promise.all([drain(), drain(second)]);
    second.close();
    const ids = peer.received.map((m) => m.messageId);
    expect(ids).toHaveLength(12);
    expect(new Set(ids).size).toBe(12);
  });

  it('when a worker dies between claim and send, then the email is sent once its lease lapses (under a minute)', async () => {
    const { ticket } = await newTicket();
    const claimed = await claimDueEmails(app.ctx, 10, settings.leaseMs); // ... the worker dies here
    expect(claimed.map((c) => c.ticketId)).toContain(ticket.id);
    await drain();
    expect(peer.received).toHaveLength(0); // still claimed by the dead worker

    clock.advance(settings.leaseMs + 1_000);
    await drain();
    expect(peer.received.map((m) => m.messageId)).toEqual([`<ticket-${ticket.id}@ownit.test>`]);
    expect(settings.leaseMs).toBeLessThanOrEqual(60_000);
  });
});

describe('a slow worker whose claim was released', () => {
  it('when another worker sent the row meanwhile, then the slow worker does not send it again', async () => {
    const { ticket } = await newTicket();
    const [slow] = (await claimDueEmails(app.ctx, 10, settings.leaseMs)).filter(
      (e) => e.ticketId === ticket.id,
    );
    clock.advance(settings.leaseMs + 1_000);
    await drain(); // its lease lapsed: another worker claims and sends it
    expect(peer.received).toHaveLength(1);
    expect(await deliverEmail(app.ctx, mailer, slow!, settings)).toBe('lost_claim');
    expect(peer.received).toHaveLength(1);
    const sentEvents = await app.dataSource.query(
      `SELECT count(*)::int AS n FROM timeline_events WHERE ticket_id = $1 AND type = 'email_sent'`,
      [ticket.id],
    );
    expect(sentEvents[0].n).toBe(1);
  });
});

describe('satisfaction survey', () => {
  it('when a ticket is resolved, then one survey with five score links arrives a day later, not before', async () => {
    const { rep, ticket } = await newTicket();
    await f.as(rep.token).post(`/tickets/${ticket.id}/resolve`, {
      resolution: 'Replaced the router',
      rootCause: { silo: 'field_service', category: 'hardware' },
    });
    await drain();
    expect(peer.received.map((m) => m.subject?.split(':')[0]).sort()).toEqual([
      'Resolved',
      "We're on it",
    ]);
    clock.advance(24 * 3_600_000 + 1_000);
    await drain();
    expect(peer.received).toHaveLength(3);
    const survey = peer.received.find((m) => m.subject?.startsWith('How did we do?'))!;
    expect(survey.subject).toContain('How did we do?');
    expect((survey.text ?? '').match(/\/survey\/[^\s?]+\?score=[1-5]/g)).toHaveLength(5);
    expect(survey.inReplyTo).toBe(`<ticket-${ticket.id}@ownit.test>`);
    clock.advance(24 * 3_600_000);
    await drain();
    expect(peer.received).toHaveLength(3);
  });

  it('when the ticket is reopened before the survey is due, then the survey is cancelled', async () => {
    const { rep, ticket } = await newTicket();
    await f.as(rep.token).post(`/tickets/${ticket.id}/resolve`, {
      resolution: 'Fixed',
      rootCause: { silo: 'network', category: 'outage' },
    });
    await f.as(rep.token).post(`/tickets/${ticket.id}/reopen`, { reason: 'Still broken' });
    clock.advance(25 * 3_600_000);
    await drain();
    expect(peer.received.map((m) => m.subject).some((s) => s?.includes('How did we do'))).toBe(
      false,
    );
    expect((await rows(ticket.id)).find((r) => r.template === 'satisfaction_survey')).toMatchObject(
      {
        status: 'cancelled',
      },
    );
  });
});
