import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { Fixtures } from '../helpers/factories';
import { startTestApp, type TestApp } from '../helpers/test-app';
import {
  withIds,
  cursorOf,
  deeplyNestedEmail,
  poisonRequest,
  type PoisonRequest,
} from '../faults/poison-catalogue';

/**
 * Poison input answers 4xx problem+json naming the field, never 500: checked for the cases once
 * seen answering 500, then by a property-based fuzzer over every route family.
 */
let app: TestApp;
let f: Fixtures;
let ids: Record<string, string>;
let repToken: string;

beforeAll(async () => {
  app = await startTestApp();
  f = new Fixtures(app);
  const { team, reps, customer } = await f.staffedTeam();
  const rep = reps[0]!;
  repToken = rep.token;
  const ticket = await f.ticket(rep.token, customer.id, { subject: 'Poison' });
  ids = { ':ticket': ticket.id, ':customer': customer.id, ':team': team.id, ':agent': rep.id };
});
afterAll(() => app.close());

/** Percent-encodes the UTF-8 bytes, so NUL and any other byte reach the server as sent. */
const encode = (value: string) =>
  [...Buffer.from(value, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');

function expectRefused(
  res: { status: number; headers: Record<string, string>; body: unknown },
  field?: string,
) {
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  if (field) {
    const errors = (res.body as { errors?: Array<{ path: string }> }).errors ?? [];
    expect(errors.map((e) => e.path)).toContain(field);
  }
}

const rawJson = (path: string, json: string) =>
  f
    .http()
    .post(`/api/v1${path}`)
    .set('Authorization', `Bearer ${repToken}`)
    .set('Content-Type', 'application/json')
    .send(json);

describe('known poison', () => {
  it('when a text field holds a lone UTF-16 surrogate, then 400 names the field and nothing is written', async () => {
    const res = await rawJson(
      `/tickets/${ids[':ticket']}/updates`,
      '{"body":"\\ud800","visibility":"public"}',
    );
    expectRefused(res, 'body');
    const [row] = await app.dataSource.query(
      `SELECT count(*)::int AS n FROM timeline_events WHERE ticket_id = $1 AND type = 'public_update'`,
      [ids[':ticket']],
    );
    expect(row.n).toBe(0);
  });

  it('when an object key holds a lone surrogate, then 400', async () => {
    expectRefused(await rawJson('/tickets', '{"\\udc00":"x"}'));
  });

  it('when a query holds a NUL byte, then 400 names the parameter', async () => {
    expectRefused(await f.as(repToken).get('/customers?email=a%00b'), 'email');
  });

  it('when a cursor holds a NUL byte, raw or inside, then 400 names the cursor', async () => {
    expectRefused(await f.as(repToken).get('/tickets?cursor=a%00b'), 'cursor');
    const inside = cursorOf({ r: '2026-01-01T00:00:00Z\u0000', id: randomUUID() });
    expectRefused(await f.as(repToken).get(`/tickets?cursor=${inside}`), 'cursor');
  });

  it.each([
    ['year 0000', '0000-01-01T00:00:00Z'],
    ['an offset beyond 15:59', '2026-03-01T10:00:00+16:00'],
    ['an offset of -23:59', '2026-03-01T10:00:00-23:59'],
  ])('when a cursor time has %s, then 400 (not a Postgres error)', async (_what, time) => {
    for (const [path, position] of [
      ['/tickets', { r: time, id: randomUUID() }],
      ['/customers', { c: time, id: randomUUID() }],
      ['/overdue', { due: time, id: randomUUID() }],
    ] as const) {
      expectRefused(await f.admin().get(`${path}?cursor=${cursorOf(position)}`), 'cursor');
    }
  });

  it('when a promise is due in year 0000, then 400 names dueAt', async () => {
    const res = await f.as(repToken).post(`/tickets/${ids[':ticket']}/promises`, {
      description: 'Technician visit',
      dueAt: '0000-01-01T09:00:00Z',
      silo: 'field_service',
    });
    expectRefused(res, 'dueAt');
  });

  it('when an inbound email nests 2,000 multiparts, then it is refused with a 4xx (a gateway would retry a 5xx forever)', async () => {
    const res = await f
      .http()
      .post(`/api/v1/inbound/email?teamId=${ids[':team']}`)
      .set('Authorization', `Bearer ${app.adminToken}`)
      .set('Content-Type', 'message/rfc822')
      .send(deeplyNestedEmail(2_000));
    expectRefused(res, 'body');
  });
});

describe('fuzzed input', () => {
  /** As the ticket's owner, and as an admin where the owner may not (so validation is reached). */
  async function send(request: PoisonRequest) {
    const res = await sendAs(repToken, request);
    return res.status === 403 ? sendAs(app.adminToken, request) : res;
  }

  async function sendAs(token: string, { route, input: template }: PoisonRequest) {
    const path = route.path.replace(/:\w+/g, (name) =>
      Object.hasOwn(ids, name) ? ids[name]! : name,
    );
    const input = withIds(template, ids);
    if (route.method === 'get') {
      const query = Object.entries(input)
        .map(
          ([key, value]) =>
            `${key}=${encode(typeof value === 'string' ? value : JSON.stringify(value))}`,
        )
        .join('&');
      return f.as(token).get(`${path}${query ? `?${query}` : ''}`);
    }
    return f.as(token)[route.method](path, input);
  }

  it('when any route gets poisoned fields, then it never answers 5xx', async () => {
    const runs = Number(process.env.FUZZ_RUNS ?? 150);
    const seen: Array<{ status: number; request: string; answer: string }> = [];
    await fc.assert(
      fc.asyncProperty(poisonRequest, async (request) => {
        const res = await send(request);
        if (res.status >= 500) {
          seen.push({
            status: res.status,
            request: JSON.stringify(request).slice(0, 300),
            answer: JSON.stringify(res.body).slice(0, 300),
          });
        }
        return res.status < 500;
      }),
      { numRuns: runs },
    );
    expect(seen).toEqual([]);
  }, 120_000);
});
