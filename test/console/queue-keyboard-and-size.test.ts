import { loadavg } from 'node:os';
import {
  BROWSER_TEST_TIMEOUT_MS,
  startConsoleApp,
  teamFixture,
  signedInPage,
  type ConsoleApp,
  type Fixture,
  type Rep,
} from '../helpers/console-app';

/** A full queue: 200 open tickets render fast, and the keyboard moves through them. */
let app: ConsoleApp;
let team: Fixture;
let rita: Rep;
const QUEUE_SIZE = 200;

jest.setTimeout(BROWSER_TEST_TIMEOUT_MS);

beforeAll(async () => {
  app = await startConsoleApp('queue');
  team = await teamFixture(app);
  rita = await team.rep('Rita Rep');
  const customer = await team.customer('Quinn Queue');
  for (let start = 0; start < QUEUE_SIZE; start += 10) {
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        team.ticketFor(rita, `Queued concern ${start + i + 1}`, customer.id),
      ),
    );
  }
});
afterAll(async () => {
  await app?.stop();
});

it('when the rep with 200 open tickets opens the queue, then all rows show (figure printed)', async () => {
  const { context, page } = await signedInPage(app, rita);
  try {
    // Timed inside the page: when the queue's answer arrived, and when its last row was in the DOM.
    await page.addInitScript(`
      window.__queueTiming = {};
      const originalFetch = window.fetch;
      window.fetch = async (...args) => {
        const response = await originalFetch(...args);
        if (String(args[0]).includes('/api/v1/me/queue')) {
          const json = response.clone().json();
          json.then(() => { window.__queueTiming.answered ??= performance.now(); });
        }
        return response;
      };
      new MutationObserver(() => {
        if (!window.__queueTiming.rendered && document.querySelectorAll('a[data-ticket-link]').length >= ${QUEUE_SIZE}) {
          window.__queueTiming.rendered = performance.now();
        }
      }).observe(document, { childList: true, subtree: true });
    `);
    await page.reload();
    await page
      .locator('a[data-ticket-link]')
      .nth(QUEUE_SIZE - 1)
      .waitFor();
    const timing = (await page.evaluate('window.__queueTiming')) as {
      answered: number;
      rendered: number;
    };
    console.log(
      `Queue of ${QUEUE_SIZE} open tickets: rendered ${Math.round(timing.rendered - timing.answered)} ms after the API's answer, ${Math.round(timing.rendered)} ms after navigation start (load average ${loadavg()[0]!.toFixed(1)} on this shared machine)`,
    );
    expect(await page.locator('a[data-ticket-link]').count()).toBe(QUEUE_SIZE);
    expect(await page.getByText(`${QUEUE_SIZE} tickets`).count()).toBe(1);
  } finally {
    await context.close();
  }
});

it('when the rep presses j, k and Enter, then the selection moves and the ticket opens; ? shows the shortcuts', async () => {
  const { context, page } = await signedInPage(app, rita);
  try {
    await page.locator('a[data-ticket-link]').first().waitFor();
    const links = page.locator('a[data-ticket-link]');
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    const second = await links.nth(1).innerText();
    expect(
      await page.evaluate('document.activeElement && document.activeElement.textContent'),
    ).toBe(second);

    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.waitFor();
    await dialog.getByText('Next ticket').waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    await links.nth(1).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: second }).waitFor();
  } finally {
    await context.close();
  }
});

it('when the rep filters for overdue or waiting tickets, then the API answers that subset', async () => {
  const { context, page } = await signedInPage(app, rita);
  try {
    await page.locator('a[data-ticket-link]').first().waitFor();
    await page.getByText('Waiting on customer', { exact: true }).first().click();
    await page.getByText('No tickets match this filter.').waitFor();
    await page.getByText('Overdue', { exact: true }).click();
    await page.getByText('No tickets match this filter.').waitFor();
    await page.getByText('All open', { exact: true }).click();
    await page.locator('a[data-ticket-link]').first().waitFor();
  } finally {
    await context.close();
  }
});
