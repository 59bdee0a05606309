import { z } from 'zod';
import type { Operation } from './operation';
import { ALL_OPERATIONS } from './paths';

type JsonSchema = Record<string, unknown>;

/** JSON Schema (2020-12, as OpenAPI 3.1 uses) of what a client sends: the schema's input side. */
function inputSchema(schema: z.ZodType): JsonSchema {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  delete json.$schema;
  return json;
}

/** JSON Schema of what the API answers: the schema's output side. */
function outputSchema(schema: z.ZodType): JsonSchema {
  const json = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as JsonSchema;
  delete json.$schema;
  return json;
}

const PROBLEM: JsonSchema = {
  type: 'object',
  description: 'RFC 9457 problem details: the body of every error.',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    errors: {
      type: 'array',
      description: 'Each bad field (400 only).',
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: { path: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
};

const ERROR_TEXT: Record<number, string> = {
  400: 'Invalid input: `errors` names each bad field',
  401: 'No or invalid credentials',
  403: 'Not allowed for this caller',
  404: 'Not found (or not visible to this caller)',
  409: 'Conflicts with the current state',
  410: 'Gone: the link was used, replaced or has expired',
  412: 'Stale If-Match version',
  413: 'Body too large',
  415: 'Body is not JSON',
  429: 'Too many requests (Retry-After)',
  503: 'Database unavailable (Retry-After)',
};

function problemResponse(status: number) {
  return {
    description: ERROR_TEXT[status] ?? 'Error',
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
  };
}

/** `/tickets/:id` → `/tickets/{id}`. */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z_]\w*)/g, '{$1}');
}

function operationId(op: Operation): string {
  const words = op.path
    .replace(/^\/api\/v1/, '')
    .split('/')
    .filter(Boolean)
    .map((part) => (part.startsWith(':') ? `by-${part.slice(1)}` : part));
  return [op.method, ...words]
    .join('-')
    .replace(/[^A-Za-z0-9]+(.)/g, (_m, c: string) => c.toUpperCase());
}

function errorsOf(op: Operation): number[] {
  const isPublic = !op.path.startsWith('/api/v1') || op.path === '/api/v1/session';
  const errors = new Set<number>([400, 503]);
  if (!isPublic) [401, 403].forEach((s) => errors.add(s));
  if (op.path.includes(':')) errors.add(404);
  if (op.method !== 'get' && op.method !== 'delete') [409, 413, 415].forEach((s) => errors.add(s));
  if (op.path.startsWith('/api/v1/tickets/:id') && op.method !== 'get') errors.add(412);
  if (op.path === '/api/v1/session' && op.method === 'post') errors.add(429);
  for (const status of op.errors ?? []) errors.add(status);
  return [...errors].sort();
}

function buildOperation(area: string, op: Operation) {
  const parameters: JsonSchema[] = [];
  for (const match of op.path.matchAll(/:([A-Za-z_]\w*)/g)) {
    parameters.push({ name: match[1], in: 'path', required: true, schema: { type: 'string' } });
  }
  if (op.query) {
    const query = inputSchema(op.query);
    const required = new Set((query.required as string[] | undefined) ?? []);
    const properties = (query.properties ?? {}) as Record<string, JsonSchema>;
    for (const [name, schema] of Object.entries(properties)) {
      parameters.push({ name, in: 'query', required: required.has(name), schema });
    }
  }
  const successType = op.successType ?? 'application/json';
  const body: JsonSchema = op.response
    ? outputSchema(op.response)
    : successType === 'application/json'
      ? { type: 'object' }
      : {};
  const success =
    op.success === 204
      ? { description: 'Done; no body' }
      : {
          description: 'Success',
          content: {
            [successType]: { schema: body },
            ...Object.fromEntries(
              (op.alsoTypes ?? []).map(({ type, response }) => [
                type,
                { schema: response ? outputSchema(response) : {} },
              ]),
            ),
          },
        };
  const responses: Record<string, unknown> = { [String(op.success)]: success };
  for (const status of op.alsoSuccess ?? []) responses[String(status)] = success;
  for (const status of errorsOf(op)) {
    const type = op.errorTypes?.[status];
    responses[String(status)] = type
      ? { description: ERROR_TEXT[status] ?? 'Error', content: { [type]: { schema: {} } } }
      : problemResponse(status);
  }
  const isPublic = !op.path.startsWith('/api/v1') || op.path.startsWith('/api/v1/password');
  return {
    operationId: operationId(op),
    summary: op.summary ?? `${op.method.toUpperCase()} ${op.path}`,
    ...(op.description ? { description: op.description } : {}),
    tags: [area],
    ...(isPublic ? { security: [] } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(op.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: inputSchema(op.body) } },
          },
        }
      : {}),
    responses,
  };
}

/** The OpenAPI 3.1 document of the API, generated from the areas' operations and zod schemas. */
export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { area, operations } of ALL_OPERATIONS) {
    for (const op of operations) {
      const path = openApiPath(op.path);
      paths[path] ??= {};
      paths[path][op.method] = buildOperation(area, op);
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'OwnIt API',
      version: '1',
      description:
        'The helpdesk where whoever takes a customer concern owns it until it is resolved. Errors are application/problem+json.',
      license: { name: 'AGPL-3.0-or-later', identifier: 'AGPL-3.0-or-later' },
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }, { session: [] }],
    tags: ALL_OPERATIONS.map(({ area }) => ({ name: area })),
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An agent token (oit_…)' },
        session: { type: 'apiKey', in: 'cookie', name: 'ownit_session' },
      },
      schemas: { Problem: PROBLEM },
    },
  };
}
