import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { listRoutes, routeFor, type RouteEntry } from '../../src/http/route-table';
import { openApiDocument, openApiPath } from '../../src/openapi/document';
import { testQueuePrefix } from './test-environment';

/**
 * The response-vs-document check (issue #14, item 5): every real API response a test file's
 * requests get is recorded, and when the file's app stops each one is checked against the
 * OpenAPI document: the operation exists for method + route, the status is documented, the
 * content type is a documented one, and the JSON body validates against the documented schema.
 * Mismatches are collected and thrown once, naming operation, status and the schema errors.
 */

/** One response as a client saw it. */
export interface RecordedResponse {
  method: string;
  /** The Express route pattern the request was routed to, e.g. `/api/v1/tickets/:id`. */
  route: string;
  status: number;
  contentType: string;
  /** The raw body, when it was captured (not for event streams or very large files). */
  body?: Buffer;
  /** The test that made the request, for the failure message. */
  test?: string;
}

/** Routes that are not API operations: the console, the docs themselves, the queue board UI. */
export function undocumentedOnPurpose(route: RouteEntry): boolean {
  return (
    route.regexp ||
    route.path.startsWith('/api/docs') ||
    route.path === '/api/v1/openapi.json' ||
    route.path.startsWith('/admin/queues') ||
    route.method === '*'
  );
}

const MAX_CAPTURE_BYTES = 4 * 1024 * 1024;

/** Jest's state, when running under jest (scripts reuse these helpers outside it). */
function jestState(): { currentTestName?: string; testPath?: string } | undefined {
  const jestExpect = (globalThis as { expect?: { getState(): object } }).expect;
  try {
    return jestExpect?.getState() as { currentTestName?: string; testPath?: string } | undefined;
  } catch {
    return undefined;
  }
}

function currentTest(): string | undefined {
  return jestState()?.currentTestName ?? undefined;
}

type Chunk = string | Buffer | Uint8Array;

/** Collects what one response writes, without changing what is sent. */
function captureBody(res: ServerResponse): () => Buffer | undefined {
  const chunks: Buffer[] = [];
  let size = 0;
  let capturing = true;
  const keep = (chunk: unknown, encoding: unknown): void => {
    if (!capturing || chunk === undefined || chunk === null || typeof chunk === 'function') return;
    if (String(res.getHeader('content-type') ?? '').startsWith('text/event-stream')) {
      capturing = false;
      chunks.length = 0;
      return;
    }
    const bytes =
      typeof chunk === 'string'
        ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8')
        : Buffer.from(chunk as Uint8Array);
    size += bytes.length;
    if (size > MAX_CAPTURE_BYTES) {
      capturing = false;
      chunks.length = 0;
    } else chunks.push(bytes);
  };
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.write = ((chunk: Chunk, ...rest: unknown[]) => {
    keep(chunk, rest[0]);
    return write(chunk, ...rest);
  }) as ServerResponse['write'];
  res.end = ((chunk?: Chunk, ...rest: unknown[]) => {
    keep(chunk, rest[0]);
    return end(chunk, ...rest);
  }) as ServerResponse['end'];
  return () => (capturing ? Buffer.concat(chunks) : undefined);
}

/** Records every response of a test app's server, with the route Express routed it to. */
export class ResponseRecorder {
  readonly recorded: RecordedResponse[] = [];
  /** Requests no documented route took (unknown paths, the console, the docs). */
  unrouted = 0;
  private routes: RouteEntry[] | undefined;

  /**
   * Listens before the app on the server's requests. `appOf` gives the Express app, whose routes
   * name the pattern each request was routed to (the same walk the request metrics use).
   */
  attach(server: Server, appOf: () => unknown): void {
    server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
      const test = currentTest();
      // Read now: Express rewrites req.url while a mounted router handles the request.
      const path = (req.url?.split('?')[0] ?? '/').replace(/\/{2,}/g, '/');
      const bodyOf = captureBody(res);
      let done = false;
      const record = (finished: boolean): void => {
        if (done) return;
        done = true;
        if (!finished && !res.headersSent) return;
        this.routes ??= listRoutes(appOf());
        const route = routeFor(this.routes, req.method ?? 'GET', path);
        if (!route || undocumentedOnPurpose(route)) {
          this.unrouted += 1;
          return;
        }
        this.recorded.push({
          method: req.method === 'HEAD' ? 'GET' : (req.method ?? 'GET'),
          route: route.path,
          status: res.statusCode,
          contentType: String(res.getHeader('content-type') ?? ''),
          body: finished && req.method !== 'HEAD' ? bodyOf() : undefined,
          test,
        });
      };
      res.once('finish', () => record(true));
      res.once('close', () => record(false));
    });
  }

  /** Records a response a test got through fetch (the console app's api helper). */
  recordFetch(method: string, url: string, response: Response, text: string): void {
    const path = new URL(url).pathname;
    const route = documentRouteFor(method, path);
    if (!route) {
      this.unrouted += 1;
      return;
    }
    this.recorded.push({
      method: method.toUpperCase(),
      route,
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      body: Buffer.from(text, 'utf8'),
      test: currentTest(),
    });
  }

  /**
   * Checks what was recorded against the document, writes this file's coverage to the run's
   * summary directory, and throws once with every mismatch.
   */
  verify(): void {
    const result = checkResponses(this.recorded);
    writeCoverage(result, this.recorded.length, this.unrouted);
    if (result.failures.length > 0) {
      throw new Error(
        `${result.failures.length} response(s) of this test file do not match the OpenAPI document ` +
          `(src/openapi):\n\n${result.failures.join('\n\n')}`,
      );
    }
  }
}

// --- the check -------------------------------------------------------------------------------

type JsonSchema = Record<string, unknown>;
interface DocResponse {
  description?: string;
  content?: Record<string, { schema?: JsonSchema }>;
}
interface DocOperation {
  operationId?: string;
  responses: Record<string, DocResponse>;
}
type Document = {
  paths: Record<string, Record<string, DocOperation>>;
  components?: { schemas?: Record<string, JsonSchema> };
};

const COMPONENTS_ID = 'https://ownit.invalid/openapi/components';

function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) =>
        key === '$ref' && typeof inner === 'string' && inner.startsWith('#/components/schemas/')
          ? [key, `${COMPONENTS_ID}#/$defs/${inner.slice('#/components/schemas/'.length)}`]
          : [key, rewriteRefs(inner)],
      ),
    );
  }
  return value;
}

let cached: { document: Document; ajv: Ajv2020; validators: Map<JsonSchema, ValidateFunction> };

function checker() {
  if (!cached) {
    const document = openApiDocument() as unknown as Document;
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    ajv.addSchema({ $id: COMPONENTS_ID, $defs: rewriteRefs(document.components?.schemas ?? {}) });
    cached = { document, ajv, validators: new Map() };
  }
  return cached;
}

function validatorFor(schema: JsonSchema): ValidateFunction {
  const { ajv, validators } = checker();
  let validate = validators.get(schema);
  if (!validate) {
    validate = ajv.compile(rewriteRefs(schema) as JsonSchema);
    validators.set(schema, validate);
  }
  return validate;
}

/** A path template of the document that a request path is, literal segments winning. */
function documentRouteFor(method: string, path: string): string | undefined {
  const { document } = checker();
  const segments = path.replace(/\/$/, '').split('/');
  let best: { route: string; score: number } | undefined;
  for (const [template, operations] of Object.entries(document.paths)) {
    if (!operations[method.toLowerCase() === 'head' ? 'get' : method.toLowerCase()]) continue;
    const parts = template.split('/');
    if (parts.length !== segments.length) continue;
    let score = 0;
    const fits = parts.every((part, i) => {
      if (/^\{.+\}$/.test(part)) return segments[i] !== '';
      score += 1;
      return part === segments[i];
    });
    if (fits && (!best || score > best.score)) best = { route: template, score };
  }
  return best?.route.replace(/\{([^}]+)\}/g, ':$1');
}

function describeErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .slice(0, 12)
    .map((e) => {
      const params = JSON.stringify(e.params);
      return `    ${e.instancePath || '(body)'} ${e.message ?? ''} ${params === '{}' ? '' : params}`;
    })
    .join('\n');
}

function mediaMatches(documented: string, actual: string): boolean {
  if (documented === actual || documented === '*/*') return true;
  const [type, sub] = documented.split('/');
  return sub === '*' && actual.startsWith(`${type}/`);
}

const isJson = (media: string) => media === 'application/json' || media.endsWith('+json');

export interface CheckResult {
  failures: string[];
  /** `GET /api/v1/tickets/{id}` → status → responses seen. */
  operations: Record<string, Record<string, number>>;
}

export function checkResponses(recorded: RecordedResponse[]): CheckResult {
  const { document } = checker();
  const failures = new Map<string, { count: number; text: string }>();
  const operations: CheckResult['operations'] = {};
  const fail = (key: string, text: string) => {
    const seen = failures.get(key);
    if (seen) seen.count += 1;
    else failures.set(key, { count: 1, text });
  };
  for (const r of recorded) {
    const path = openApiPath(r.route);
    const name = `${r.method} ${path}`;
    const where = r.test ? ` (in "${r.test}")` : '';
    const operation = document.paths[path]?.[r.method.toLowerCase()];
    if (!operation) {
      fail(name, `${name} → ${r.status}: no such operation in the document${where}`);
      continue;
    }
    const statuses = (operations[name] ??= {});
    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    const documented =
      operation.responses[String(r.status)] ??
      operation.responses[`${String(r.status)[0]}XX`] ??
      operation.responses.default;
    if (!documented) {
      fail(
        `${name} ${r.status}`,
        `${name} → ${r.status}: status not documented (documented: ${Object.keys(operation.responses).join(', ')})${where}`,
      );
      continue;
    }
    const media = r.contentType.split(';')[0]?.trim().toLowerCase() ?? '';
    const content = documented.content;
    if (!content) {
      if (r.body && r.body.length > 0)
        fail(
          `${name} ${r.status} body`,
          `${name} → ${r.status}: documented without a body, but the response has one (${media || 'no content type'})${where}`,
        );
      continue;
    }
    const key = Object.keys(content).find((m) => mediaMatches(m, media));
    if (!key) {
      fail(
        `${name} ${r.status} ${media}`,
        `${name} → ${r.status}: content type "${media}" not documented (documented: ${Object.keys(content).join(', ')})${where}`,
      );
      continue;
    }
    const schema = content[key]?.schema;
    if (!isJson(media) || !schema || r.body === undefined) continue;
    let body: unknown;
    try {
      body = JSON.parse(r.body.toString('utf8'));
    } catch {
      fail(`${name} ${r.status} json`, `${name} → ${r.status}: the body is not JSON${where}`);
      continue;
    }
    const validate = validatorFor(schema);
    if (!validate(body)) {
      const errors = describeErrors(validate.errors);
      fail(
        `${name} ${r.status} ${errors}`,
        `${name} → ${r.status} (${key}): the body does not match the documented schema${where}\n${errors}`,
      );
    }
  }
  return {
    failures: [...failures.values()].map(({ count, text }) =>
      count > 1 ? `${text}\n    (and ${count - 1} more response(s) like it)` : text,
    ),
    operations,
  };
}

// --- coverage, per run -----------------------------------------------------------------------

/** Where this run's per-file coverage goes: the OS temp dir, under the run's own name. */
export function coverageDirectory(runName = testQueuePrefix()): string {
  return join(tmpdir(), 'ownit-openapi-coverage', runName);
}

export interface FileCoverage {
  testFile: string;
  responses: number;
  unrouted: number;
  failures: number;
  operations: Record<string, Record<string, number>>;
}

function writeCoverage(result: CheckResult, responses: number, unrouted: number): void {
  const testFile = jestState()?.testPath ?? 'unknown';
  const dir = coverageDirectory();
  mkdirSync(dir, { recursive: true });
  const coverage: FileCoverage = {
    testFile,
    responses,
    unrouted,
    failures: result.failures.length,
    operations: result.operations,
  };
  writeFileSync(
    join(dir, `${basename(testFile)}-${process.pid}-${randomBytes(3).toString('hex')}.json`),
    JSON.stringify(coverage),
  );
}
