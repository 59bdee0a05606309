import type { Page } from 'playwright-core';
import {
  BROWSER_TEST_TIMEOUT_MS,
  seriousViolations,
  startConsoleApp,
  teamFixture,
  signedInPage,
  type ConsoleApp,
  type Fixture,
  type Rep,
} from '../helpers/console-app';

/** A rep's day in the console: the queue, a ticket, replies and notes, a change by someone else. */
let app: ConsoleApp;
let team: Fixture;
let rita: Rep;

jest.setTimeout(BROWSER_TEST_TIMEOUT_MS);

beforeAll(async () => {
  app = await startConsoleApp('work');
  team = await teamFixture(app);
  rita = await team.rep('Rita Rep');
});
afterAll(async () => {
  await app?.stop();
});

async function openTicket(page: Page, subject: string) {
  await page.getByRole('link', { name: subject }).click();
  await page.getByRole('heading', { level: 1, name: subject }).waitFor();
}

it('when the rep opens the queue, then each ticket shows its countdown, customer and status', async () => {
  const carla = await team.customer('Carla Queue', 'vip');
  await team.ticketFor(rita, 'Router blinks red', carla.id);
  const { context, page } = await signedInPage(app, rita);
  try {
    const row = page.getByRole('row').filter({ hasText: 'Router blinks red' });
    await row.waitFor();
    expect(await row.innerText()).toMatch(/due in|overdue by/);
    expect(await row.innerText()).toMatch(/open/i);
    expect(await seriousViolations(page)).toEqual([]);
  } finally {
    await context.close();
  }
});

it('when the rep replies to the customer and leaves an internal note, then both are on the timeline', async () => {
  const customer = await team.customer('Paula Public');
  await team.ticketFor(rita, 'Invoice shows twice', customer.id);
  const { context, page } = await signedInPage(app, rita);
  try {
    await openTicket(page, 'Invoice shows twice');
    expect(await seriousViolations(page)).toEqual([]);

    // An empty reply is refused in place with the API's words.
    await page.getByRole('button', { name: 'Send' }).click();
    await page
      .getByText('is required')
      .or(page.getByText(/must not be empty|at least 1/))
      .first()
      .waitFor();

    await page.getByRole('radio', { name: 'Reply to customer' }).check();
    await page.getByLabel('Message').fill('We refunded the second charge today.');
    await page.getByRole('button', { name: 'Send' }).click();
    const timeline = page.getByRole('list', { name: 'Timeline' });
    await timeline.getByText('Rita Rep replied to the customer').waitFor();
    await timeline.getByText('We refunded the second charge today.').waitFor();
    expect(await page.getByLabel('Message').inputValue()).toBe('');

    await page.getByRole('radio', { name: 'Internal note' }).check();
    await page.getByLabel('Message').fill('Billing confirmed the refund id R-77.');
    await page.getByRole('button', { name: 'Send' }).click();
    await timeline.getByText('Rita Rep left an internal note').waitFor();
    await timeline.getByText('Billing confirmed the refund id R-77.').waitFor();

    const events = (
      await app.api(rita.token, 'GET', `/tickets/${page.url().split('/').pop()}/timeline`)
    ).body.items as { type: string; data: { body?: string } }[];
    expect(events.filter((e) => e.type === 'public_update').map((e) => e.data.body)).toEqual([
      'We refunded the second charge today.',
    ]);
    expect(events.filter((e) => e.type === 'internal_note').map((e) => e.data.body)).toEqual([
      'Billing confirmed the refund id R-77.',
    ]);
  } finally {
    await context.close();
  }
});

it('when someone changes the ticket while the rep writes, then the reply is held back and shown the change', async () => {
  const customer = await team.customer('Stella Stale');
  const ticket = await team.ticketFor(rita, 'Modem swap needed', customer.id);
  const { context, page } = await signedInPage(app, rita);
  try {
    await openTicket(page, 'Modem swap needed');
    await page.getByLabel('Message').fill('A new modem ships tomorrow.');
    // The customer writes in (logged by the web form) while Rita is typing.
    const logged = await app.api(
      team.integrationToken,
      'POST',
      `/tickets/${ticket.id}/customer-messages`,
      {
        body: 'Actually it works again since this morning.',
      },
    );
    expect(logged.status).toBe(201);

    await page.getByRole('button', { name: 'Send' }).click();
    const alert = page
      .getByRole('alert')
      .filter({ hasText: 'Someone changed this ticket while you were writing' });
    await alert.waitFor();
    await alert.getByText('Actually it works again since this morning.').waitFor();
    // Nothing was sent, nothing typed was lost.
    expect(await page.getByLabel('Message').inputValue()).toBe('A new modem ships tomorrow.');
    let events = (await app.api(rita.token, 'GET', `/tickets/${ticket.id}/timeline`)).body
      .items as { type: string }[];
    expect(events.filter((e) => e.type === 'public_update')).toHaveLength(0);

    await page.getByLabel('Message').fill('Glad it works again! Shall I still send the modem?');
    await page.getByRole('button', { name: 'Send' }).click();
    await page
      .getByRole('list', { name: 'Timeline' })
      .getByText('Glad it works again! Shall I still send the modem?')
      .waitFor();
    events = (await app.api(rita.token, 'GET', `/tickets/${ticket.id}/timeline`)).body.items;
    expect(events.filter((e) => e.type === 'public_update')).toHaveLength(1);
  } finally {
    await context.close();
  }
});

it('when the rep reloads with a half-written reply, then the draft is still there', async () => {
  const customer = await team.customer('Dora Draft');
  await team.ticketFor(rita, 'Cannot log in', customer.id);
  const { context, page } = await signedInPage(app, rita);
  try {
    await openTicket(page, 'Cannot log in');
    await page.getByRole('radio', { name: 'Internal note' }).check();
    await page.getByLabel('Message').fill('Half a thought about the password reset');
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Cannot log in' }).waitFor();
    expect(await page.getByLabel('Message').inputValue()).toBe(
      'Half a thought about the password reset',
    );
    expect(await page.getByRole('radio', { name: 'Internal note' }).isChecked()).toBe(true);
  } finally {
    await context.close();
  }
});
