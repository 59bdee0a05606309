import fc from 'fast-check';

/**
 * Poison input for every route family: the values that once reached Postgres and answered 500
 * (lone surrogates, NUL, times Postgres refuses), mixed by fast-check into bodies and queries
 * shaped like each route's schema. Shared by the in-process test and the fault suite.
 */
export const POISON_STRINGS = [
  '\ud800',
  'a\udc00b',
  'tail\udbff',
  'a\u0000b',
  '\u0000',
  '0000-01-01T00:00:00Z',
  '2026-03-01T10:00:00+16:00',
  '2026-03-01T10:00:00-23:59',
  '9999-12-31T23:59:59+15:59',
  '2026-02-30T10:00:00Z',
  '2026-03-01T24:00:00Z',
  'x'.repeat(70_000),
  '../../etc/passwd',
  "'; DROP TABLE tickets; --",
  '😀'.repeat(3),
  '-1',
  '1e309',
  'NaN',
  '00000000-0000-0000-0000-000000000000',
] as const;

/** Valid values of the enum and id fields, so that poison in one field meets valid others. */
const PLAUSIBLE_STRINGS = [
  'public',
  'internal',
  'open',
  'resolved',
  'high',
  'normal',
  'vip',
  'standard',
  'rep',
  'field_service',
  'hardware',
  'email',
  'phone',
  'Europe/Berlin',
  'en',
  'de-DE',
  'someone@example.test',
  '2026-03-01T10:00:00Z',
  '2026-03-01',
  'Line down since Monday',
] as const;

const poisonString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...POISON_STRINGS) },
  { weight: 3, arbitrary: fc.constantFrom(...PLAUSIBLE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
);

const scalar = fc.oneof(poisonString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null));

const poisonValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(poisonString, tie('value'), { maxKeys: 3 }),
  ),
})).value;

/** Cursors: base64url JSON whose fields are poison, or raw poison. */
export const poisonCursor = fc.oneof(
  poisonString,
  fc
    .dictionary(fc.constantFrom('r', 'c', 'd', 'due', 'id', 'seq', 'rank'), scalar, {
      maxKeys: 3,
    })
    .map((position) => Buffer.from(JSON.stringify(position), 'utf8').toString('base64url')),
);

export interface RouteShape {
  method: 'get' | 'post' | 'patch';
  /** ":ticket", ":customer", ":team", ":agent" are replaced with real ids. */
  path: string;
  fields: string[];
}

export const ROUTES: RouteShape[] = [
  {
    method: 'get',
    path: '/tickets',
    fields: ['cursor', 'limit', 'status', 'teamId', 'ownerId', 'customerId', 'q'],
  },
  { method: 'get', path: '/customers', fields: ['email', 'cursor', 'limit', 'q'] },
  { method: 'get', path: '/agents', fields: ['cursor', 'limit', 'teamId', 'role'] },
  { method: 'get', path: '/overdue', fields: ['cursor', 'limit', 'teamId'] },
  { method: 'get', path: '/me/queue', fields: ['cursor', 'limit'] },
  { method: 'get', path: '/me/handoffs', fields: ['cursor', 'limit'] },
  { method: 'get', path: '/me/consults', fields: ['cursor', 'limit'] },
  { method: 'get', path: '/tickets/:ticket/timeline', fields: ['cursor', 'limit'] },
  { method: 'get', path: '/reports/sla', fields: ['from', 'to', 'teamId', 'format'] },
  { method: 'get', path: '/reports/root-causes', fields: ['from', 'to', 'teamId', 'format'] },
  {
    method: 'get',
    path: '/reports/at-risk-customers',
    fields: ['cursor', 'limit', 'teamId', 'format'],
  },
  {
    method: 'post',
    path: '/tickets',
    fields: ['customerId', 'subject', 'description', 'channel', 'priority', 'category', 'teamId'],
  },
  {
    method: 'patch',
    path: '/tickets/:ticket',
    fields: ['subject', 'priority', 'category', 'status'],
  },
  { method: 'post', path: '/tickets/:ticket/updates', fields: ['body', 'visibility'] },
  { method: 'post', path: '/tickets/:ticket/customer-messages', fields: ['body'] },
  { method: 'post', path: '/tickets/:ticket/promises', fields: ['description', 'dueAt', 'silo'] },
  {
    method: 'post',
    path: '/tickets/:ticket/consults',
    fields: ['agentId', 'teamId', 'question', 'dueAt'],
  },
  { method: 'post', path: '/tickets/:ticket/handoffs', fields: ['toAgentId', 'note'] },
  { method: 'post', path: '/tickets/:ticket/reopen', fields: ['reason'] },
  { method: 'post', path: '/tickets/:ticket/resolve', fields: ['resolution', 'rootCause'] },
  {
    method: 'post',
    path: '/customers',
    fields: ['name', 'email', 'tier', 'locale', 'notificationPreference'],
  },
  { method: 'patch', path: '/customers/:customer', fields: ['name', 'email', 'tier', 'locale'] },
  { method: 'post', path: '/customers/:customer/churn', fields: ['reason', 'at'] },
  {
    method: 'post',
    path: '/teams',
    fields: ['name', 'timezone', 'businessHours', 'holidays', 'sameDayCutoff', 'policy'],
  },
  { method: 'patch', path: '/teams/:team', fields: ['name', 'timezone', 'holidays', 'policy'] },
  { method: 'post', path: '/agents', fields: ['name', 'email', 'role', 'teamId', 'capacity'] },
  { method: 'patch', path: '/agents/:agent', fields: ['name', 'capacity', 'away', 'active'] },
];

/** A valid value per field name (ids as placeholders that the sender replaces with real ones). */
const VALID_FIELD_VALUES: Record<string, unknown[]> = {
  visibility: ['public', 'internal'],
  channel: ['email', 'phone', 'web'],
  priority: ['low', 'normal', 'high'],
  tier: ['standard', 'vip'],
  role: ['rep'],
  silo: ['field_service', 'billing'],
  status: ['open', 'waiting_on_customer'],
  customerId: [':customer'],
  teamId: [':team'],
  agentId: [':agent'],
  toAgentId: [':agent'],
  ownerId: [':agent'],
  timezone: ['Europe/Berlin'],
  locale: ['en', 'de-DE'],
  dueAt: ['2030-03-01T10:00:00Z'],
  at: ['2026-03-01T10:00:00Z'],
  from: ['2026-01-01'],
  to: ['2026-12-31'],
  capacity: [5],
  email: ['someone@example.test'],
  limit: ['10'],
  rootCause: [{ silo: 'billing', category: 'invoice' }],
};

const fieldValue = (field: string, poison: fc.Arbitrary<unknown>) =>
  VALID_FIELD_VALUES[field]
    ? fc.oneof(
        { weight: 3, arbitrary: fc.constantFrom(...VALID_FIELD_VALUES[field]) },
        { weight: 2, arbitrary: poison },
      )
    : poison;

export interface PoisonRequest {
  route: RouteShape;
  input: Record<string, unknown>;
}

/** A request to one of the routes, with each chosen field poisoned (cursor fields get cursors). */
export const poisonRequest: fc.Arbitrary<PoisonRequest> = fc
  .constantFrom(...ROUTES)
  .chain((route) =>
    fc
      .record(
        Object.fromEntries(
          route.fields.map((field) => [
            field,
            fieldValue(
              field,
              route.method === 'get'
                ? field === 'cursor'
                  ? poisonCursor
                  : poisonString
                : fc.oneof(
                    { weight: 4, arbitrary: poisonString },
                    { weight: 1, arbitrary: poisonValue },
                  ),
            ),
          ]),
        ),
        // Most requests carry every field (so validation reaches the poisoned one), some a subset.
        { requiredKeys: route.method === 'get' ? [] : route.fields },
      )
      .map((input) => ({ route, input: input as Record<string, unknown> })),
  );

/** An inbound message nested `depth` multiparts deep (mailparser gives up at its limit). */
export function deeplyNestedEmail(depth: number): Buffer {
  let body = 'Hello';
  for (let i = depth; i > 0; i--) {
    body = `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n${body}\r\n--b${i}--`;
  }
  return Buffer.from(
    `From: nested@example.test\r\nTo: support@ownit.test\r\nSubject: deep\r\n` +
      `Message-ID: <nested-${depth}-${Date.now()}@example.test>\r\nMIME-Version: 1.0\r\n${body}\r\n`,
  );
}

export function cursorOf(position: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

/** Replaces id placeholders (":ticket", ":customer" …) in field values with real ids. */
export function withIds(input: Record<string, unknown>, ids: Record<string, string>) {
  return Object.fromEntries(
    Object.entries(input).map(([key, value]) => [
      key,
      typeof value === 'string' && Object.hasOwn(ids, value) ? ids[value] : value,
    ]),
  );
}
