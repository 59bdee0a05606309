import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { progress } from './bench-environment';

/**
 * OwnIt processes (dist/src/api.js, worker.js, main.js) started by a benchmark against its
 * throw-away database and queue prefix, the way an operator would start them.
 */
export interface OwnitProcess {
  kind: 'api' | 'worker' | 'main';
  child: ChildProcess;
  port: number;
  /** Peak resident set so far (VmHWM), in bytes. */
  peakRss(): number;
  stop(): Promise<{ peakRssBytes: number }>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** VmHWM of a live process (Linux), 0 when unknown. */
export function peakRssOf(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Resident set now (VmRSS) of a live process (Linux), 0 when unknown. */
export function rssOf(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

export interface StartOptions {
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  smtpUrl: string;
  linkSecret?: string;
  env?: Record<string, string>;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeArgs?: string[];
}

const distRoot = join(__dirname, '..', '..');

export async function startOwnit(
  kind: OwnitProcess['kind'],
  options: StartOptions,
): Promise<OwnitProcess> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), join(distRoot, 'src', `${kind}.js`)],
    {
      env: {
        ...process.env,
        DATABASE_URL: options.databaseUrl,
        REDIS_URL: options.redisUrl,
        QUEUE_PREFIX: options.queuePrefix,
        SMTP_URL: options.smtpUrl,
        LINK_SECRET: options.linkSecret ?? randomBytes(32).toString('base64url'),
        PORT: String(port),
        METRICS_PORT: '0',
        WORKER_METRICS_PORT: '0',
        LOG_LEVEL: 'warn',
        LOG_FORMAT: 'json',
        ...options.env,
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  let peak = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, peakRssOf(child.pid));
  }, 500);
  sampler.unref();
  const handle: OwnitProcess = {
    kind,
    child,
    port,
    peakRss: () => Math.max(peak, peakRssOf(child.pid)),
    async stop() {
      clearInterval(sampler);
      peak = Math.max(peak, peakRssOf(child.pid));
      if (!exited) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exitedPromise;
        clearTimeout(timer);
      }
      return { peakRssBytes: peak };
    },
  };
  if (kind !== 'worker') {
    const until = Date.now() + 60_000;
    for (;;) {
      if (exited) throw new Error(`${kind} process exited during start`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`);
        if (res.ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > until) throw new Error(`${kind} process did not answer /healthz in 60 s`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } else {
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    if (exited) throw new Error('worker process exited during start');
  }
  progress(`started ${kind} process pid ${child.pid} on port ${port}`);
  return handle;
}

export const load = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
