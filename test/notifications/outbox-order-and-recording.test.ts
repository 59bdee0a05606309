import { ManualClock } from '../../src/clock';
import {
  DEFAULT_DELIVERY,
  drainOutbox,
  type DeliverySettings,
} from '../../src/notifications/deliver-outbox';
import { createSmtpMailer, type Mailer } from '../../src/notifications/mailer';
import { Fixtures } from '../helpers/factories';
import { startSmtpPeer, type SmtpPeer } from '../helpers/smtp-peer';
import { startTestApp, type TestApp } from '../helpers/test-app';

/**
 * The outbox's promises under failure: an accepted send is recorded, never repeated; one claim
 * in flight per worker; a ticket's customer emails arrive in the order they were queued, with
 * several workers and a slow server. Own database: draining takes every due row it can see.
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
  mailer = createSmtpMailer(peer.url, { socketTimeoutMs: 1_000 });
});
beforeEach(async () => {
  peer.mode = 'accept';
  peer.received.length = 0;
  // Each test starts with an empty outbox: what earlier tests left must not be sent here.
  await app.dataSource.query(
    `UPDATE outbox_emails SET status = 'cancelled' WHERE status <> 'sent'`,
  );
});
afterAll(async () => {
  mailer.close();
  await peer.close();
  await app.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function newTicket() {
  const { reps, customer } = await f.staffedTeam();
  const rep = reps[0]!;
  const ticket = await f.ticket(rep.token, customer.id, { subject: 'No dial tone' });
  return { rep, customer, ticket };
}

async function publicUpdate(token: string, ticketId: string, body: string) {
  const res = await f
    .as(token)
    .post(`/tickets/${ticketId}/updates`, { body, visibility: 'public' });
  expect(res.status).toBe(201);
}

async function statuses(ticketId: string): Promise<Array<{ template: string; status: string }>> {
  return app.dataSource.query(
    `SELECT template, status FROM outbox_emails WHERE ticket_id = $1 AND customer_id IS NOT NULL
      ORDER BY queue_position`,
    [ticketId],
  );
}

/** What each email to `address` said, in arrival order: "ack", or the update's own words. */
function bodiesTo(address: string): string[] {
  return peer.received
    .filter((m) => m.to && !Array.isArray(m.to) && m.to.text === address)
    .map((m) => {
      if (m.subject?.startsWith("We're on it")) return 'ack';
      if (m.subject?.startsWith('Resolved')) return 'resolved';
      return (m.text ?? '').split(/\n\s*\n/)[1]?.trim() ?? '';
    });
}

describe('recording an accepted send', () => {
  beforeAll(async () => {
    // A switch that makes the database refuse to record a send, as a terminated connection would.
    await app.dataSource.query(`CREATE TABLE IF NOT EXISTS fault_switch (on_ boolean NOT NULL)`);
    await app.dataSource.query(`
      CREATE OR REPLACE FUNCTION refuse_sent() RETURNS trigger AS $$
      BEGIN
        IF NEW.status = 'sent' AND EXISTS (SELECT 1 FROM fault_switch WHERE on_) THEN
          RAISE EXCEPTION 'terminating connection due to administrator command'
            USING ERRCODE = '57P01';
        END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql`);
    await app.dataSource.query(`
      CREATE TRIGGER refuse_sent BEFORE UPDATE ON outbox_emails
        FOR EACH ROW EXECUTE FUNCTION refuse_sent()`);
  });
  afterAll(async () => {
    await app.dataSource.query(`DROP TRIGGER refuse_sent ON outbox_emails`);
  });

  it('when the database fails right after the server accepted, then the write is retried and the email is never sent again', async () => {
    const { ticket } = await newTicket();
    await app.dataSource.query(`INSERT INTO fault_switch VALUES (true)`);
    const draining = drainOutbox(app.ctx, mailer, settings);
    await peer.waitFor(1);
    await sleep(400); // a few failed writes
    await app.dataSource.query(`DELETE FROM fault_switch`);
    expect((await draining).sent).toBe(1);

    clock.advance(10 * 60_000);
    await drainOutbox(app.ctx, mailer, settings);
    expect(peer.received).toHaveLength(1);
    expect(await statuses(ticket.id)).toEqual([
      { template: 'ticket_acknowledgement', status: 'sent' },
    ]);
  });
});

describe('claims', () => {
  it('when a worker sends, then it holds one claim at a time, so a crash repeats at most that one email', async () => {
    for (let i = 0; i < 4; i++) await newTicket();
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const stalled: Mailer = {
      send: async (email) => {
        await gate;
        return mailer.send(email);
      },
      close: () => undefined,
    };
    const draining = drainOutbox(app.ctx, stalled, settings);
    await sleep(500);
    const [claims] = await app.dataSource.query(
      `SELECT count(*)::int AS n FROM outbox_emails WHERE status = 'sending'`,
    );
    expect(claims.n).toBe(1);
    open();
    expect((await draining).sent).toBe(4);
  });
});

describe("a ticket's customer emails keep their order", () => {
  it('when two workers drain while the server answers slowly, then each customer receives its emails in the order queued', async () => {
    const tickets = [];
    for (let i = 0; i < 3; i++) {
      const { rep, customer, ticket } = await newTicket();
      for (let n = 1; n <= 3; n++) await publicUpdate(rep.token, ticket.id, `update ${n}`);
      tickets.push({ customer, ticket });
    }
    peer.mode = 'slow';
    peer.slowMs = 300;
    const other = createSmtpMailer(peer.url);
    const worker = async (m: Mailer) => {
      // Like the dispatcher: drain, pause, drain again, until nothing is left.
      for (let round = 0; round < 40; round++) {
        await drainOutbox(app.ctx, m, settings);
        const [left] = await app.dataSource.query(
          `SELECT count(*)::int AS n FROM outbox_emails WHERE status IN ('pending', 'sending')`,
        );
        if (left.n === 0) return;
        await sleep(50);
      }
    };
    await Promise.all([worker(mailer), worker(other)]);
    other.close();
    for (const { customer } of tickets) {
      expect(bodiesTo(customer.email)).toEqual(['ack', 'update 1', 'update 2', 'update 3']);
    }
  });

  it('when an earlier email is ambiguous, then later ones wait until it is settled (here: dismissed by a person)', async () => {
    const { rep, customer, ticket } = await newTicket();
    peer.mode = 'hang';
    expect((await drainOutbox(app.ctx, mailer, settings)).ambiguous).toBe(1);
    peer.mode = 'accept';
    await publicUpdate(rep.token, ticket.id, 'held back');
    await drainOutbox(app.ctx, mailer, settings);
    expect(bodiesTo(customer.email)).toEqual([]);

    peer.mode = 'hang';
    clock.advance(settings.ambiguousRetryDelayMs + 1_000);
    expect((await drainOutbox(app.ctx, mailer, settings)).ambiguous).toBe(1); // the one retry
    peer.mode = 'accept';
    clock.advance(3_600_000);
    await drainOutbox(app.ctx, mailer, settings);
    expect(bodiesTo(customer.email)).toEqual([]); // still waiting for a person

    await app.dataSource.query(
      `UPDATE outbox_emails SET status = 'dismissed' WHERE ticket_id = $1 AND status = 'ambiguous'`,
      [ticket.id],
    );
    expect((await drainOutbox(app.ctx, mailer, settings)).sent).toBe(1);
    expect(bodiesTo(customer.email)).toEqual(['held back']);
  });

  it('when an earlier email failed for good, then later ones are not held back', async () => {
    const { rep, customer, ticket } = await newTicket();
    peer.mode = 'reject';
    expect((await drainOutbox(app.ctx, mailer, settings)).failed).toBe(1);
    peer.mode = 'accept';
    await publicUpdate(rep.token, ticket.id, 'after the bounce');
    expect((await drainOutbox(app.ctx, mailer, settings)).sent).toBe(1);
    expect(bodiesTo(customer.email)).toEqual(['after the bounce']);
  });

  it('when an earlier email is deferred (4xx), then later ones wait for its retry and follow it', async () => {
    const { rep, customer, ticket } = await newTicket();
    peer.mode = 'defer';
    expect((await drainOutbox(app.ctx, mailer, settings)).retry).toBe(1);
    peer.mode = 'accept';
    await publicUpdate(rep.token, ticket.id, 'second');
    await drainOutbox(app.ctx, mailer, settings);
    expect(bodiesTo(customer.email)).toEqual([]);
    clock.advance(31_000);
    expect((await drainOutbox(app.ctx, mailer, settings)).sent).toBe(2);
    expect(bodiesTo(customer.email)).toEqual(['ack', 'second']);
  });

  it('when a survey is scheduled for tomorrow, then it holds nothing back', async () => {
    const { rep, customer, ticket } = await newTicket();
    await f.as(rep.token).post(`/tickets/${ticket.id}/resolve`, {
      resolution: 'Line repaired',
      rootCause: { silo: 'field_service', category: 'hardware' },
    });
    await f.as(rep.token).post(`/tickets/${ticket.id}/reopen`, { reason: 'Crackling again' });
    await publicUpdate(rep.token, ticket.id, 'technician tomorrow');
    await drainOutbox(app.ctx, mailer, settings);
    expect(bodiesTo(customer.email)).toContain('technician tomorrow');
  });
});
