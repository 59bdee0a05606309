import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Fixtures, unique } from '../helpers/factories';
import { startTestApp, type TestApp } from '../helpers/test-app';

/** scripts/ownit-mailgate run as an MTA would: a child process with the message on stdin. */
const SCRIPT = join(__dirname, '..', '..', 'scripts', 'ownit-mailgate');

let app: TestApp;
let f: Fixtures;
let baseUrl: string;

beforeAll(async () => {
  app = await startTestApp();
  f = new Fixtures(app);
  baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await app.close();
});

function runMailgate(
  args: string[],
  stdin: string,
  env: Record<string, string> = {},
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SCRIPT, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stderr }));
    child.stdin.end(stdin);
  });
}

function message(from: string, subject: string): string {
  return [
    `From: Carla <${from}>`,
    'To: support@ownit.test',
    `Subject: ${subject}`,
    `Message-ID: <${randomUUID()}@customer.test>`,
    '',
    'My line is dead.',
    '',
  ].join('\r\n');
}

async function answering(status: number): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(status, { 'content-type': 'application/json' }).end('{}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('scripts/ownit-mailgate', () => {
  it('when an MTA pipes a new message, then it exits 0 and OwnIt has the ticket', async () => {
    const team = await f.team();
    await f.agent('rep', team.id);
    const gateway = await f.agent('integration', team.id);
    const from = `${unique('carla')}@customer.test`;

    const run = await runMailgate(['--url', baseUrl], message(from, 'Line dead'), {
      OWNIT_TOKEN: gateway.token,
    });

    expect(run).toMatchObject({ code: 0 });
    const tickets = await app.dataSource.query(
      `SELECT t.subject, t.team_id FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE c.email = $1`,
      [from],
    );
    expect(tickets).toEqual([{ subject: 'Line dead', team_id: team.id }]);
  });

  it('when the token is wrong, then it exits 77 (permanent) and says why', async () => {
    const run = await runMailgate(
      ['--url', baseUrl, '--token', 'not-a-real-token-at-all'],
      message(`${unique('x')}@customer.test`, 'Hi'),
    );
    expect(run.code).toBe(77);
    expect(run.stderr).toMatch(/refused the token \(401/);
  });

  it('when the message has no sender, then it exits 65 (the message is unacceptable)', async () => {
    const team = await f.team();
    const gateway = await f.agent('integration', team.id);
    const run = await runMailgate(['--url', baseUrl], 'Subject: no from\r\n\r\nhello\r\n', {
      OWNIT_TOKEN: gateway.token,
    });
    expect(run.code).toBe(65);
    expect(run.stderr).toMatch(/refused the message \(400/);
  });

  it.each([500, 503, 429])(
    'when OwnIt answers %i, then it exits 75 so the MTA retries',
    async (status) => {
      const server = await answering(status);
      try {
        const run = await runMailgate(
          ['--url', server.url, '--token', 'x'.repeat(20)],
          message('a@b.test', 'Hi'),
        );
        expect(run.code).toBe(75);
        expect(run.stderr).toMatch(/will retry/);
      } finally {
        await server.close();
      }
    },
  );

  it('when OwnIt is unreachable, then it exits 75 so the MTA retries', async () => {
    const server = await answering(200);
    const url = server.url;
    await server.close();
    const run = await runMailgate(
      ['--url', url, '--token', 'x'.repeat(20)],
      message('a@b.test', 'Hi'),
    );
    expect(run.code).toBe(75);
    expect(run.stderr).toMatch(/cannot reach/);
  });

  it('when no URL or token is configured, then it exits 75 and keeps the mail queued', async () => {
    const run = await runMailgate([], message('a@b.test', 'Hi'));
    expect(run.code).toBe(75);
    expect(run.stderr).toMatch(/OWNIT_URL/);
  });
});
