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

/** An admin's pages in the browser: a team's calendar with the due-time preview, agents. */
let app: ConsoleApp;
let team: Fixture;
let admin: { context: BrowserContext; page: Page };
const EMAIL_WITHIN_MS = 20_000;

jest.setTimeout(BROWSER_TEST_TIMEOUT_MS);

beforeAll(async () => {
  app = await startConsoleApp('admin');
  team = await teamFixture(app);
  const me = await app.api(app.adminToken, 'GET', '/me');
  const password = 'admin-password-long-enough';
  await app.api(app.adminToken, 'PUT', `/agents/${me.body.id}/password`, { password });
  const adminRep: Rep = { ...me.body, token: app.adminToken, password };
  admin = await signedInPage(app, adminRep);
});
afterAll(async () => {
  await admin?.context.close();
  await app?.stop();
});

/** The newest email the development mailbox caught for this address (waits until it is there). */
async function emailTo(address: string): Promise<{ text: string }> {
  const until = Date.now() + EMAIL_WITHIN_MS;
  for (;;) {
    const res = await fetch(`${app.baseUrl}/dev/mailbox`, {
      headers: { Accept: 'application/json', Authorization: `Bearer ${app.adminToken}` },
    });
    const { items } = (await res.json()) as { items: { to: string; text: string }[] };
    const found = items.find((m) => m.to.includes(address));
    if (found) return found;
    if (Date.now() > until) throw new Error(`no email to ${address}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

it('when the admin creates a team with its calendar, then the server previews the due time and the team is saved', async () => {
  const { page } = admin;
  await page.getByRole('link', { name: 'Teams' }).click();
  await page.getByRole('link', { name: 'Create team' }).click();
  await page.getByRole('heading', { level: 1, name: 'New team' }).waitFor();
  await page.getByLabel('Team name').fill('Billing New York');
  await page.getByRole('combobox', { name: 'Timezone' }).fill('America/New_Y');
  await page.getByRole('option', { name: 'America/New_York' }).click();
  await page.getByLabel('Friday closes').fill('15:00');
  await page.getByLabel('Open on Saturday').check();
  await page.getByLabel('Same-day cutoff').fill('14:00');
  await page.getByLabel('Holiday', { exact: true }).fill('2026-12-24');
  await page.getByRole('button', { name: 'Add holiday' }).click();
  await page.getByLabel('VIP: first response within (minutes)').fill('45');
  const preview = page.getByRole('region', { name: 'Due-time preview' });
  await preview
    .getByText('VIP: a concern arriving now would be due at', { exact: false })
    .waitFor();
  // The preview follows the form (after a short pause): the VIP rule and the New York close.
  await preview.getByText('the vip policy', { exact: false }).first().waitFor();
  expect(await preview.innerText()).toContain('EST');
  expect(await seriousViolations(page)).toEqual([]);

  await page.getByRole('button', { name: 'Create team' }).click();
  await page.getByText('Team saved.').waitFor();
  const teams = await app.api(app.adminToken, 'GET', '/teams');
  const saved = teams.body.items.find((t: { name: string }) => t.name === 'Billing New York');
  expect(saved).toMatchObject({
    timezone: 'America/New_York',
    sameDayCutoff: '14:00',
    holidays: ['2026-12-24'],
    businessHours: expect.objectContaining({
      fri: { open: '09:00', close: '15:00' },
      sat: { open: '09:00', close: '17:00' },
    }),
    policy: expect.objectContaining({ tiers: { vip: { firstResponseWithinMinutes: 45 } } }),
  });
  await page.getByRole('link', { name: 'All teams' }).click();
  await page.getByRole('link', { name: 'Billing New York' }).waitFor();
  expect(await seriousViolations(page)).toEqual([]);
});

it('when the admin invites an agent, then the agent sets a password from the emailed link and is signed in', async () => {
  const { page } = admin;
  await page.getByRole('link', { name: 'Agents' }).click();
  await page.getByRole('heading', { level: 1, name: 'Agents' }).waitFor();
  await page.getByRole('button', { name: 'Invite agent' }).click();
  const dialog = page.getByRole('dialog');
  const email = `nina.${Date.now()}@example.test`;
  await dialog.getByLabel('Name').fill('Nina Newhire');
  await dialog.getByLabel('Email').fill(email);
  await dialog.getByLabel('Role').selectOption('rep');
  const teamName = (await app.api(app.adminToken, 'GET', `/teams/${team.teamId}`)).body.name;
  await dialog.getByLabel('Team').selectOption({ label: teamName });
  await dialog.getByRole('button', { name: 'Send invitation' }).click();
  await page.getByText(`Invitation sent to ${email}`).waitFor();

  const mail = await emailTo(email);
  const link = /\/set-password\?token=[\w-]+/.exec(mail.text)?.[0];
  expect(link).toBeDefined();
  const nina = await app.browser.newContext({ baseURL: app.baseUrl, locale: 'en-US' });
  try {
    const ninaPage = await nina.newPage();
    await ninaPage.goto(link!);
    await ninaPage.getByLabel('New password').fill('nina-chose-a-long-one');
    await ninaPage.getByLabel('Repeat the password').fill('nina-chose-a-long-one');
    await ninaPage.getByRole('button', { name: 'Set password and sign in' }).click();
    await ninaPage.getByRole('heading', { name: 'My queue' }).waitFor();
  } finally {
    await nina.close();
  }
});

it('when the admin deactivates a rep, then the page shows where the open tickets go and they go there', async () => {
  const rita = await team.rep('Rita Leaving');
  await team.rep('Rob Staying');
  const customer = await team.customer('Carla Customer');
  const ticket = await team.ticketFor(rita, 'Router blinks red', customer.id);
  const { page } = admin;
  await page.reload();
  await page.getByRole('button', { name: 'Deactivate Rita Leaving' }).click();
  const dialog = page.getByRole('dialog');
  const move = dialog.getByRole('row').filter({ hasText: ticket.ref });
  await move.waitFor();
  const shownOwner = await move.getByRole('cell').nth(2).innerText();
  expect(await seriousViolations(page)).toEqual([]);
  await dialog.getByRole('button', { name: 'Deactivate Rita Leaving' }).click();
  await page
    .getByRole('row')
    .filter({ hasText: 'Rita Leaving' })
    .getByText('Deactivated')
    .waitFor();
  const after = await app.api(app.adminToken, 'GET', `/tickets/${ticket.id}`);
  expect(after.body.ownerId).not.toBe(rita.id);
  const owner = await app.api(app.adminToken, 'GET', `/agents/${after.body.ownerId}`);
  expect(owner.body.name).toBe(shownOwner.trim());
  expect(await seriousViolations(page)).toEqual([]);
});
