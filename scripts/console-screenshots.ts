/**
 * Takes the README's screenshots of the console (docs/console-queue.png, docs/console-ticket.png,
 * docs/console-board.png, docs/console-reports.png)
 * against a throwaway install with sample data: `npm run docs:screenshots` (builds first).
 */
import { resolve } from 'node:path';
import { startConsoleApp, teamFixture, signedInPage } from '../test/helpers/console-app';
import {
  databaseUrlFor,
  newRunName,
  TEST_DATABASE_URL_VAR,
} from '../test/helpers/test-environment';

async function main() {
  process.env[TEST_DATABASE_URL_VAR] = databaseUrlFor(newRunName());
  const app = await startConsoleApp('shots');
  try {
    const team = await teamFixture(app);
    // VIP concerns due within a business minute: customers made VIP below breach at once.
    await app.api(app.adminToken, 'PATCH', `/teams/${team.teamId}`, {
      policy: { tiers: { vip: { firstResponseWithinMinutes: 1 } } },
    });
    const startedAt = Date.now();
    const rita = await team.rep('Rita Rep');
    const rob = await team.rep('Rob Rep');
    const late: string[] = [];
    for (const [subject, name] of [
      ['No dial tone after the storm', 'Greta Gewitter'],
      ['Technician did not come', 'Hans Haustür'],
    ]) {
      const customer = await team.customer(name!);
      await team.ticketFor(rob, subject!, customer.id);
      late.push(customer.id);
    }
    const causes: [string, string][] = [
      ['billing', 'double charge'],
      ['billing', 'double charge'],
      ['billing', 'tariff change'],
      ['field_service', 'missed appointment'],
      ['field_service', 'missed appointment'],
      ['network', 'outage'],
      ['product', 'router firmware'],
    ];
    for (const [index, [silo, category]] of causes.entries()) {
      const customer = await team.customer(`Resolved Customer ${index + 1}`);
      const ticket = await team.ticketFor(
        index % 2 ? rob : rita,
        `Solved ${category}`,
        customer.id,
      );
      await app.api(index % 2 ? rob.token : rita.token, 'POST', `/tickets/${ticket.id}/updates`, {
        body: 'Sorted, thank you for your patience.',
        visibility: 'public',
      });
      await app.api(index % 2 ? rob.token : rita.token, 'POST', `/tickets/${ticket.id}/resolve`, {
        resolution: 'Done',
        rootCause: { silo, category },
      });
    }
    const subjects: [string, string, 'standard' | 'high_value' | 'vip'][] = [
      ['Internet down since Monday', 'Carla Customer', 'vip'],
      ['Invoice charged twice', 'Ben Billing', 'high_value'],
      ['Router blinks red after update', 'Dana Dial', 'standard'],
      ['Move my contract to the new flat', 'Erik Umzug', 'standard'],
      ['TV channels missing', 'Fatima Fernsehen', 'high_value'],
    ];
    let first: { id: string } | undefined;
    for (const [subject, name, tier] of subjects) {
      const customer = await team.customer(name, tier);
      const ticket = await team.ticketFor(rita, subject, customer.id);
      first ??= ticket;
    }
    await app.api(rita.token, 'POST', `/tickets/${first!.id}/updates`, {
      body: 'A technician is booked for Tuesday 9–12. I will call you the evening before.',
      visibility: 'public',
    });
    await app.api(team.integrationToken, 'POST', `/tickets/${first!.id}/customer-messages`, {
      body: 'Tuesday works, thank you. Please ring the bell twice.',
    });
    await app.api(rita.token, 'POST', `/tickets/${first!.id}/updates`, {
      body: 'Customer asked to ring twice; noted for dispatch.',
      visibility: 'internal',
    });
    const { context, page } = await signedInPage(app, rita);
    await page
      .locator('a[data-ticket-link]')
      .nth(subjects.length - 1)
      .waitFor();
    await page.screenshot({ path: resolve(__dirname, '../../docs/console-queue.png') });
    await page.getByRole('link', { name: 'Internet down since Monday' }).click();
    await page.getByRole('list', { name: 'Timeline' }).getByText('ring the bell twice').waitFor();
    await page.getByLabel('Message').fill('Confirmed: the technician will ring twice.');
    // A tall window rather than a full-page capture: the fixed header stays at the top.
    await page.setViewportSize({ width: 1360, height: 1500 });
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: resolve(__dirname, '../../docs/console-ticket.png') });
    await context.close();

    const password = 'supervisor-password-long';
    const sue = await app.api(app.adminToken, 'POST', '/agents', {
      name: 'Sue Supervisor',
      email: 'sue.supervisor@example.test',
      role: 'supervisor',
      teamId: team.teamId,
      password,
    });
    const wait = startedAt + 61_000 - Date.now();
    if (wait > 0) await new Promise((done) => setTimeout(done, wait));
    for (const id of late) {
      await app.api(app.adminToken, 'PATCH', `/customers/${id}`, { tier: 'vip' });
    }
    const supervisor = await signedInPage(app, { ...sue.body, password });
    await supervisor.page.getByRole('link', { name: 'Overdue board' }).click();
    await supervisor.page
      .getByRole('row')
      .filter({ hasText: 'Technician did not come' })
      .getByText('1 sent', { exact: false })
      .waitFor();
    await supervisor.page.screenshot({ path: resolve(__dirname, '../../docs/console-board.png') });
    await supervisor.page.getByRole('link', { name: 'Reports' }).click();
    await supervisor.page.locator('.recharts-bar-rectangle').first().waitFor();
    await supervisor.page.setViewportSize({ width: 1360, height: 1250 });
    await supervisor.page.waitForTimeout(1000); // the charts animate in
    await supervisor.page.screenshot({
      path: resolve(__dirname, '../../docs/console-reports.png'),
    });
    await supervisor.context.close();
  } finally {
    await app.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
