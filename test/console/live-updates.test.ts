import {
  BROWSER_TEST_TIMEOUT_MS,
  signedInPage,
  startConsoleApp,
  teamFixture,
  type ConsoleApp,
} from '../helpers/console-app';

/** What others do shows up on the rep's screen without a reload. */
let app: ConsoleApp;
const LIVE_WITHIN_MS = 15_000;

jest.setTimeout(BROWSER_TEST_TIMEOUT_MS);

beforeAll(async () => {
  app = await startConsoleApp('live');
});
afterAll(async () => {
  await app?.stop();
});

it('when an integration creates a ticket for the rep, then it appears in the open queue without a reload', async () => {
  const team = await teamFixture(app);
  const lina = await team.rep('Lina Live');
  const customer = await team.customer('Nora Newcomer', 'vip');
  const { context, page } = await signedInPage(app, lina);
  try {
    await page.getByText('Nothing here.', { exact: false }).waitFor();
    await page.getByText('Live', { exact: true }).waitFor();
    const started = Date.now();
    const created = await app.api(team.integrationToken, 'POST', '/tickets', {
      customerId: customer.id,
      teamId: team.teamId,
      subject: 'Web form: no signal in the kitchen',
      description: 'Sent from the web form.',
      channel: 'web',
    });
    expect(created.status).toBe(201);
    expect(created.body.ownerId).toBe(lina.id);
    const row = page.getByRole('row').filter({ hasText: 'Web form: no signal in the kitchen' });
    await row.waitFor({ timeout: LIVE_WITHIN_MS });
    console.log(
      `Live queue: the new ticket showed ${Date.now() - started} ms after it was created`,
    );
    expect(await row.innerText()).toContain('Nora Newcomer');
    expect(await row.innerText()).toMatch(/vip/i);
  } finally {
    await context.close();
  }
});

it('when a teammate opens the same ticket and the customer writes, then the rep sees both live', async () => {
  const team = await teamFixture(app);
  const lina = await team.rep('Lina Live');
  const otto = await team.rep('Otto Other');
  const customer = await team.customer('Clara Caller');
  const ticket = await team.ticketFor(lina, 'Line crackles on calls', customer.id);
  const linaBrowser = await signedInPage(app, lina);
  const ottoBrowser = await signedInPage(app, otto);
  try {
    await linaBrowser.page.goto(`/tickets/${ticket.id}`);
    await linaBrowser.page
      .getByRole('heading', { level: 1, name: 'Line crackles on calls' })
      .waitFor();
    await linaBrowser.page.getByText('Nobody else has this ticket open.').waitFor();

    await ottoBrowser.page.goto(`/tickets/${ticket.id}`);
    await ottoBrowser.page
      .getByRole('heading', { level: 1, name: 'Line crackles on calls' })
      .waitFor();
    await linaBrowser.page
      .getByText('Also viewing: Otto Other')
      .waitFor({ timeout: LIVE_WITHIN_MS });

    await app.api(team.integrationToken, 'POST', `/tickets/${ticket.id}/customer-messages`, {
      body: 'It crackles only when it rains.',
    });
    await linaBrowser.page
      .getByRole('list', { name: 'Timeline' })
      .getByText('It crackles only when it rains.')
      .waitFor({ timeout: LIVE_WITHIN_MS });

    await ottoBrowser.page.goto('/');
    await linaBrowser.page
      .getByText('Nobody else has this ticket open.')
      .waitFor({ timeout: LIVE_WITHIN_MS });
  } finally {
    await linaBrowser.context.close();
    await ottoBrowser.context.close();
  }
});
