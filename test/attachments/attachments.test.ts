import { randomUUID } from 'node:crypto';
import { DEFAULT_ATTACHMENT_LIMITS } from '../../src/attachments/attachment-limits';
import { DEFAULT_DELIVERY, drainOutbox } from '../../src/notifications/deliver-outbox';
import { createSmtpMailer, type Mailer } from '../../src/notifications/mailer';
import { Fixtures, unique } from '../helpers/factories';
import { startSmtpPeer, type SmtpPeer } from '../helpers/smtp-peer';
import { startTestApp, type TestApp } from '../helpers/test-app';

/**
 * Attachments: kept from inbound mail, listed and downloaded by whoever may read the ticket,
 * uploaded by agents and sent with their public replies. Own database: the outbox drain sends
 * every due email it can see.
 */
let app: TestApp;
let f: Fixtures;
let peer: SmtpPeer;
let mailer: Mailer;

beforeAll(async () => {
  app = await startTestApp({ isolated: true });
  f = new Fixtures(app);
  peer = await startSmtpPeer();
  mailer = createSmtpMailer(peer.url, { socketTimeoutMs: 2_000 });
});
beforeEach(() => {
  app.ctx.settings.attachments = DEFAULT_ATTACHMENT_LIMITS;
  peer.received.length = 0;
});
afterAll(async () => {
  mailer.close();
  await peer.close();
  await app.close();
});

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

interface Part {
  filename: string;
  contentType: string;
  bytes: Buffer;
}

function mailWith(from: string, parts: Part[], messageId = `<${randomUUID()}@customer.test>`) {
  const boundary = `b-${randomUUID()}`;
  return [
    `From: Carla <${from}>`,
    'To: support@ownit.test',
    'Subject: Photos of the damage',
    `Message-ID: ${messageId}`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    'See attached.',
    ...parts.flatMap((p) => [
      `--${boundary}`,
      `Content-Type: ${p.contentType}`,
      `Content-Disposition: attachment; filename="${p.filename}"`,
      'Content-Transfer-Encoding: base64',
      '',
      p.bytes.toString('base64'),
    ]),
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

async function inbound(token: string, raw: string, teamId: string) {
  return f
    .http()
    .post(`/api/v1/inbound/email?teamId=${teamId}`)
    .set('Authorization', `Bearer ${token}`)
    .set('Content-Type', 'message/rfc822')
    .send(raw);
}

async function setup() {
  const staffed = await f.staffedTeam({ reps: 1 });
  const gateway = await f.agent('integration', staffed.team.id);
  return { ...staffed, rep: staffed.reps[0]!, gateway };
}

const download = (token: string | undefined, id: string) => {
  const req = f
    .http()
    .get(`/api/v1/attachments/${id}`)
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
  return token ? req.set('Authorization', `Bearer ${token}`) : req;
};

describe('inbound attachments', () => {
  it('when a customer mails files, then the ticket lists them with the type read from the bytes', async () => {
    const { team, rep, gateway } = await setup();
    const from = `${unique('carla')}@customer.test`;
    const res = await inbound(
      gateway.token,
      mailWith(from, [
        { filename: 'photo.txt', contentType: 'text/plain', bytes: PNG },
        { filename: 'bill.pdf', contentType: 'application/pdf', bytes: PDF },
      ]),
      team.id,
    );
    expect(res.status).toBe(201);

    const list = await f.as(rep.token).get(`/tickets/${res.body.ticketId}/attachments`).expect(200);
    expect(list.body.items).toEqual([
      expect.objectContaining({
        filename: 'photo.txt',
        contentType: 'image/png',
        declaredType: 'text/plain',
        size: PNG.length,
        source: 'email',
      }),
      expect.objectContaining({ filename: 'bill.pdf', contentType: 'application/pdf' }),
    ]);
  });

  it('when the same message is posted again, then its attachments are kept once', async () => {
    const { team, rep, gateway } = await setup();
    const raw = mailWith(`${unique('carla')}@customer.test`, [
      { filename: 'a.png', contentType: 'image/png', bytes: PNG },
    ]);
    const first = await inbound(gateway.token, raw, team.id);
    const again = await inbound(gateway.token, raw, team.id);
    expect(again.body.ticketId).toBe(first.body.ticketId);
    const list = await f
      .as(rep.token)
      .get(`/tickets/${first.body.ticketId}/attachments`)
      .expect(200);
    expect(list.body.items).toHaveLength(1);
  });

  it('when attachments exceed the size or count limit, then they are skipped and the answer says why', async () => {
    const { team, rep, gateway } = await setup();
    app.ctx.settings.attachments = { maxBytes: 100, maxCount: 2 };
    const res = await inbound(
      gateway.token,
      mailWith(`${unique('carla')}@customer.test`, [
        { filename: 'small.png', contentType: 'image/png', bytes: PNG },
        {
          filename: 'big.bin',
          contentType: 'application/octet-stream',
          bytes: Buffer.alloc(500, 1),
        },
        { filename: 'third.png', contentType: 'image/png', bytes: PNG },
      ]),
      team.id,
    );
    expect(res.status).toBe(201);
    expect(res.body.attachments.skipped).toEqual([
      { filename: 'big.bin', reason: 'larger than 100 bytes' },
      { filename: 'third.png', reason: 'more than 2 attachments' },
    ]);
    const list = await f.as(rep.token).get(`/tickets/${res.body.ticketId}/attachments`).expect(200);
    expect(list.body.items.map((a: { filename: string }) => a.filename)).toEqual(['small.png']);
  });
});

describe('downloading', () => {
  it('when a team member downloads, then the bytes come as an attachment with a safe name and type', async () => {
    const { team, rep, gateway } = await setup();
    const html = Buffer.from('<html><script>alert(document.cookie)</script></html>');
    const res = await inbound(
      gateway.token,
      mailWith(`${unique('carla')}@customer.test`, [
        { filename: '../../etc/evil:<x>.html', contentType: 'text/html', bytes: html },
        { filename: 'photo.png', contentType: 'image/png', bytes: PNG },
      ]),
      team.id,
    );
    const [evil, photo] = (await f.as(rep.token).get(`/tickets/${res.body.ticketId}/attachments`))
      .body.items;

    const got = await download(rep.token, evil.id).expect(200);
    expect(got.body).toEqual(html);
    expect(got.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect(got.headers['content-disposition']).toMatch(/^attachment; filename="evilx\.html"/);
    const image = await download(rep.token, photo.id).expect(200);
    expect(image.headers['content-type']).toBe('image/png');
    expect(image.body).toEqual(PNG);
  });

  it("when another team's rep, supervisor or integration asks, then 404; without a token, 401", async () => {
    const { team, gateway } = await setup();
    const other = await setup();
    const res = await inbound(
      gateway.token,
      mailWith(`${unique('carla')}@customer.test`, [
        { filename: 'photo.png', contentType: 'image/png', bytes: PNG },
      ]),
      team.id,
    );
    const [photo] = (await f.admin().get(`/tickets/${res.body.ticketId}/attachments`)).body.items;
    for (const token of [other.rep.token, other.supervisor.token]) {
      const list = await f.as(token).get(`/tickets/${res.body.ticketId}/attachments`);
      expect(list.status).toBe(404);
      const file = await download(token, photo.id);
      expect(file.status).toBe(404);
      expect(file.headers['content-type']).toContain('application/problem+json');
    }
    await download(undefined, photo.id).expect(401);
    await download(other.rep.token, randomUUID()).expect(404);
  });
});

describe('replies with attachments', () => {
  async function upload(token: string, ticketId: string, filename: string, bytes: Buffer) {
    return f
      .http()
      .post(`/api/v1/tickets/${ticketId}/attachments?filename=${encodeURIComponent(filename)}`)
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/octet-stream')
      .send(bytes);
  }

  it('when the owner uploads a file and names it in a public update, then the customer email carries it', async () => {
    const { rep, customer } = await setup();
    const ticket = await f.ticket(rep.token, customer.id);
    const uploaded = await upload(rep.token, ticket.id, 'Anleitung Router.pdf', PDF);
    expect(uploaded.status).toBe(201);
    expect(uploaded.body).toMatchObject({ contentType: 'application/pdf', source: 'upload' });

    await f
      .as(rep.token)
      .post(`/tickets/${ticket.id}/updates`, {
        body: 'Here is the guide.',
        visibility: 'public',
        attachmentIds: [uploaded.body.id],
      })
      .expect(201);
    await drainOutbox(app.ctx, mailer, { ...DEFAULT_DELIVERY, mailFrom: 'support@ownit.test' });

    const update = peer.received.find((m) => m.text?.includes('Here is the guide.'));
    expect(update).toBeDefined();
    expect(update!.attachments).toEqual([
      expect.objectContaining({ filename: 'Anleitung Router.pdf', contentType: 'application/pdf' }),
    ]);
    expect(update!.attachments[0]!.content.equals(PDF)).toBe(true);
    const list = await f.as(rep.token).get(`/tickets/${ticket.id}/attachments`).expect(200);
    expect(list.body.items[0].timelineEventId).not.toBeNull();
  });

  it("when an update names someone else's or another ticket's upload, then 400 names attachmentIds and nothing is posted", async () => {
    const { rep, customer } = await setup();
    const ticket = await f.ticket(rep.token, customer.id);
    const otherTicket = await f.ticket(rep.token, customer.id);
    const elsewhere = await upload(rep.token, otherTicket.id, 'x.png', PNG);

    const res = await f.as(rep.token).post(`/tickets/${ticket.id}/updates`, {
      body: 'See attached',
      visibility: 'public',
      attachmentIds: [elsewhere.body.id],
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'attachmentIds' })]);
    const events = await f.as(rep.token).get(`/tickets/${ticket.id}/timeline`);
    expect(events.body.items.map((e: { type: string }) => e.type)).not.toContain('public_update');
  });

  it('when an upload has no file name or is over the limit, then 400 names the field', async () => {
    const { rep, customer } = await setup();
    const ticket = await f.ticket(rep.token, customer.id);
    const noName = await f
      .http()
      .post(`/api/v1/tickets/${ticket.id}/attachments`)
      .set('Authorization', `Bearer ${rep.token}`)
      .set('Content-Type', 'application/octet-stream')
      .send(PNG);
    expect(noName.status).toBe(400);
    expect(noName.body.errors).toEqual([expect.objectContaining({ path: 'filename' })]);
    app.ctx.settings.attachments = { maxBytes: 10, maxCount: 10 };
    const tooBig = await upload(rep.token, ticket.id, 'big.png', PNG);
    expect(tooBig.status).toBe(413);
  });
});
