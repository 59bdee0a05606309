import {
  BROWSER_TEST_TIMEOUT_MS,
  seriousViolations,
  signedInPage,
  startConsoleApp,
  teamFixture,
  type ConsoleApp,
} from '../helpers/console-app';

/** The owner ends a consult from the ticket page; the consulted party loses its access. */
let app: ConsoleApp;

jest.setTimeout(BROWSER_TEST_TIMEOUT_MS);

beforeAll(async () => {
  app = await startConsoleApp('consult');
});
afterAll(async () => {
  await app?.stop();
});

it('when the owner cancels an open consult from the ticket page, then the button goes, the timeline says so and the consult is cancelled', async () => {
  const team = await teamFixture(app);
  const owner = await team.rep('Olga Owner');
  const other = await team.rep('Kai Consulted');
  const customer = await team.customer('Carla Consult');
  const ticket = await team.ticketFor(owner, 'Meter reading looks wrong', customer.id);
  const asked = await app.api(owner.token, 'POST', `/tickets/${ticket.id}/consults`, {
    agentId: other.id,
    question: 'Did the technician swap the meter?',
  });
  expect(asked.status).toBe(201);

  const { context, page } = await signedInPage(app, owner);
  try {
    await page.goto(`/tickets/${ticket.id}`);
    await page.getByRole('button', { name: 'Cancel consult' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Cancel consult' }).click();
    await page.getByRole('button', { name: 'Cancel consult' }).waitFor({ state: 'detached' });
    await page
      .getByRole('list', { name: 'Timeline' })
      .getByText(/cancelled the consult/)
      .waitFor();

    const consult = await app.api(owner.token, 'GET', `/consults/${asked.body.id}`);
    expect(consult.body.status).toBe('cancelled');
  } finally {
    await context.close();
  }
});
