import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

export interface ServerSentEvent {
  id: string | undefined;
  event: string;
  data: Record<string, unknown>;
}

/** A minimal EventSource for tests: collects events and waits for the one a test expects. */
export class SseClient {
  readonly events: ServerSentEvent[] = [];
  status = 0;
  contentType = '';
  private waiters: Array<() => void> = [];
  private request: http.ClientRequest | undefined;
  ended = false;

  static async open(
    server: Server,
    headers: Record<string, string>,
    path = '/api/v1/events',
  ): Promise<SseClient> {
    const client = new SseClient();
    await client.connect(server, headers, path);
    return client;
  }

  private connect(server: Server, headers: Record<string, string>, path: string): Promise<void> {
    const { port } = server.address() as AddressInfo;
    return new Promise((resolve, reject) => {
      this.request = http.get({ host: '127.0.0.1', port, path, headers }, (res) => {
        this.status = res.statusCode ?? 0;
        this.contentType = String(res.headers['content-type'] ?? '');
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let split: number;
          while ((split = buffer.indexOf('\n\n')) >= 0) {
            this.parse(buffer.slice(0, split));
            buffer = buffer.slice(split + 2);
          }
          // The first bytes (": connected") mean the server is listening for events.
          resolve();
        });
        res.on('end', () => {
          this.ended = true;
          this.notify();
          resolve();
        });
        if (this.status !== 200) res.resume();
      });
      this.request.on('error', (error) => (this.ended ? undefined : reject(error)));
    });
  }

  private parse(block: string): void {
    let id: string | undefined;
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) continue;
      const [field, ...rest] = line.split(':');
      const value = rest.join(':').replace(/^ /, '');
      if (field === 'id') id = value;
      else if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length === 0) return;
    this.events.push({ id, event, data: JSON.parse(data.join('\n')) as Record<string, unknown> });
    this.notify();
  }

  private notify(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** The first event (already received or still to come) that matches. */
  async waitFor(
    matches: (event: ServerSentEvent) => boolean,
    timeoutMs = 10_000,
  ): Promise<ServerSentEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(matches);
      if (found) return found;
      if (this.ended) throw new Error('the event stream ended');
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`no matching event; got ${JSON.stringify(this.events)}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.ended = true;
    this.request?.destroy();
  }
}
