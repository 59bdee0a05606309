import { randomBytes } from 'node:crypto';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { startRuntime, type Runtime } from '../../src/runtime';
import { dropDatabase } from './cleanup';
import { ResponseRecorder } from './contract-check';
import { redisUrl, testDatabaseUrl, testQueuePrefix } from './test-environment';

/**
 * Generous limits: the machine is shared and a loaded 2-core box can take seconds per step; a
 * real failure still fails, only later.
 */
export const BROWSER_TEST_TIMEOUT_MS = 240_000;
const STEP_TIMEOUT_MS = 60_000;

/** Debian's Chromium; browsers cannot be downloaded here. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
];

export interface ConsoleApp {
  baseUrl: string;
  adminToken: string;
  browser: Browser;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test answers are read field by field
  api<T = any>(
    token: string,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }>;
  stop(): Promise<void>;
}

/**
 * The whole install as `npm start` runs it (API, worker, the built console) on a free port with
 * its own database and Redis prefix, plus a headless Chromium to drive it.
 */
export async function startConsoleApp(
  name: string,
  /** More settings, e.g. `SMTP_URL` of a test SMTP peer instead of the development mailbox. */
  env: Record<string, string> = {},
): Promise<ConsoleApp> {
  const suffix = `${name}_${randomBytes(3).toString('hex')}`;
  const url = new URL(testDatabaseUrl());
  url.pathname = `${url.pathname}_${suffix}`;
  const databaseUrl = url.toString();
  const adminToken = `console-test-admin-${randomBytes(12).toString('hex')}`;
  const config = loadConfig({
    PORT: '0',
    DEV_SMTP_PORT: '0',
    METRICS_PORT: '0',
    WORKER_METRICS_PORT: '0',
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl(),
    QUEUE_PREFIX: `${testQueuePrefix()}-${suffix}`,
    ADMIN_TOKEN: adminToken,
    LOG_LEVEL: 'silent',
    ...env,
  });
  const runtime: Runtime = await startRuntime(config, createLogger('silent'), {
    api: true,
    worker: true,
  });
  const baseUrl = `http://127.0.0.1:${runtime.port}`;
  // What the api helper gets is checked against the OpenAPI document on stop().
  const responses = new ResponseRecorder();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
  });
  return {
    baseUrl,
    adminToken,
    browser,
    async api(token, method, path, body) {
      const response = await fetch(`${baseUrl}/api/v1${path}`, {
        method,
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      responses.recordFetch(method, `${baseUrl}/api/v1${path}`, response, text);
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    },
    async stop() {
      await browser.close();
      await runtime.stop();
      await dropDatabase(databaseUrl);
      responses.verify();
    },
  };
}

export interface Rep {
  id: string;
  name: string;
  email: string;
  token: string;
  password: string;
}

export interface Fixture {
  teamId: string;
  integrationToken: string;
  rep(name: string): Promise<Rep>;
  customer(
    name: string,
    tier?: 'standard' | 'high_value' | 'vip',
  ): Promise<{ id: string; name: string; email: string }>;
  /** A ticket created by the integration: auto-assigned to the least loaded rep. */
  ticketFor(rep: Rep, subject: string, customerId: string): Promise<{ id: string; ref: string }>;
}

const ALWAYS_OPEN = Object.fromEntries(
  ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [
    day,
    { open: '00:00', close: '23:59' },
  ]),
);

const unique = () => randomBytes(4).toString('hex');

/** A team open around the clock, with an integration, reps with passwords, customers. */
export async function teamFixture(app: ConsoleApp): Promise<Fixture> {
  const team = await app.api(app.adminToken, 'POST', '/teams', {
    name: `Care ${unique()}`,
    timezone: 'Europe/Berlin',
    businessHours: ALWAYS_OPEN,
  });
  const integration = await app.api(app.adminToken, 'POST', '/agents', {
    name: 'Web form',
    email: `form-${unique()}@example.test`,
    role: 'integration',
    teamId: team.body.id,
  });
  const fixture: Fixture = {
    teamId: team.body.id,
    integrationToken: integration.body.token,
    async rep(name) {
      const password = `pw-${unique()}-long-enough`;
      const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${unique()}@example.test`;
      const created = await app.api(app.adminToken, 'POST', '/agents', {
        name,
        email,
        role: 'rep',
        teamId: team.body.id,
        capacity: 500,
        password,
      });
      if (created.status !== 201)
        throw new Error(`rep: ${created.status} ${JSON.stringify(created.body)}`);
      return { id: created.body.id, name, email, token: created.body.token, password };
    },
    async customer(name, tier = 'standard') {
      const created = await app.api(app.adminToken, 'POST', '/customers', {
        name,
        email: `${name.toLowerCase().replace(/\W+/g, '.')}.${unique()}@example.test`,
        tier,
      });
      return created.body;
    },
    async ticketFor(rep, subject, customerId) {
      // A rep who creates a ticket owns it: the surest way to give it to this rep.
      const created = await app.api(rep.token, 'POST', '/tickets', {
        customerId,
        subject,
        description: `${subject}: details from the customer.`,
        channel: 'phone',
      });
      if (created.status !== 201)
        throw new Error(`ticket: ${created.status} ${JSON.stringify(created.body)}`);
      return created.body;
    },
  };
  return fixture;
}

/** A browser context for one rep, signed in as a user would; English, a laptop-sized window. */
export async function signedInPage(
  app: ConsoleApp,
  rep: Rep,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await app.browser.newContext({
    baseURL: app.baseUrl,
    locale: 'en-US',
    viewport: { width: 1360, height: 900 },
  });
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  const page = await context.newPage();
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(rep.email);
  await page.getByLabel('Password').fill(rep.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'My queue' }).waitFor();
  return { context, page };
}

/** axe-core on the current page: the serious and critical violations (there should be none). */
export async function seriousViolations(page: Page): Promise<string[]> {
  // Judge the page as it settles, not mid-transition (a button fading from disabled to enabled
  // has, for 150 ms, colours it never keeps).
  await page.waitForFunction(
    `document.getAnimations().every((animation) => animation.playState !== 'running')`,
  );
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id}: ${v.help} (${v.nodes.map((n) => `${n.target.join(' ')} ${n.failureSummary ?? ''}`).join(', ')})`,
    );
}
