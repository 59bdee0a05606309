import { startTestApp, type TestApp } from '../helpers/test-app';
import { Fixtures } from '../helpers/factories';

let app: TestApp;
let f: Fixtures;

beforeAll(async () => {
  app = await startTestApp();
  f = new Fixtures(app);
});
afterAll(() => app.close());

describe('health endpoints', () => {
  it('when the process is up, then GET /healthz answers 200 without a token', async () => {
    const res = await f.http().get('/healthz');

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('when Postgres and Redis are reachable, then GET /readyz answers 200 with both checks ok', async () => {
    const res = await f.http().get('/readyz');

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ checks: { postgres: 'ok', redis: 'ok' } });
  });
});
