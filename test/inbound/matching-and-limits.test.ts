import { randomUUID } from 'node:crypto';
import { replyAddress, threadRootId } from '../../src/notifications/email-threading';
import { signTicketToken } from '../../src/notifications/signed-links';
import { Fixtures, unique } from '../helpers/factories';
import { startTestApp, type TestApp } from '../helpers/test-app';

/**
 * Issue 9, holes 1 and 2: inbound mail is matched to a ticket only for the people on it, every
 * message is logged with how it was matched, and mail cannot open tickets (or send
 * acknowledgements) without limit.
 */
let app: TestApp;
let f: Fixtures;

beforeAll(async () => {
  // The production limits (10 an hour per sender and per domain): the test app lifts the domain
  // limit for other files, which share sender domains; every sender and domain here is unique.
  app = await startTestApp({ env: { INBOUND_NEW_TICKETS_PER_DOMAIN_PER_HOUR: '' } });
  f = new Fixtures(app);
});
afterAll(() => app.close());

const SUPPORT = 'support@ownit.test';

function rawEmail(mail: {
  from: string;
  to?: string;
  subject?: string;
  messageId?: string;
  inReplyTo?: string;
  body: string;
}): string {
  const headers = [
    `From: ${mail.from}`,
    `To: ${mail.to ?? SUPPORT}`,
    `Subject: ${mail.subject ?? 'Re: Internet down'}`,
    'Date: Wed, 04 Mar 2026 11:30:00 +0100',
    `Message-ID: ${mail.messageId ?? `<${randomUUID()}@mail.sender.test>`}`,
    ...(mail.inReplyTo ? [`In-Reply-To: ${mail.inReplyTo}`, `References: ${mail.inReplyTo}`] : []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
  ];
  return `${headers.join('\r\n')}\r\n\r\n${mail.body}\r\n`;
}

function postEmail(token: string, raw: string, query = '') {
  return f
    .http()
    .post(`/api/v1/inbound/email${query}`)
    .set('Content-Type', 'message/rfc822')
    .set('Authorization', `Bearer ${token}`)
    .send(raw);
}

async function scene() {
  const { team, reps, customer } = await f.staffedTeam({ reps: 1 });
  const rep = reps[0]!;
  const gateway = await f.agent('integration', team.id);
  const ticket = await f.ticket(rep.token, customer.id);
  return { team, rep, customer, gateway, ticket };
}

async function customerMessages(token: string, ticketId: string) {
  const res = await f.as(token).get(`/tickets/${ticketId}/timeline`);
  expect(res.status).toBe(200);
  return (res.body.items as Array<{ type: string; data: Record<string, unknown> }>).filter(
    (e) => e.type === 'customer_message',
  );
}

async function logOf(messageId: string) {
  return app.dataSource.query<
    Array<{ from_address: string; matched_by: string; reason: string | null; ticket_id: string }>
  >(
    `SELECT from_address, matched_by, reason, ticket_id FROM inbound_emails
      WHERE message_id = $1 ORDER BY received_at`,
    [messageId],
  );
}

const stranger = () => `${unique('mallory').toLowerCase()}@${unique('evil').toLowerCase()}.test`;

describe('inbound matching: only the people on a ticket speak on it', () => {
  it("when a stranger quotes a ticket's thread id, then the mail opens a new ticket for the stranger and the ticket gets nothing", async () => {
    const s = await scene();
    const from = stranger();
    const messageId = `<${randomUUID()}@evil.test>`;

    const res = await postEmail(
      s.gateway.token,
      rawEmail({
        from,
        messageId,
        inReplyTo: threadRootId(s.ticket.id, 'ownit.test'),
        body: 'Please send the refund to my account instead.',
      }),
    );

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ result: 'created', matchedBy: 'new_ticket' });
    expect(res.body.reason).toMatch(/not that ticket's customer/);
    expect(res.body.ticketId).not.toBe(s.ticket.id);
    expect(await customerMessages(s.rep.token, s.ticket.id)).toHaveLength(0);
    const created = await f.as(s.rep.token).get(`/tickets/${res.body.ticketId}`).expect(200);
    const owner = await f.admin().get(`/customers/${created.body.customerId}`).expect(200);
    expect(owner.body.email).toBe(from);
    expect(await logOf(messageId)).toEqual([
      {
        from_address: from,
        matched_by: 'new_ticket',
        reason: expect.stringMatching(new RegExp(`name ${s.ticket.ref}, but the sender`)),
        ticket_id: res.body.ticketId,
      },
    ]);
  });

  it('when a stranger writes to a leaked reply-to address, then the token is not honoured and the mail opens a new ticket for the stranger', async () => {
    const s = await scene();
    const token = signTicketToken(app.ctx.settings.linkSecret, 'reply', s.ticket.id);

    const res = await postEmail(
      s.gateway.token,
      rawEmail({ from: stranger(), to: replyAddress(SUPPORT, token), body: 'Cancel my contract.' }),
    );

    expect(res.status).toBe(201);
    expect(res.body.ticketId).not.toBe(s.ticket.id);
    expect(res.body.reason).toMatch(/reply address names/);
    expect(await customerMessages(s.rep.token, s.ticket.id)).toHaveLength(0);
  });

  it('when the customer replies by thread id and by reply token, then both match and the log says how', async () => {
    const s = await scene();
    const byThread = `<${randomUUID()}@customer.test>`;
    const byToken = `<${randomUUID()}@customer.test>`;
    const token = signTicketToken(app.ctx.settings.linkSecret, 'reply', s.ticket.id);

    const thread = await postEmail(
      s.gateway.token,
      rawEmail({
        from: `Carla <${s.customer.email.toUpperCase()}>`,
        messageId: byThread,
        inReplyTo: threadRootId(s.ticket.id, 'ownit.test'),
        body: 'Still down.',
      }),
    );
    const reply = await postEmail(
      s.gateway.token,
      rawEmail({
        from: s.customer.email,
        messageId: byToken,
        to: replyAddress(SUPPORT, token),
        body: 'And now?',
      }),
    );

    expect(thread.body).toMatchObject({ result: 'matched', matchedBy: 'thread' });
    expect(reply.body).toMatchObject({ result: 'matched', matchedBy: 'reply_token' });
    expect(await customerMessages(s.rep.token, s.ticket.id)).toHaveLength(2);
    expect(await logOf(byThread)).toEqual([
      expect.objectContaining({ matched_by: 'thread', ticket_id: s.ticket.id }),
    ]);
    expect(await logOf(byToken)).toEqual([
      expect.objectContaining({ matched_by: 'reply_token', ticket_id: s.ticket.id }),
    ]);
  });

  it('when the customer changed address after we emailed them, then a reply from the old address still matches', async () => {
    const s = await scene();
    const oldAddress = s.customer.email;
    await f.admin().patch(`/customers/${s.customer.id}`, { email: stranger() }).expect(200);

    const res = await postEmail(
      s.gateway.token,
      rawEmail({
        from: oldAddress,
        inReplyTo: threadRootId(s.ticket.id, 'ownit.test'),
        body: 'Old mail client',
      }),
    );

    expect(res.body).toMatchObject({ result: 'matched', ticketId: s.ticket.id });
  });

  it('when an auto-reply arrives, then it is logged as ignored with the reason', async () => {
    const s = await scene();
    const messageId = `<${randomUUID()}@customer.test>`;
    const raw = rawEmail({ from: s.customer.email, messageId, body: 'Out of office' }).replace(
      'MIME-Version',
      'Auto-Submitted: auto-replied\r\nMIME-Version',
    );

    const res = await postEmail(s.gateway.token, raw);

    expect(res.body).toMatchObject({ result: 'ignored', matchedBy: 'ignored' });
    expect(await logOf(messageId)).toEqual([
      expect.objectContaining({
        matched_by: 'ignored',
        reason: expect.stringMatching(/Auto-Submitted/),
        ticket_id: null,
      }),
    ]);
  });
});

describe('inbound limits: no ticket factory, no backscatter relay', () => {
  it('when one sender opens more than 10 tickets by email within an hour, then the 11th is ignored with a reason and opens nothing', async () => {
    const s = await scene();
    const from = stranger();
    for (let i = 0; i < 10; i++) {
      const ok = await postEmail(
        s.gateway.token,
        rawEmail({ from, subject: `Spam ${i}`, body: 'x' }),
      );
      expect(ok.status).toBe(201);
    }
    const messageId = `<${randomUUID()}@evil.test>`;

    const res = await postEmail(s.gateway.token, rawEmail({ from, messageId, body: 'eleventh' }));

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ result: 'ignored', matchedBy: 'ignored' });
    expect(res.body.reason).toMatch(/limit: .* opened 10 tickets by email in the last hour/);
    const [counts] = await app.dataSource.query<Array<{ tickets: number }>>(
      `SELECT count(*)::int AS tickets FROM tickets t JOIN customers c ON c.id = t.customer_id
        WHERE c.email = $1`,
      [from],
    );
    expect(counts!.tickets).toBe(10);
    expect(await logOf(messageId)).toEqual([
      expect.objectContaining({ matched_by: 'ignored', ticket_id: null }),
    ]);
  });

  it('when senders of one domain open more than 10 tickets by email within an hour, then the rest are ignored', async () => {
    const s = await scene();
    const domain = `${unique('flood').toLowerCase()}.test`;
    for (let i = 0; i < 10; i++) {
      const ok = await postEmail(
        s.gateway.token,
        rawEmail({ from: `user${i}@${domain}`, subject: `Hello ${i}`, body: 'x' }),
      );
      expect(ok.status).toBe(201);
    }

    const res = await postEmail(s.gateway.token, rawEmail({ from: `other@${domain}`, body: 'y' }));

    expect(res.body).toMatchObject({ result: 'ignored' });
    expect(res.body.reason).toMatch(new RegExp(`senders at ${domain.replace('.', '\\.')}`));
    const customers = await app.dataSource.query(`SELECT 1 FROM customers WHERE email = $1`, [
      `other@${domain}`,
    ]);
    expect(customers).toHaveLength(0);
  });

  it('when the gateway retries a message that opened a ticket, then the retry does not count toward the limit', async () => {
    const s = await scene();
    const from = stranger();
    const raw = rawEmail({ from, subject: 'Once', body: 'x' });
    const first = await postEmail(s.gateway.token, raw);
    for (let i = 0; i < 12; i++) {
      const again = await postEmail(s.gateway.token, raw);
      expect(again.body).toMatchObject({
        result: 'created',
        created: false,
        ticketId: first.body.ticketId,
      });
    }
    const fresh = await postEmail(
      s.gateway.token,
      rawEmail({ from, subject: 'Second', body: 'y' }),
    );
    expect(fresh.status).toBe(201);
  });

  it('when one sender opens two tickets by email within the hour, then only the first is acknowledged', async () => {
    const s = await scene();
    const from = stranger();

    const first = await postEmail(s.gateway.token, rawEmail({ from, subject: 'One', body: 'x' }));
    const second = await postEmail(s.gateway.token, rawEmail({ from, subject: 'Two', body: 'y' }));

    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    const acks = await app.dataSource.query<Array<{ ticket_id: string }>>(
      `SELECT ticket_id FROM outbox_emails
        WHERE template = 'ticket_acknowledgement' AND to_address = $1`,
      [from],
    );
    expect(acks).toEqual([{ ticket_id: first.body.ticketId }]);
  });

  it('when a gateway names another team for a new ticket, then it is 403 and nothing is created', async () => {
    const s = await scene();
    const other = await f.team();
    const from = stranger();

    const res = await postEmail(
      s.gateway.token,
      rawEmail({ from, body: 'x' }),
      `?teamId=${other.id}`,
    );

    expect(res.status).toBe(403);
    expect(res.type).toBe('application/problem+json');
    const customers = await app.dataSource.query(`SELECT 1 FROM customers WHERE email = $1`, [
      from,
    ]);
    expect(customers).toHaveLength(0);
  });
});
