import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { forbiddenAddressKind, guardedLookup } from './network-guard';

export interface WebhookPost {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** Connect only to public addresses (checked on the resolved address of this connection). */
  publicOnly: boolean;
}

export type WebhookResponse =
  | { ok: true; statusCode: number; body: string }
  | { ok: false; statusCode: number | null; body: string; error: string; refused?: boolean };

const MAX_RESPONSE_BYTES = 2048;

/**
 * One POST to a receiver. Redirects are not followed (a redirect could lead past the SSRF guard);
 * only a 2xx answer counts as delivered. Never throws.
 */
export function postWebhook(post: WebhookPost): Promise<WebhookResponse> {
  const url = new URL(post.url);
  const transport = url.protocol === 'https:' ? https : http;
  // An address literal never goes through the lookup, so it is checked here.
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  const kind = post.publicOnly && isIP(literal) ? forbiddenAddressKind(literal) : null;
  if (kind) {
    return Promise.resolve({
      ok: false,
      statusCode: null,
      body: '',
      error: `refused: ${literal} is ${kind}`,
      refused: true,
    });
  }
  return new Promise((resolve) => {
    let settled = false;
    const done = (response: WebhookResponse) => {
      if (settled) return;
      settled = true;
      resolve(response);
    };
    const request = transport.request(
      url,
      {
        method: 'POST',
        headers: {
          ...post.headers,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(post.body)),
          'user-agent': 'OwnIt-Webhooks/1',
        },
        timeout: post.timeoutMs,
        // A fresh connection per attempt: no pooled socket outlives the delivery.
        agent: false,
        ...(post.publicOnly ? { lookup: guardedLookup } : {}),
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          if (size < MAX_RESPONSE_BYTES) chunks.push(chunk);
          size += chunk.length;
        });
        response.on('error', () => undefined);
        response.on('end', () => {
          const statusCode = response.statusCode ?? 0;
          const body = Buffer.concat(chunks).toString('utf8').slice(0, MAX_RESPONSE_BYTES);
          if (statusCode >= 200 && statusCode < 300) done({ ok: true, statusCode, body });
          else
            done({
              ok: false,
              statusCode,
              body,
              error:
                statusCode >= 300 && statusCode < 400
                  ? `redirect (${statusCode}) not followed`
                  : `receiver answered ${statusCode}`,
            });
        });
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer in ${post.timeoutMs} ms`)));
    request.on('error', (error: NodeJS.ErrnoException) => {
      const refused = error.code === 'EFORBIDDEN_DESTINATION';
      done({
        ok: false,
        statusCode: null,
        body: '',
        error: refused ? `refused: ${error.message}` : error.message || String(error.code),
        ...(refused ? { refused: true } : {}),
      });
    });
    request.end(post.body);
  });
}
