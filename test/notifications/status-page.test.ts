import { randomUUID } from 'node:crypto';
import { ManualClock } from '../../src/clock';
import { signTicketToken } from '../../src/notifications/signed-links';
import { Fixtures, unique } from '../helpers/factories';
import { startTestApp, type TestApp } from '../helpers/test-app';

/** A Wednesday, 11:00 in Berlin (the fixtures' default team timezone). */
const START = new Date('2026-03-04T10:00:00.000Z');

const clock = new ManualClock(START);
let app: TestApp;
let f: Fixtures;

beforeAll(async () => {
  app = await startTestApp({ clock });
  f = new Fixtures(app);
});
beforeEach(() => clock.set(START));
afterAll(() => app.close());

const statusToken = (ticketId: string) =>
  signTicketToken(app.ctx.settings.linkSecret, 'status', ticketId);

/** A rep with a first and a last name who owns a fresh ticket of a customer. */
async function ownedTicket(customerOverrides: Record<string, unknown> = {}) {
  const team = await f.team();
  const lastName = unique('Lindqvist');
  const rep = await f.agent('rep', team.id, { name: `Anna ${lastName}` });
  const customer = await f.customer(customerOverrides);
  const ticket = await f.ticket(rep.token, customer.id);
  return { team, rep, lastName, customer, ticket };
}

function getStatus(token: string, accept?: string) {
  const req = f.http().get(`/status/${token}`);
  return accept ? req.set('Accept', accept) : req;
}

function expectPrivateHeaders(res: { headers: Record<string, string> }) {
  expect(res.headers['cache-control']).toBe('no-store');
  expect(res.headers['x-robots-tag']).toBe('noindex');
}

describe('GET /status/:token', () => {
  it('when the customer opens the link of an unanswered ticket, then a small English page shows the reference, the status in words, the owner’s first name and the first-response deadline in the team’s timezone', async () => {
    const { rep, lastName, customer, ticket } = await ownedTicket();

    const res = await getStatus(statusToken(ticket.id));

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expectPrivateHeaders(res);
    const html = res.text;
    expect(html).toMatch(/^<!doctype html><html lang="en">/);
    expect(html).toContain(`<title>Your request ${ticket.ref}</title>`);
    expect(html).toContain(`<h1>Your request ${ticket.ref}</h1>`);
    expect(html).toContain('Open: we are working on it');
    expect(html).toContain('<dd>Anna</dd>');
    expect(html).toContain('No update yet');
    // First response due at today's close (23:59) in Berlin.
    expect(ticket.firstResponseDueAt).toBe('2026-03-04T22:59:00.000Z');
    expect(html).toContain('Next update by');
    expect(html).toContain(
      '<time datetime="2026-03-04T22:59:00.000Z">Wednesday 4 March 2026, 23:59',
    );
    expect(html).not.toMatch(/<script/i);
    for (const secret of [lastName, rep.email, rep.id, ticket.id, customer.email]) {
      expect(html).not.toContain(secret);
    }
  });

  it('when the customer asks for JSON after a public update, then it gets exactly the reference, status, first name, last update and next update by', async () => {
    const { rep, lastName, ticket } = await ownedTicket();
    clock.advance(30 * 60_000);
    const update = await f
      .as(rep.token)
      .post(`/tickets/${ticket.id}/updates`, { body: 'Technician booked', visibility: 'public' });
    expect(update.status).toBe(201);
    const nextUpdateDueAt = update.body.ticket.nextUpdateDueAt as string;

    const res = await getStatus(statusToken(ticket.id), 'application/json');

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expectPrivateHeaders(res);
    expect(res.body).toEqual({
      ref: ticket.ref,
      status: 'open',
      ownerFirstName: 'Anna',
      lastUpdateAt: clock.now().toISOString(),
      nextUpdateBy: nextUpdateDueAt,
      resolvedAt: null,
    });
    expect(JSON.stringify(res.body)).not.toContain(lastName);
  });

  it('when the owner writes an internal note, then the status page never shows it', async () => {
    const { rep, ticket } = await ownedTicket();
    const note = `Customer is difficult ${unique('note')}`;
    const res = await f
      .as(rep.token)
      .post(`/tickets/${ticket.id}/updates`, { body: note, visibility: 'internal' });
    expect(res.status).toBe(201);

    const html = await getStatus(statusToken(ticket.id));
    const json = await getStatus(statusToken(ticket.id), 'application/json');

    expect(html.text).not.toContain(note);
    expect(JSON.stringify(json.body)).not.toContain(note);
  });

  it('when the customer’s locale is German, then the page is in German with lang="de"', async () => {
    const { ticket } = await ownedTicket({ locale: 'de-DE' });

    const res = await getStatus(statusToken(ticket.id));

    expect(res.status).toBe(200);
    expect(res.text).toMatch(/<html lang="de">/);
    expect(res.text).toContain(`<title>Ihr Anliegen ${ticket.ref}</title>`);
    expect(res.text).toContain('In Bearbeitung');
    expect(res.text).toContain('Betreut von');
    expect(res.text).toContain('Nächstes Update bis');
    expect(res.text).toContain('Mittwoch, 4. März 2026, 23:59 Uhr');
    expect(res.text).not.toContain('Your request');
  });

  it('when the ticket is resolved, then the page shows it resolved with no next update', async () => {
    const { rep, ticket } = await ownedTicket();
    clock.advance(60 * 60_000);
    const resolved = await f.as(rep.token).post(`/tickets/${ticket.id}/resolve`, {
      resolution: 'Replaced the router',
      rootCause: { silo: 'network', category: 'hardware' },
    });
    expect(resolved.status).toBe(200);

    const json = await getStatus(statusToken(ticket.id), 'application/json');
    const html = await getStatus(statusToken(ticket.id));

    expect(json.body).toMatchObject({
      status: 'resolved',
      nextUpdateBy: null,
      resolvedAt: clock.now().toISOString(),
    });
    expect(html.text).toContain('<dd>Resolved</dd>');
    expect(html.text).toContain('Resolved on');
    expect(html.text).not.toContain('Next update by');
  });

  describe('bad tokens', () => {
    async function expectBareNotFound(token: string, ref: string) {
      for (const accept of [undefined, 'application/json']) {
        const res = await getStatus(token, accept);
        expect(res.status).toBe(404);
        expect(res.headers['content-type']).toMatch(/^text\/plain/);
        expectPrivateHeaders(res);
        expect(res.text).toBe('Not found.');
        expect(res.text).not.toContain(ref);
      }
    }

    it('when one character of the token is changed, then the answer is a bare 404', async () => {
      const { ticket } = await ownedTicket();
      const token = statusToken(ticket.id);
      const last = token.at(-1) === 'A' ? 'B' : 'A';

      await expectBareNotFound(`${token.slice(0, -1)}${last}`, ticket.ref);
    });

    it('when the token is truncated or has extra parts, then the answer is a bare 404', async () => {
      const { ticket } = await ownedTicket();
      const token = statusToken(ticket.id);

      await expectBareNotFound(token.slice(0, -2), ticket.ref);
      await expectBareNotFound(token.split('.')[0]!, ticket.ref);
      await expectBareNotFound(`${token}.x`, ticket.ref);
      await expectBareNotFound('not-a-token', ticket.ref);
    });

    it('when one ticket’s id is combined with another ticket’s signature, then neither is shown', async () => {
      const { ticket } = await ownedTicket();
      const { ticket: other } = await ownedTicket();
      const [idPart] = statusToken(ticket.id).split('.');
      const [, otherMac] = statusToken(other.id).split('.');

      await expectBareNotFound(`${idPart}.${otherMac}`, ticket.ref);
      await expectBareNotFound(`${idPart}.${otherMac}`, other.ref);
    });

    it('when the token is a survey token or signed with another secret, then the answer is a bare 404', async () => {
      const { ticket } = await ownedTicket();

      await expectBareNotFound(
        signTicketToken(app.ctx.settings.linkSecret, 'survey', ticket.id),
        ticket.ref,
      );
      await expectBareNotFound(signTicketToken('another-secret', 'status', ticket.id), ticket.ref);
    });

    it('when a validly signed token names no ticket, then the answer is a bare 404', async () => {
      await expectBareNotFound(statusToken(randomUUID()), 'T-');
    });
  });
});
