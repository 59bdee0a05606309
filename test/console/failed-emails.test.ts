import type { ParsedMail } from 'mailparser';
import type { BrowserContext, Page } from 'playwright-core';
import {
  BROWSER_TEST_TIMEOUT_MS,
  seriousViolations,
  signedInPage,
  startConsoleApp,
  teamFixture,
  type ConsoleApp,
  type Fixture,
  type Rep,
} from '../helpers/console-app';
import { startSmtpPeer, type SmtpPeer } from '../helpers/smtp-peer';

/**
 * The supervisor's page of failed and ambiguous customer emails, in the browser, against the
 * whole install sending through a real SMTP peer that refuses every address at nowhere.test (as
 * a customer's mail server refuses a mistyped address).
 */
let peer: SmtpPeer;
let app: ConsoleApp;
let team: Fixture;
let sue: Rep;
let rita: Rep;
let browser: { context: BrowserContext; page: Page };
const EMAIL_WITHIN_MS = 30_000;

jest.setTimeout(BROWSER_TEST_TIMEOUT_MS);

async function supervisorOf(fixture: Fixture, name: string): Promise<Rep> {
  const password = `${name.toLowerCase().replace(/\W+/g, '-')}-password-long`;
  const created = await app.api(app.adminToken, 'POST', '/agents', {
    name,
    email: `${name.toLowerCase().replace(/\W+/g, '.')}.${Date.now()}@example.test`,
    role: 'supervisor',
    teamId: fixture.teamId,
    password,
  });
  expect(created.status).toBe(201);
  return { ...created.body, password };
}

/** A customer whose address the peer refuses, and a ticket for them (its acknowledgement fails). */
async function ticketToUnknownAddress(name: string, subject: string) {
  const local = `${name.toLowerCase().replace(/\W+/g, '.')}.${Date.now()}`;
  const customer = await app.api(app.adminToken, 'POST', '/customers', {
    name,
    email: `${local}@nowhere.test`,
  });
  expect(customer.status).toBe(201);
  const ticket = await team.ticketFor(rita, subject, customer.body.id);
  return { customer: customer.body as { id: string; email: string }, ticket, local };
}

async function mailTo(address: string): Promise<ParsedMail> {
  const until = Date.now() + EMAIL_WITHIN_MS;
  for (;;) {
    const found = peer.received.find(
      (m) => m.to && !Array.isArray(m.to) && m.to.text.includes(address),
    );
    if (found) return found;
    if (Date.now() > until) throw new Error(`no email to ${address}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function failedEmailOf(ticketId: string): Promise<{ id: string; status: string }> {
  const list = await app.api(app.adminToken, 'GET', `/outbox?ticketId=${ticketId}&status=failed`);
  expect(list.body.items).toHaveLength(1);
  return list.body.items[0];
}

beforeAll(async () => {
  peer = await startSmtpPeer();
  peer.mode = 'reject';
  peer.only = /@nowhere\.test$/;
  app = await startConsoleApp('emails', { SMTP_URL: peer.url });
  team = await teamFixture(app);
  rita = await team.rep('Rita Rep');
  sue = await supervisorOf(team, 'Sue Supervisor');
  browser = await signedInPage(app, sue);
});
afterAll(async () => {
  await browser?.context.close();
  await app?.stop();
  await peer?.close();
});

it('when an email failed, then the supervisor resends it from the console', async () => {
  const { page } = browser;
  await page.getByRole('navigation').getByRole('link', { name: 'Failed emails' }).click();
  await page.getByRole('heading', { level: 1, name: 'Failed and ambiguous emails' }).waitFor();
  await page.getByText('No failed emails.').waitFor();
  await page.getByText('Live', { exact: true }).waitFor();
  expect(await seriousViolations(page)).toEqual([]);

  // The acknowledgement of a new ticket goes to a mistyped address: the peer refuses it (550).
  const { customer, ticket, local } = await ticketToUnknownAddress('Carla Typo', 'No dial tone');
  const row = page.getByRole('row').filter({ hasText: ticket.ref });
  await row.waitFor(); // live: the failure is a ticket event, no reload
  const text = await row.innerText();
  expect(text).toContain(customer.email);
  expect(text).toContain('Acknowledgement of a new concern');
  expect(text).toContain('does not know this address');
  expect(text).toContain('550');
  expect(await row.getByRole('link', { name: ticket.ref }).getAttribute('href')).toBe(
    `/tickets/${ticket.id}`,
  );
  expect(await seriousViolations(page)).toEqual([]);
  const failed = await failedEmailOf(ticket.id);

  // The customer tells the right address; the rep corrects it; the supervisor resends.
  const fixed = `${local}@example.test`;
  const patched = await app.api(app.adminToken, 'PATCH', `/customers/${customer.id}`, {
    email: fixed,
  });
  expect(patched.status).toBe(200);
  await row.getByRole('button', { name: 'Resend' }).click();
  await page.getByRole('status').getByText(`queued again, to ${fixed}`).waitFor();
  await row.waitFor({ state: 'detached' });
  await page.getByText('No failed emails.').waitFor();

  const mail = await mailTo(fixed);
  expect(mail.subject).toContain(ticket.ref);
  const original = await app.api(sue.token, 'GET', `/outbox/${failed.id}`);
  expect(original.body).toMatchObject({ status: 'resent', to: customer.email });
  const resent = await app.api(sue.token, 'GET', `/outbox/${original.body.resentAsId}`);
  expect(resent.body.to).toBe(fixed);
});

it('when an email is not worth sending again, then the supervisor dismisses it with a note', async () => {
  const { page } = browser;
  const { ticket } = await ticketToUnknownAddress('Dan Gone', 'Cancel my contract');
  const row = page.getByRole('row').filter({ hasText: ticket.ref });
  await row.waitFor();
  const failed = await failedEmailOf(ticket.id);

  await row.getByRole('button', { name: 'Dismiss' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: 'Dismiss email' }).click();
  await dialog.getByText('Please check the marked fields.').waitFor();
  await dialog.getByLabel('Note (why it is not sent)').fill('Customer called: no email wanted.');
  expect(await seriousViolations(page)).toEqual([]);
  await dialog.getByRole('button', { name: 'Dismiss email' }).click();
  await dialog.waitFor({ state: 'detached' });
  await page.getByRole('status').getByText(`The email on ${ticket.ref} was dismissed.`).waitFor();
  await row.waitFor({ state: 'detached' });

  const settled = await app.api(sue.token, 'GET', `/outbox/${failed.id}`);
  expect(settled.body).toMatchObject({
    status: 'dismissed',
    settledNote: 'Customer called: no email wanted.',
    settledBy: { id: sue.id },
  });

  // The note stays with the ticket: its timeline says who dismissed the email and why.
  await page.goto(`/tickets/${ticket.id}`);
  const timeline = page.getByRole('list', { name: 'Timeline' });
  await timeline.getByText(/dismissed the failed email to .*; it will not be sent/).waitFor();
  await timeline.getByText('Customer called: no email wanted.').waitFor();
  await page.goto('/supervision/emails');
});

it('when a rep or another team’s supervisor opens the page, then the rep is told it is not for them and the other supervisor sees none of this team’s emails', async () => {
  const { ticket } = await ticketToUnknownAddress('Eve Elsewhere', 'Router blinks');
  // The worker records the failure on its own time: wait until it has.
  const until = Date.now() + EMAIL_WITHIN_MS;
  while (
    (await app.api(app.adminToken, 'GET', `/outbox?ticketId=${ticket.id}`)).body.items.length === 0
  ) {
    if (Date.now() > until) throw new Error('the email did not fail');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  const rep = await signedInPage(app, rita);
  try {
    const nav = rep.page.getByRole('navigation', { name: 'Main navigation' });
    await nav.getByRole('link', { name: 'My queue' }).waitFor();
    expect(await nav.getByRole('link', { name: 'Failed emails' }).count()).toBe(0);
    await rep.page.goto('/supervision/emails');
    await rep.page.getByRole('alert').getByText('You are not allowed to see this page').waitFor();
    expect(await rep.page.getByRole('button', { name: 'Resend' }).count()).toBe(0);
  } finally {
    await rep.context.close();
  }

  const otherTeam = await teamFixture(app);
  const oscar = await supervisorOf(otherTeam, 'Oscar Other');
  const other = await signedInPage(app, oscar);
  try {
    await other.page.getByRole('link', { name: 'Failed emails' }).click();
    await other.page.getByText('No failed emails.').waitFor();
    expect(await other.page.getByText(ticket.ref).count()).toBe(0);
  } finally {
    await other.context.close();
  }
});
