import type { Page } from 'playwright-core';
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

/** Signing in and out of the console with an email and a password. */
let app: ConsoleApp;
let team: Fixture;

jest.setTimeout(BROWSER_TEST_TIMEOUT_MS);

beforeAll(async () => {
  app = await startConsoleApp('signin');
  team = await teamFixture(app);
});
afterAll(async () => {
  await app?.stop();
});

async function signInPage() {
  const context = await app.browser.newContext({ baseURL: app.baseUrl, locale: 'en-US' });
  context.setDefaultTimeout(60_000);
  const page = await context.newPage();
  await page.goto('/');
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  return { context, page };
}

async function attempt(page: Page, rep: Rep, password: string) {
  await page.getByLabel('Email').fill(rep.email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

it('when the rep opens the console signed out, then the sign-in page asks for email and password', async () => {
  const { context, page } = await signInPage();
  try {
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await page.getByLabel('Email').waitFor();
    await page.getByLabel('Password').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  } finally {
    await context.close();
  }
});

it('when the password is wrong, then the page says so and the rep stays signed out', async () => {
  const rep = await team.rep('Wanda Wrong');
  const { context, page } = await signInPage();
  try {
    await attempt(page, rep, 'not-the-password-at-all');
    await page
      .getByRole('alert')
      .filter({ hasText: 'The email or password is not right.' })
      .waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    expect(await page.getByLabel('Email').inputValue()).toBe(rep.email);
    const cookies = await context.cookies();
    expect(cookies).toEqual([]);
  } finally {
    await context.close();
  }
});

it('when the password is wrong again and again, then sign-in is refused for a while, even with the right one', async () => {
  const rep = await team.rep('Gus Guesser');
  const { context, page } = await signInPage();
  try {
    for (let i = 0; i < 5; i++) {
      await attempt(page, rep, `wrong-guess-number-${i}`);
      await page
        .getByRole('alert')
        .filter({ hasText: 'The email or password is not right.' })
        .waitFor();
    }
    await attempt(page, rep, rep.password);
    await page
      .getByRole('alert')
      .filter({ hasText: /Too many attempts\. Try again in \d+ seconds\./ })
      .waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
  } finally {
    await context.close();
  }
});

it('when the rep signs in and then signs out, then the queue shows and afterwards the session is gone', async () => {
  const rep = await team.rep('Sam Session');
  const { context, page } = await signedInPage(app, rep);
  try {
    await page.getByRole('heading', { name: 'My queue' }).waitFor();
    await page.getByText('Sam Session').waitFor();
    const session = (await context.cookies()).find((c) => c.httpOnly);
    expect(session).toBeDefined();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    // The old cookie no longer opens anything, even if someone kept a copy.
    const replay = await fetch(`${app.baseUrl}/api/v1/me`, {
      headers: { Cookie: `${session!.name}=${session!.value}` },
    });
    expect(replay.status).toBe(401);
    await page.goto('/inbox');
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
  } finally {
    await context.close();
  }
});

/** The newest email the development mailbox caught for this address (waits until it is there). */
async function emailTo(address: string): Promise<{ text: string }> {
  const until = Date.now() + 30_000;
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

it('when the rep forgot the password, then "Forgot password?" on the sign-in page sends a link that sets a new one', async () => {
  const rep = await team.rep('Fay Forgetful');
  const { context, page } = await signInPage();
  try {
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await page.getByRole('heading', { name: 'Reset your password' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/forgot-password');
    await page.getByLabel('Email').fill(rep.email);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await page
      .getByRole('status')
      .getByText('a link to set a new password is on its way')
      .waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    const link = /\/set-password\?token=[\w-]+/.exec((await emailTo(rep.email)).text)?.[0];
    expect(link).toBeDefined();
    await page.goto(link!);
    await page.getByLabel('New password').fill('fay-remembers-this-one');
    await page.getByLabel('Repeat the password').fill('fay-remembers-this-one');
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await page.getByRole('heading', { name: 'My queue' }).waitFor();
    const signIn = await fetch(`${app.baseUrl}/api/v1/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: rep.email, password: rep.password }),
    });
    expect(signIn.status).toBe(401);
  } finally {
    await context.close();
  }
});
