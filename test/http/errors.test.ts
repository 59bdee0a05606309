import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Response } from 'supertest';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { Fixtures, unique } from '../helpers/factories';

let app: TestApp;
let f: Fixtures;

beforeAll(async () => {
  app = await startTestApp();
  f = new Fixtures(app);
});
afterAll(() => app.close());

/** Every error is problem+json with type, title, status and detail, and never leaks a stack trace. */
function expectProblem(res: Response, status: number): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toEqual(
    expect.objectContaining({
      type: expect.any(String),
      title: expect.any(String),
      status,
      detail: expect.any(String),
    }),
  );
  expect(res.body).not.toHaveProperty('stack');
  expect(res.text).not.toMatch(/\bstack\b/i);
  expect(res.text).not.toMatch(/\bat \S+ \(/); // "at fn (file:line:col)"
  expect(res.text).not.toMatch(/node_modules|\.ts:\d+/);
}

const errorPaths = (res: Response) => (res.body.errors ?? []).map((e: { path: string }) => e.path);

const newCustomer = () => {
  const name = unique('Customer');
  return { name, email: `${name.toLowerCase()}@customer.test` };
};

function rawPost(path: string, contentType: string, body: string) {
  return f
    .http()
    .post(`/api/v1${path}`)
    .set('Authorization', `Bearer ${app.adminToken}`)
    .set('Content-Type', contentType)
    .send(body);
}

describe('bad request bodies', () => {
  it('when a body has an unknown field, then it gets a 400 naming that field', async () => {
    const res = await f.admin().post('/customers', { ...newCustomer(), favouriteColour: 'teal' });

    expectProblem(res, 400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'favouriteColour' })]);
  });

  it('when the JSON is malformed, then it gets a 400 problem', async () => {
    const res = await rawPost('/customers', 'application/json', '{"name": "Ann", ');

    expectProblem(res, 400);
  });

  it('when the body is larger than 256 KiB, then it gets a 413 problem and nothing is stored', async () => {
    const customer = newCustomer();
    const body = JSON.stringify({ ...customer, name: 'x'.repeat(257 * 1024) });

    const res = await rawPost('/customers', 'application/json', body);

    expectProblem(res, 413);
    const rows = await app.dataSource.query(`SELECT 1 FROM customers WHERE email = $1`, [
      customer.email,
    ]);
    expect(rows).toHaveLength(0);
  });

  it('when an oversized body is streamed without a length (chunked), then it still gets a 413 problem', async () => {
    const port = (app.server.address() as AddressInfo).port;
    const res = await new Promise<{ status?: number; contentType?: string; text: string }>(
      (resolve, reject) => {
        const req = http.request(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/api/v1/customers',
            headers: {
              'Content-Type': 'application/json',
              Authorization: `Bearer ${app.adminToken}`,
            },
          },
          (response) => {
            let text = '';
            response.on('data', (chunk) => (text += chunk));
            response.on('end', () =>
              resolve({
                status: response.statusCode,
                contentType: response.headers['content-type'],
                text,
              }),
            );
          },
        );
        req.on('error', reject);
        req.write('{"name":"');
        for (let i = 0; i < 40; i++) req.write('x'.repeat(8 * 1024));
        req.end('","email":"chunked@customer.test"}');
      },
    );

    expect(res.status).toBe(413);
    expect(res.contentType).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(res.text)).toMatchObject({
      status: 413,
      type: expect.any(String),
      title: expect.any(String),
    });
  });

  it('when a text field contains a NUL character, then it gets a 400 naming the field, not a 500', async () => {
    const customer = newCustomer();

    const res = await f.admin().post('/customers', { ...customer, name: 'Ann\u0000Smith' });

    expectProblem(res, 400);
    expect(errorPaths(res)).toEqual(['name']);
  });

  it('when a body is sent as text/plain, then it gets a 415 problem', async () => {
    const res = await rawPost('/customers', 'text/plain', JSON.stringify(newCustomer()));

    expectProblem(res, 415);
  });
});

describe('unknown things', () => {
  it('when a route does not exist, then it gets a 404 problem, inside and outside the API', async () => {
    expectProblem(await f.admin().get('/no-such-thing'), 404);
    // Outside the API, unknown paths are the console's client routes; server paths still 404.
    expectProblem(await f.http().get('/api/no-such-thing'), 404);
    expectProblem(await f.http().get('/healthz/no-such-thing'), 404);
  });

  it('when a path id is not a UUID, then it gets a 404 problem, not a 500', async () => {
    for (const path of [
      '/tickets/not-a-uuid',
      '/teams/not-a-uuid',
      '/customers/123',
      '/agents/%27%3B--',
    ]) {
      expectProblem(await f.admin().get(path), 404);
    }
    expectProblem(await f.admin().get('/tickets/not-a-uuid/timeline'), 404);
    expectProblem(await f.admin().patch('/tickets/not-a-uuid', { priority: 'high' }), 404);
  });

  it('when a path has broken percent-encoding, then it gets a 4xx problem, not a 500', async () => {
    const res = await f.admin().get('/tickets/%E0%A4%A');

    expect([400, 404]).toContain(res.status);
    expectProblem(res, res.status);
  });

  it('when a path id is a well-formed UUID that names nothing, then it gets a 404 problem', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    for (const path of [`/tickets/${missing}`, `/teams/${missing}`, `/customers/${missing}`]) {
      expectProblem(await f.admin().get(path), 404);
    }
  });
});

describe('headers', () => {
  it('when If-Match is not a version, then it gets a 400 naming If-Match', async () => {
    const { reps, customer } = await f.staffedTeam({ reps: 1 });
    const ticket = await f.ticket(reps[0]!.token, customer.id);

    const res = await f
      .as(reps[0]!.token)
      .patch(`/tickets/${ticket.id}`, { priority: 'high' })
      .set('If-Match', 'banana');

    expectProblem(res, 400);
    expect(errorPaths(res)).toEqual(['If-Match']);
    const after = await f.as(reps[0]!.token).get(`/tickets/${ticket.id}`);
    expect(after.body).toMatchObject({ priority: 'normal', version: ticket.version });
  });

  it('when If-Match names an old version, then it gets a 412 problem', async () => {
    const { reps, customer } = await f.staffedTeam({ reps: 1 });
    const ticket = await f.ticket(reps[0]!.token, customer.id);
    await f.as(reps[0]!.token).patch(`/tickets/${ticket.id}`, { priority: 'low' }).expect(200);

    const res = await f
      .as(reps[0]!.token)
      .patch(`/tickets/${ticket.id}`, { priority: 'high' })
      .set('If-Match', String(ticket.version));

    expectProblem(res, 412);
  });

  it('when no bearer token is sent, then it gets a 401 problem', async () => {
    expectProblem(await f.as(undefined).get('/me'), 401);
    expectProblem(await f.as('not-a-real-token').get('/me'), 401);
  });
});
