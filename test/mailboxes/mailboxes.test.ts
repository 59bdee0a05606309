import { randomUUID } from 'node:crypto';
import { ImapFlow } from 'imapflow';
import { replyAddress, threadRootId } from '../../src/notifications/email-threading';
import { signTicketToken } from '../../src/notifications/signed-links';
import { DEFAULT_MAILBOX_WATCH } from '../../src/mailboxes/mailbox-watcher';
import {
  startMailboxSupervisor,
  type MailboxSupervisor,
  type MailboxSupervisorSettings,
} from '../../src/worker/mailbox-supervisor';
import { startDovecot, type Dovecot } from '../helpers/dovecot';
import { Fixtures, unique } from '../helpers/factories';
import { startTestApp, type TestApp } from '../helpers/test-app';

/**
 * Mailbox intake against a real Dovecot started for this file, with the real worker code
 * (supervisor, IDLE connection, inbound pipeline). Own database: the supervisor watches every
 * mailbox it can see.
 */
let app: TestApp;
let f: Fixtures;
let dovecot: Dovecot;
const supervisors: MailboxSupervisor[] = [];

const fast: MailboxSupervisorSettings = {
  ...DEFAULT_MAILBOX_WATCH,
  pollMs: 1_000,
  minBackoffMs: 200,
  maxBackoffMs: 1_000,
  checkMs: 250,
  leaseMs: 10_000,
};

beforeAll(async () => {
  app = await startTestApp({ isolated: true });
  f = new Fixtures(app);
  dovecot = await startDovecot();
});
afterEach(async () => {
  await Promise.all(supervisors.splice(0).map((s) => s.stop()));
});
afterAll(async () => {
  await dovecot?.stop();
  await app?.close();
});

function supervise(settings: MailboxSupervisorSettings = fast): MailboxSupervisor {
  const supervisor = startMailboxSupervisor(app.ctx, settings, app.ctx.logger);
  supervisors.push(supervisor);
  return supervisor;
}

async function stopSupervisor(supervisor: MailboxSupervisor): Promise<void> {
  supervisors.splice(supervisors.indexOf(supervisor), 1);
  await supervisor.stop();
}

async function imapUser() {
  const user = unique('support').toLowerCase();
  const password = `pw-${randomUUID()}`;
  await dovecot.addUser(user, password);
  return { user, password };
}

async function withImap<T>(
  account: { user: string; password: string },
  work: (client: ImapFlow) => Promise<T>,
): Promise<T> {
  const client = new ImapFlow({
    host: dovecot.host,
    port: dovecot.port,
    secure: false,
    auth: { user: account.user, pass: account.password },
    logger: false,
  });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.logout();
  }
}

function appendMail(account: { user: string; password: string }, raw: string) {
  return withImap(account, (client) => client.append('INBOX', raw));
}

async function folderState(account: { user: string; password: string }, folder: string) {
  return withImap(account, async (client) => {
    let lock;
    try {
      lock = await client.getMailboxLock(folder);
    } catch {
      return []; // the folder does not exist yet
    }
    try {
      if (!client.mailbox || client.mailbox.exists === 0) return [];
      const messages = await client.fetchAll('1:*', { flags: true, envelope: true });
      return messages.map((m) => ({
        flags: [...(m.flags ?? [])],
        messageId: m.envelope?.messageId,
      }));
    } finally {
      lock.release();
    }
  });
}

async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}

function mail(options: {
  from: string;
  subject: string;
  text: string;
  messageId?: string;
  to?: string;
  inReplyTo?: string;
  attachment?: { filename: string; contentType: string; bytes: Buffer };
}): string {
  const messageId = options.messageId ?? `<${randomUUID()}@customer.test>`;
  const headers = [
    `From: Carla Customer <${options.from}>`,
    `To: ${options.to ?? 'support@ownit.test'}`,
    `Subject: ${options.subject}`,
    `Message-ID: ${messageId}`,
    `Date: ${new Date().toUTCString()}`,
    ...(options.inReplyTo ? [`In-Reply-To: ${options.inReplyTo}`] : []),
    'MIME-Version: 1.0',
  ];
  if (!options.attachment) {
    return [...headers, 'Content-Type: text/plain; charset=utf-8', '', options.text, ''].join(
      '\r\n',
    );
  }
  const boundary = `b-${randomUUID()}`;
  const a = options.attachment;
  return [
    ...headers,
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    options.text,
    `--${boundary}`,
    `Content-Type: ${a.contentType}; name="${a.filename}"`,
    `Content-Disposition: attachment; filename="${a.filename}"`,
    'Content-Transfer-Encoding: base64',
    '',
    a.bytes.toString('base64').replace(/.{76}/g, '$&\r\n'),
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

/** A 1×1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

async function connectMailbox(account: { user: string; password: string }, teamId: string) {
  const res = await f.admin().post('/mailboxes', {
    teamId,
    url: `imap://${account.user}:${encodeURIComponent(account.password)}@${dovecot.host}:${dovecot.port}/INBOX`,
  });
  expect(res.status).toBe(201);
  return res.body as { id: string; state: string; url: string };
}

async function ticketsOf(customerEmail: string) {
  return app.dataSource.query(
    `SELECT t.id, t.subject, t.team_id FROM tickets t JOIN customers c ON c.id = t.customer_id
      WHERE lower(c.email) = lower($1) ORDER BY t.created_at`,
    [customerEmail],
  ) as Promise<Array<{ id: string; subject: string; team_id: string }>>;
}

const mailboxState = async (id: string) => (await f.admin().get(`/mailboxes/${id}`)).body;

describe('connecting a mailbox', () => {
  it('when an admin connects a mailbox, then 201 shows it without the password, which is stored encrypted', async () => {
    const team = await f.team();
    const account = await imapUser();
    const mailbox = await connectMailbox(account, team.id);

    expect(mailbox.url).toBe(`imap://${account.user}@${dovecot.host}:${dovecot.port}/INBOX`);
    expect(mailbox.state).toBe('connecting');
    const shown = await f.admin().get(`/mailboxes/${mailbox.id}`).expect(200);
    const listed = await f.admin().get('/mailboxes').expect(200);
    for (const body of [mailbox, shown.body, listed.body]) {
      expect(JSON.stringify(body)).not.toContain(account.password);
    }
    const [row] = await app.dataSource.query(
      `SELECT password_encrypted FROM mailboxes WHERE id = $1`,
      [mailbox.id],
    );
    expect(row.password_encrypted).toMatch(/^v1\./);
    expect(row.password_encrypted).not.toContain(account.password);
    await f
      .http()
      .delete(`/api/v1/mailboxes/${mailbox.id}`)
      .set('Authorization', `Bearer ${app.adminToken}`)
      .expect(204);
  });

  it.each([
    ['not a URL', 'must be a URL'],
    ['https://user:pw@imap.example.com/INBOX', 'imap:// or imaps://'],
    ['imaps://imap.example.com/INBOX', 'must name the user'],
    ['imaps://user@imap.example.com/INBOX', 'must include the password'],
  ])('when the url is %s, then 400 names url', async (url, message) => {
    const team = await f.team();
    const res = await f.admin().post('/mailboxes', { teamId: team.id, url });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ path: 'url', message: expect.stringContaining(message) }),
    ]);
    expect(JSON.stringify(res.body)).not.toContain(':pw@');
  });

  it('when a non-admin manages mailboxes, then 403; without a token, 401', async () => {
    const { team, supervisor, reps } = await f.staffedTeam({ reps: 1 });
    for (const token of [supervisor.token, reps[0]!.token]) {
      await f
        .as(token)
        .post('/mailboxes', { teamId: team.id, url: 'imap://a:b@127.0.0.1:1/INBOX' })
        .expect(403);
      await f.as(token).get('/mailboxes').expect(403);
    }
    await f.as(undefined).get('/mailboxes').expect(401);
  });
});

describe('intake from a real Dovecot', () => {
  it('when new mail with an attachment arrives, then one ticket holds it, and the message is seen and moved to Processed', async () => {
    const team = await f.team();
    await f.agent('rep', team.id);
    const account = await imapUser();
    const customer = `${unique('carla')}@customer.test`;
    const mailbox = await connectMailbox(account, team.id);
    supervise();

    await appendMail(
      account,
      mail({
        from: customer,
        subject: 'Router photo',
        text: 'The light is red, photo attached.',
        attachment: { filename: 'router.txt', contentType: 'text/plain', bytes: PNG },
      }),
    );

    const processed = await eventually(
      () => folderState(account, 'Processed'),
      (m) => m.length === 1,
    );
    expect(processed[0]!.flags).toContain('\\Seen');
    expect(await folderState(account, 'INBOX')).toHaveLength(0);
    const tickets = await ticketsOf(customer);
    expect(tickets).toHaveLength(1);
    expect(tickets[0]).toMatchObject({ subject: 'Router photo', team_id: team.id });
    const attachments = await f.admin().get(`/tickets/${tickets[0]!.id}/attachments`).expect(200);
    expect(attachments.body.items).toEqual([
      expect.objectContaining({
        filename: 'router.txt',
        contentType: 'image/png',
        size: PNG.length,
      }),
    ]);
    const state = await eventually(
      () => mailboxState(mailbox.id),
      (s) => s.state === 'connected' && s.messagesProcessed === 1,
    );
    expect(state).toMatchObject({ state: 'connected', lastError: null, messagesProcessed: 1 });
    expect(state.lastSuccessAt).not.toBeNull();
  });

  it('when mail arrives while the connection IDLEs, then it is taken at once, not at the next poll', async () => {
    const team = await f.team();
    await f.agent('rep', team.id);
    const account = await imapUser();
    const customer = `${unique('carla')}@customer.test`;
    const mailbox = await connectMailbox(account, team.id);
    supervise({ ...fast, pollMs: 120_000 });
    await eventually(
      () => mailboxState(mailbox.id),
      (s) => s.state === 'connected',
    );

    const sentAt = Date.now();
    await appendMail(account, mail({ from: customer, subject: 'Idle test', text: 'Hello?' }));
    const tickets = await eventually(
      () => ticketsOf(customer),
      (t) => t.length > 0,
      15_000,
    );
    expect(tickets).toHaveLength(1);
    expect(Date.now() - sentAt).toBeLessThan(15_000);
  });

  it('when the customer replies, then the reply lands on the same ticket', async () => {
    const team = await f.team();
    await f.agent('rep', team.id);
    const account = await imapUser();
    const customer = `${unique('carla')}@customer.test`;
    await connectMailbox(account, team.id);
    supervise();
    await appendMail(
      account,
      mail({ from: customer, subject: 'No signal', text: 'Nothing works.' }),
    );
    const [ticket] = await eventually(
      () => ticketsOf(customer),
      (t) => t.length > 0,
    );

    const token = signTicketToken(app.ctx.settings.linkSecret, 'reply', ticket!.id);
    await appendMail(
      account,
      mail({
        from: customer,
        to: replyAddress('support@ownit.test', token),
        subject: 'Re: No signal',
        text: 'Still nothing since this morning.',
        inReplyTo: threadRootId(ticket!.id, 'ownit.test'),
      }),
    );

    const messages = await eventually(
      () =>
        app.dataSource.query(
          `SELECT data FROM timeline_events WHERE ticket_id = $1 AND type = 'customer_message'`,
          [ticket!.id],
        ),
      (rows: unknown[]) => rows.length > 0,
    );
    expect(messages).toHaveLength(1);
    expect(JSON.stringify(messages[0])).toContain('Still nothing since this morning.');
    expect(await ticketsOf(customer)).toHaveLength(1);
  });

  it('when the worker restarts, the server drops the connection and the same message comes again, then no ticket is made twice', async () => {
    const team = await f.team();
    await f.agent('rep', team.id);
    const account = await imapUser();
    const customer = `${unique('carla')}@customer.test`;
    const mailbox = await connectMailbox(account, team.id);
    const first = supervise();
    const original = mail({
      from: customer,
      subject: 'Bill too high',
      text: 'Charged twice.',
      messageId: `<${randomUUID()}@customer.test>`,
    });
    await appendMail(account, original);
    await eventually(
      () => ticketsOf(customer),
      (t) => t.length === 1,
    );

    // Restart: a new worker, and the same message delivered to the mailbox a second time.
    await stopSupervisor(first);
    await appendMail(account, original);
    supervise();
    await eventually(
      () => folderState(account, 'Processed'),
      (m) => m.length === 2,
    );
    expect(await ticketsOf(customer)).toHaveLength(1);

    // Reconnect: the server goes away and comes back; mail that arrives afterwards still flows.
    await dovecot.restart();
    await eventually(
      () => mailboxState(mailbox.id),
      (s) => s.state === 'connected' && Date.parse(s.lastSuccessAt) > Date.now() - 1_000,
    );
    await appendMail(account, original);
    await appendMail(
      account,
      mail({ from: customer, subject: 'Second issue', text: 'Also the TV.' }),
    );
    await eventually(
      () => folderState(account, 'Processed'),
      (m) => m.length === 4,
    );
    const tickets = await ticketsOf(customer);
    expect(tickets.map((t) => t.subject).sort()).toEqual(['Bill too high', 'Second issue']);
  });

  it('when two workers watch at once, then each message makes exactly one ticket', async () => {
    const team = await f.team();
    await f.agent('rep', team.id);
    const account = await imapUser();
    const customer = `${unique('carla')}@customer.test`;
    await connectMailbox(account, team.id);
    supervise();
    supervise();
    for (let i = 1; i <= 3; i++) {
      await appendMail(
        account,
        mail({ from: customer, subject: `Issue ${i}`, text: `Problem ${i}` }),
      );
    }
    await eventually(
      () => folderState(account, 'Processed'),
      (m) => m.length === 3,
    );
    const tickets = await ticketsOf(customer);
    expect(tickets.map((t) => t.subject).sort()).toEqual(['Issue 1', 'Issue 2', 'Issue 3']);
  });

  it('when the password is wrong, then the mailbox state says authentication failed', async () => {
    const team = await f.team();
    const account = await imapUser();
    const mailbox = await connectMailbox(
      { user: account.user, password: 'wrong-password' },
      team.id,
    );
    supervise();

    const state = await eventually(
      () => mailboxState(mailbox.id),
      (s) => s.state === 'error',
    );
    expect(state.state).toBe('error');
    expect(state.lastError).toMatch(/authentication failed/i);
    expect(state.lastError).not.toContain('wrong-password');
    expect(state.lastErrorAt).not.toBeNull();

    // Fixed by the admin: the worker reconnects with the new password.
    await f
      .admin()
      .patch(`/mailboxes/${mailbox.id}`, {
        url: `imap://${account.user}:${encodeURIComponent(account.password)}@${dovecot.host}:${dovecot.port}/INBOX`,
      })
      .expect(200);
    const fixed = await eventually(
      () => mailboxState(mailbox.id),
      (s) => s.state === 'connected',
    );
    expect(fixed).toMatchObject({ state: 'connected', lastError: null });
  });
});
