import { randomUUID } from 'node:crypto';
import { replyAddress, threadRootId } from '../../src/notifications/email-threading';
import { stripQuotedHistory } from '../../src/inbound/inbound-email';
import { signTicketToken } from '../../src/notifications/signed-links';
import { Fixtures, unique, type TicketBody } from '../helpers/factories';
import { startTestApp, type TestApp } from '../helpers/test-app';

let app: TestApp;
let f: Fixtures;

beforeAll(async () => {
  app = await startTestApp();
  f = new Fixtures(app);
});
afterAll(() => app.close());

const SUPPORT = 'support@ownit.test';

interface RawEmail {
  from: string;
  to?: string;
  subject?: string;
  messageId?: string | null;
  inReplyTo?: string;
  references?: string;
  body: string;
}

/** An RFC 822 message as a gateway would post it (CRLF line endings). */
function rawEmail(mail: RawEmail): string {
  // undefined: a fresh Message-ID; null: none at all.
  const messageId =
    mail.messageId === undefined ? `<${randomUUID()}@mail.customer.test>` : mail.messageId;
  const headers = [
    `From: ${mail.from}`,
    `To: ${mail.to ?? SUPPORT}`,
    `Subject: ${mail.subject ?? 'Re: Internet down'}`,
    'Date: Wed, 04 Mar 2026 11:30:00 +0100',
    ...(messageId ? [`Message-ID: ${messageId}`] : []),
    ...(mail.inReplyTo ? [`In-Reply-To: ${mail.inReplyTo}`] : []),
    ...(mail.references ? [`References: ${mail.references}`] : []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
  ];
  return `${headers.join('\r\n')}\r\n\r\n${mail.body.replace(/\n/g, '\r\n')}\r\n`;
}

function postEmail(token: string | undefined, raw: string, query = '') {
  const req = f.http().post(`/api/v1/inbound/email${query}`).set('Content-Type', 'message/rfc822');
  return (token ? req.set('Authorization', `Bearer ${token}`) : req).send(raw);
}

/** A reply as a mail client writes it: new text on top, our message quoted below. */
const REPLY_WITH_HISTORY = [
  'Thanks, the router is back online.',
  'Only the phone line still crackles.',
  '',
  'On Wed, 4 Mar 2026 at 10:00, OwnIt Support <support@ownit.test> wrote:',
  '> Hello, we have received your request T-000001.',
  '> Your owner is Rep-1234.',
].join('\n');
const REPLY_TEXT = 'Thanks, the router is back online.\nOnly the phone line still crackles.';

/** A staffed team, an email-gateway integration of that team, and a rep's ticket for a customer. */
async function scene() {
  const { team, reps, customer } = await f.staffedTeam({ reps: 1 });
  const rep = reps[0]!;
  const gateway = await f.agent('integration', team.id);
  const ticket = await f.ticket(rep.token, customer.id);
  return { team, rep, customer, gateway, ticket };
}

async function ticketNow(token: string, id: string): Promise<TicketBody> {
  const res = await f.as(token).get(`/tickets/${id}`);
  expect(res.status).toBe(200);
  return res.body;
}

type Event = { id: string; type: string; actorId: string | null; data: Record<string, unknown> };

async function timeline(token: string, ticketId: string): Promise<Event[]> {
  const res = await f.as(token).get(`/tickets/${ticketId}/timeline`);
  expect(res.status).toBe(200);
  return res.body.items;
}

async function customerMessages(token: string, ticketId: string): Promise<Event[]> {
  return (await timeline(token, ticketId)).filter((e) => e.type === 'customer_message');
}

const errorPaths = (res: { body: { errors?: Array<{ path: string }> } }) =>
  (res.body.errors ?? []).map((e) => e.path);

describe('POST /inbound/email: replies to a ticket', () => {
  it('when a reply names the thread root in In-Reply-To, then it is recorded on that ticket as a customer email without the quoted history', async () => {
    const s = await scene();
    const raw = rawEmail({
      from: `Customer <${s.customer.email}>`,
      inReplyTo: threadRootId(s.ticket.id, 'ownit.test'),
      references: threadRootId(s.ticket.id, 'ownit.test'),
      body: REPLY_WITH_HISTORY,
    });

    const res = await postEmail(s.gateway.token, raw);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      result: 'matched',
      ticketId: s.ticket.id,
      matchedBy: 'thread',
    });
    const messages = await customerMessages(s.rep.token, s.ticket.id);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      id: res.body.eventId,
      actorId: s.gateway.id,
      data: { body: REPLY_TEXT, channel: 'email' },
    });
  });

  it('when a reply is addressed to the ticket reply address, then the signed token matches it without any thread headers', async () => {
    const s = await scene();
    const token = signTicketToken(app.ctx.settings.linkSecret, 'reply', s.ticket.id);
    const raw = rawEmail({
      from: s.customer.email,
      to: `OwnIt Support <${replyAddress(SUPPORT, token)}>`,
      subject: 'my line',
      body: 'Still no dial tone.',
    });

    const res = await postEmail(s.gateway.token, raw);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      result: 'matched',
      ticketId: s.ticket.id,
      matchedBy: 'reply_token',
    });
    const messages = await customerMessages(s.rep.token, s.ticket.id);
    expect(messages.map((m) => m.data.body)).toEqual(['Still no dial tone.']);
  });

  it('when a reply names one of our customer emails in References, then the outbox row leads to its ticket', async () => {
    const s = await scene();
    const [ack] = await app.dataSource.query<Array<{ id: string }>>(
      `SELECT id FROM outbox_emails WHERE ticket_id = $1 AND template = 'ticket_acknowledgement'`,
      [s.ticket.id],
    );
    const raw = rawEmail({
      from: s.customer.email,
      references: `<unrelated@elsewhere.test> <email-${ack!.id}@ownit.test>`,
      body: 'Any news?',
    });

    const res = await postEmail(s.gateway.token, raw);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ result: 'matched', ticketId: s.ticket.id });
  });

  it('when the customer replies to a resolved ticket, then it is reopened and owes a new first response', async () => {
    const s = await scene();
    const resolved = await f.as(s.rep.token).post(`/tickets/${s.ticket.id}/resolve`, {
      resolution: 'Replaced the line card',
      rootCause: { silo: 'network', category: 'hardware' },
    });
    expect(resolved.status).toBe(200);

    const res = await postEmail(
      s.gateway.token,
      rawEmail({
        from: s.customer.email,
        inReplyTo: threadRootId(s.ticket.id, 'ownit.test'),
        body: 'It broke again tonight.',
      }),
    );

    expect(res.status).toBe(200);
    const ticket = await ticketNow(s.rep.token, s.ticket.id);
    expect(ticket.status).toBe('open');
    expect(ticket.firstRespondedAt).toBeNull();
    expect(ticket.firstResponseDueAt).not.toBeNull();
    const types = (await timeline(s.rep.token, s.ticket.id)).map((e) => e.type);
    expect(types.slice(types.indexOf('resolved'))).toEqual(
      expect.arrayContaining(['customer_message', 'reopened']),
    );
  });

  it('when the customer replies while the ticket waits on them, then it is open again with the update clock running', async () => {
    const s = await scene();
    const answered = await f.as(s.rep.token).post(`/tickets/${s.ticket.id}/updates`, {
      body: 'Which router model?',
      visibility: 'public',
    });
    expect(answered.status).toBe(201);
    const waiting = await f
      .as(s.rep.token)
      .patch(`/tickets/${s.ticket.id}`, { status: 'waiting_on_customer' });
    expect(waiting.status).toBe(200);
    expect((await ticketNow(s.rep.token, s.ticket.id)).nextUpdateDueAt).toBeNull();

    const res = await postEmail(
      s.gateway.token,
      rawEmail({
        from: s.customer.email,
        inReplyTo: threadRootId(s.ticket.id, 'ownit.test'),
        body: 'It is a FritzBox 7590.',
      }),
    );

    expect(res.status).toBe(200);
    const ticket = await ticketNow(s.rep.token, s.ticket.id);
    expect(ticket.status).toBe('open');
    expect(ticket.nextUpdateDueAt).not.toBeNull();
  });

  it('when the gateway posts the same reply twice, then it is recorded once and both answers name the same event', async () => {
    const s = await scene();
    const raw = rawEmail({
      from: s.customer.email,
      inReplyTo: threadRootId(s.ticket.id, 'ownit.test'),
      body: 'Please call me back.',
    });

    const first = await postEmail(s.gateway.token, raw);
    const second = await postEmail(s.gateway.token, raw);

    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.body.eventId).toBe(first.body.eventId);
    expect(await customerMessages(s.rep.token, s.ticket.id)).toHaveLength(1);
  });

  it('when the gateway posts the same messages twice at once, then each is recorded once', async () => {
    const s = await scene();
    const reply = rawEmail({
      from: s.customer.email,
      inReplyTo: threadRootId(s.ticket.id, 'ownit.test'),
      body: 'Hello again',
    });
    const address = `${unique('racing').toLowerCase()}@new.test`;
    const fresh = rawEmail({ from: address, subject: 'New', body: 'A new concern' });

    const answers = await Promise.all([
      postEmail(s.gateway.token, reply),
      postEmail(s.gateway.token, reply),
      postEmail(s.gateway.token, fresh),
      postEmail(s.gateway.token, fresh),
    ]);

    expect(answers.map((r) => r.status).sort()).toEqual([200, 200, 200, 201]);
    expect(await customerMessages(s.rep.token, s.ticket.id)).toHaveLength(1);
    expect(answers[2]!.body.ticketId).toBe(answers[3]!.body.ticketId);
    const rows = await app.dataSource.query(
      `SELECT t.id FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE c.email = $1`,
      [address],
    );
    expect(rows).toHaveLength(1);
  });

  it('when a reply carries a forged reply token, then it never attaches to that ticket and becomes a new ticket', async () => {
    const s = await scene();
    const genuine = signTicketToken(app.ctx.settings.linkSecret, 'reply', s.ticket.id);
    const forged = `${genuine.split('.')[0]}.${'A'.repeat(24)}`;
    const statusToken = signTicketToken(app.ctx.settings.linkSecret, 'status', s.ticket.id);

    const res = await postEmail(
      s.gateway.token,
      rawEmail({
        from: s.customer.email,
        to: replyAddress(SUPPORT, forged),
        subject: 'Re: Internet down',
        body: 'Injected text',
      }),
    );
    const misused = await postEmail(
      s.gateway.token,
      rawEmail({ from: s.customer.email, to: replyAddress(SUPPORT, statusToken), body: 'Also' }),
    );

    expect(res.status).toBe(201);
    expect(res.body.result).toBe('created');
    expect(res.body.ticketId).not.toBe(s.ticket.id);
    expect(misused.status).toBe(201);
    expect(misused.body.ticketId).not.toBe(s.ticket.id);
    expect(await customerMessages(s.rep.token, s.ticket.id)).toHaveLength(0);
  });
});

describe('POST /inbound/email: new concerns', () => {
  it('when a message matches no ticket and the sender is unknown, then a customer and an email ticket are created in the gateway team', async () => {
    const s = await scene();
    const address = `${unique('erika').toLowerCase()}@new.test`;

    const res = await postEmail(
      s.gateway.token,
      rawEmail({
        from: `Erika Mustermann <${address}>`,
        subject: 'Wrong amount on my bill',
        messageId: null,
        body: 'I was charged twice in February.\n\n> an old quote\n',
      }),
    );

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ result: 'created' });
    const customer = await f.admin().get(`/customers/${res.body.customerId}`);
    expect(customer.body).toMatchObject({ name: 'Erika Mustermann', email: address });
    const ticket = await ticketNow(s.rep.token, res.body.ticketId);
    expect(ticket).toMatchObject({
      customerId: res.body.customerId,
      teamId: s.team.id,
      subject: 'Wrong amount on my bill',
      channel: 'email',
      status: 'open',
    });
    const [ticketRow] = await app.dataSource.query<Array<{ description: string }>>(
      `SELECT description FROM tickets WHERE id = $1`,
      [res.body.ticketId],
    );
    expect(ticketRow!.description).toBe('I was charged twice in February.');
  });

  it('when a message from a known customer matches no ticket, then the new ticket is theirs and no customer is added', async () => {
    const s = await scene();
    const { team: other } = await f.staffedTeam({ reps: 1 });

    // An admin may post a message by hand into any team (a gateway only into its own).
    const res = await postEmail(
      app.adminToken,
      rawEmail({ from: s.customer.email.toUpperCase(), subject: '', body: 'New problem: TV' }),
      `?teamId=${other.id}`,
    );

    expect(res.status).toBe(201);
    expect(res.body.customerId).toBe(s.customer.id);
    const [row] = await app.dataSource.query<Array<{ team_id: string; subject: string }>>(
      `SELECT team_id, subject FROM tickets WHERE id = $1`,
      [res.body.ticketId],
    );
    expect(row).toEqual({ team_id: other.id, subject: '(no subject)' });
    const [count] = await app.dataSource.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM customers WHERE lower(email) = lower($1)`,
      [s.customer.email],
    );
    expect(count!.n).toBe(1);
  });

  it('when the gateway posts the same new message twice, then one ticket and one customer exist', async () => {
    const s = await scene();
    const address = `${unique('twice').toLowerCase()}@new.test`;
    const raw = rawEmail({ from: address, subject: 'Hello', body: 'Is anyone there?' });

    const first = await postEmail(s.gateway.token, raw);
    const second = await postEmail(s.gateway.token, raw);

    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body).toEqual({ ...first.body, created: false });
    const [counts] = await app.dataSource.query<Array<{ customers: number; tickets: number }>>(
      `SELECT (SELECT count(*)::int FROM customers WHERE email = $1) AS customers,
              (SELECT count(*)::int FROM tickets t JOIN customers c ON c.id = t.customer_id
                WHERE c.email = $1) AS tickets`,
      [address],
    );
    expect(counts).toEqual({ customers: 1, tickets: 1 });
  });

  it('when an unmatched message arrives with no teamId and the caller has no team, then it is 400 naming teamId and nothing is created', async () => {
    const address = `${unique('noteam').toLowerCase()}@new.test`;

    const res = await postEmail(app.adminToken, rawEmail({ from: address, body: 'Hi' }));

    expect(res.status).toBe(400);
    expect(res.type).toBe('application/problem+json');
    expect(errorPaths(res)).toEqual(['teamId']);
    const rows = await app.dataSource.query(`SELECT 1 FROM customers WHERE email = $1`, [address]);
    expect(rows).toHaveLength(0);
  });
});

describe('POST /inbound/email: who may post and what', () => {
  it('when a rep posts an email, then it is 403 problem+json', async () => {
    const s = await scene();
    const res = await postEmail(s.rep.token, rawEmail({ from: s.customer.email, body: 'x' }));
    expect(res.status).toBe(403);
    expect(res.type).toBe('application/problem+json');
  });

  it('when no token is sent, then it is 401 problem+json', async () => {
    const res = await postEmail(undefined, rawEmail({ from: 'a@b.test', body: 'x' }));
    expect(res.status).toBe(401);
    expect(res.type).toBe('application/problem+json');
  });

  it('when the body is JSON, then it is 415 problem+json', async () => {
    const s = await scene();
    const res = await f.as(s.gateway.token).post('/inbound/email', { from: 'a@b.test' });
    expect(res.status).toBe(415);
    expect(res.type).toBe('application/problem+json');
  });

  it('when the body is empty, then it is 400 naming body', async () => {
    const s = await scene();
    const res = await postEmail(s.gateway.token, '');
    expect(res.status).toBe(400);
    expect(errorPaths(res)).toEqual(['body']);
  });

  it('when the message has no sender address, then it is 400 naming From', async () => {
    const s = await scene();
    const res = await postEmail(s.gateway.token, rawEmail({ from: 'undisclosed', body: 'x' }));
    expect(res.status).toBe(400);
    expect(errorPaths(res)).toEqual(['From']);
  });
});

describe('stripQuotedHistory', () => {
  it('when a German client quotes with "Am … schrieb …:", then everything from there is dropped', () => {
    const text =
      'Danke, geht wieder.\n\nAm 04.03.2026 um 10:00 schrieb OwnIt <support@ownit.test>:\n> Hallo';
    expect(stripQuotedHistory(text)).toBe('Danke, geht wieder.');
  });

  it('when Outlook appends the original message, then it is dropped', () => {
    const text =
      'See below.\r\n\r\n-----Original Message-----\r\nFrom: OwnIt\r\nSent: today\r\n\r\nHello';
    expect(stripQuotedHistory(text)).toBe('See below.');
  });

  it('when the attribution line is wrapped over two lines, then it is still recognised', () => {
    const text =
      'Fine now.\n\nOn Wed, 4 Mar 2026 at 10:00, OwnIt Support <support@ownit.test>\nwrote:\n> Hi';
    expect(stripQuotedHistory(text)).toBe('Fine now.');
  });

  it('when quoted lines are interleaved with answers, then only the quoted lines go', () => {
    expect(stripQuotedHistory('> Which model?\nFritzBox\n> Since when?\nMonday')).toBe(
      'FritzBox\nMonday',
    );
  });

  it('when everything is quoted, then the whole text is kept rather than lose the message', () => {
    expect(stripQuotedHistory('> only a quote\n')).toBe('> only a quote');
  });
});

describe('POST /inbound/email: machine mail and staff', () => {
  it('when an out-of-office reply or a bounce arrives, then it is ignored: nothing reopens, no ticket, no customer', async () => {
    const s = await scene();
    await f.as(s.rep.token).post(`/tickets/${s.ticket.id}/resolve`, {
      resolution: 'Done',
      rootCause: { silo: 'network', category: 'outage' },
    });
    const outOfOffice = rawEmail({
      from: s.customer.email,
      inReplyTo: `<ticket-${s.ticket.id}@ownit.test>`,
      body: 'I am out of the office until Monday.',
    }).replace('MIME-Version: 1.0', 'Auto-Submitted: auto-replied\r\nMIME-Version: 1.0');
    const ooo = await postEmail(s.gateway.token, outOfOffice);
    expect(ooo.status).toBe(200);
    expect(ooo.body.result).toBe('ignored');
    expect((await ticketNow(s.rep.token, s.ticket.id)).status).toBe('resolved');

    // Only this test's own sender is looked at: other files create customers in parallel.
    const daemon = `MAILER-DAEMON@${unique('mx').toLowerCase()}.customer.test`;
    const bounce = await postEmail(
      s.gateway.token,
      rawEmail({ from: daemon, body: 'Delivery failed' }),
      `?teamId=${s.team.id}`,
    );
    expect(bounce.body.result).toBe('ignored');
    const customers = await app.dataSource.query(
      `SELECT 1 FROM customers WHERE lower(email) = lower($1)`,
      [daemon],
    );
    expect(customers).toHaveLength(0);
    const tickets = await app.dataSource.query(
      `SELECT 1 FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE lower(c.email) = lower($1)`,
      [daemon],
    );
    expect(tickets).toHaveLength(0);
  });

  it('when a staff member replies to a notification, then no customer or ticket is created from it', async () => {
    const s = await scene();
    const res = await postEmail(
      s.gateway.token,
      rawEmail({ from: s.rep.email, body: 'Thanks, I will take it.' }),
      `?teamId=${s.team.id}`,
    );
    expect(res.status).toBe(200);
    expect(res.body.result).toBe('ignored');
  });

  it('when the Message-ID holds control characters, then it is answered, not a 500', async () => {
    const s = await scene();
    const raw = rawEmail({
      from: s.customer.email,
      messageId: '<bad\u0000id@x>',
      inReplyTo: `<ticket-${s.ticket.id}@ownit.test>`,
      body: 'Still broken',
    });
    const res = await postEmail(s.gateway.token, raw);
    expect([200, 201]).toContain(res.status);
  });
});
