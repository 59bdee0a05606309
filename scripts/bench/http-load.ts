import { Agent, request } from 'node:http';
import { percentile } from './bench-environment';

/** One kind of request a load run sends; `body` is sent as JSON. */
export interface RequestSpec {
  method: 'GET' | 'POST';
  path: string;
  token: string;
  body?: unknown;
  expect: number;
}

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  firstError?: string;
}

/** Keep-alive HTTP to the given ports (round robin), as little client work per request as possible. */
export class HttpLoad {
  private readonly agent: Agent;
  private next = 0;

  constructor(
    private readonly ports: number[],
    maxSockets = 64,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  /** `serverMs`: the API's own time from its `Server-Timing: app;dur=…` header, when present. */
  send(
    spec: RequestSpec | (() => RequestSpec),
  ): Promise<{ ms: number; serverMs?: number; error?: string }> {
    const s = typeof spec === 'function' ? spec() : spec;
    const port = this.ports[this.next++ % this.ports.length]!;
    const payload = s.body === undefined ? undefined : Buffer.from(JSON.stringify(s.body));
    const started = performance.now();
    return new Promise((resolve) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: s.method,
          path: s.path,
          agent: this.agent,
          headers: {
            authorization: `Bearer ${s.token}`,
            ...(payload
              ? { 'content-type': 'application/json', 'content-length': payload.length }
              : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const ms = performance.now() - started;
            const serverMs = appDurationOf(res.headers['server-timing']);
            if (res.statusCode !== s.expect) {
              resolve({
                ms,
                error: `${s.method} ${s.path}: ${res.statusCode} ${Buffer.concat(chunks).toString().slice(0, 300)}`,
              });
            } else resolve(serverMs === undefined ? { ms } : { ms, serverMs });
          });
        },
      );
      req.on('error', (error) =>
        resolve({ ms: performance.now() - started, error: error.message }),
      );
      req.end(payload);
    });
  }

  /** `concurrency` clients each sending the next request as soon as the last one answered. */
  async closedLoop(
    spec: RequestSpec | (() => RequestSpec),
    concurrency: number,
    seconds: number,
  ): Promise<LoadResult> {
    const latencies: number[] = [];
    let errors = 0;
    let firstError: string | undefined;
    const started = performance.now();
    const until = started + seconds * 1000;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < until) {
          const r = await this.send(spec);
          if (r.error) {
            errors += 1;
            firstError ??= r.error;
          } else latencies.push(r.ms);
        }
      }),
    );
    return summarise(latencies, errors, (performance.now() - started) / 1000, firstError);
  }

  /**
   * Open loop: requests start at a fixed rate whether or not earlier ones answered; latency counts
   * from the planned start (so a stall shows in the figures instead of slowing the arrivals).
   */
  async openLoop(
    spec: RequestSpec | (() => RequestSpec),
    ratePerSecond: number,
    seconds: number,
    shouldStop?: () => boolean,
  ): Promise<LoadResult> {
    const latencies: number[] = [];
    let errors = 0;
    let firstError: string | undefined;
    const started = performance.now();
    const total = Math.max(1, Math.round(ratePerSecond * seconds));
    const interval = 1000 / ratePerSecond;
    const inFlight: Array<Promise<void>> = [];
    for (let i = 0; i < total; i++) {
      if (shouldStop?.()) break;
      const planned = started + i * interval;
      const wait = planned - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      inFlight.push(
        this.send(spec).then((r) => {
          const ms = performance.now() - planned;
          if (r.error) {
            errors += 1;
            firstError ??= r.error;
          } else latencies.push(ms);
        }),
      );
    }
    await Promise.all(inFlight);
    return summarise(latencies, errors, (performance.now() - started) / 1000, firstError);
  }

  close(): void {
    this.agent.destroy();
  }
}

/** The `app` metric of a Server-Timing header (milliseconds), if the server sent one. */
function appDurationOf(header: string | string[] | undefined): number | undefined {
  const text = Array.isArray(header) ? header.join(',') : header;
  const match = text ? /(?:^|,)\s*app;dur=([\d.]+)/.exec(text) : null;
  return match ? Number(match[1]) : undefined;
}

export function summarise(
  latencies: number[],
  errors: number,
  seconds: number,
  firstError?: string,
): LoadResult {
  const sorted = [...latencies].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    requests: sorted.length,
    errors,
    seconds: round(seconds),
    perSecond: Math.round(sorted.length / seconds),
    p50Ms: round(percentile(sorted, 50)),
    p95Ms: round(percentile(sorted, 95)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(sorted[sorted.length - 1] ?? NaN),
    ...(firstError ? { firstError } : {}),
  };
}

/** The benchmark's result as one JSON line on stdout, read by scripts/bench.ts. */
export function emitResult(result: unknown): void {
  console.log(`BENCH-RESULT ${JSON.stringify(result)}`);
}

/** `--name a,b,c` as numbers. */
export function listArgument(name: string, fallback: number[]): number[] {
  const index = process.argv.indexOf(`--${name}`);
  if (index < 0) return fallback;
  return (process.argv[index + 1] ?? '').split(',').map(Number);
}
