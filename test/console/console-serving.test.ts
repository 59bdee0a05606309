import request from 'supertest';
import { startTestApp, type TestApp } from '../helpers/test-app';

/** The console is served by OwnIt itself, with cache headers that make new builds show at once. */
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app.close();
});

it('when the console is opened at /, then index.html comes back uncached', async () => {
  const page = await request(app.server).get('/');
  expect(page.status).toBe(200);
  expect(page.headers['content-type']).toMatch(/text\/html/);
  expect(page.headers['cache-control']).toBe('no-cache');
  expect(page.text).toContain('<div id="root">');
});

it('when a hashed asset is fetched, then it is cached for a year as immutable', async () => {
  const page = await request(app.server).get('/');
  const asset = /src="(\/assets\/[^"]+\.js)"/.exec(page.text)?.[1];
  expect(asset).toBeDefined();
  const response = await request(app.server).get(asset!);
  expect(response.status).toBe(200);
  expect(response.headers['content-type']).toMatch(/javascript/);
  expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
});

it('when a client route is reloaded, then the console answers (history fallback)', async () => {
  for (const path of ['/tickets/T-000001', '/inbox', '/sign-in', '/search?q=router']) {
    const response = await request(app.server).get(path);
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.text).toContain('<div id="root">');
  }
});

it('when a server path or a missing file is asked for, then it keeps its 404 problem', async () => {
  for (const path of [
    '/api/v1/no-such-thing',
    '/api/nothing',
    '/status',
    '/survey',
    '/dev/nothing',
    '/inbound/x',
    '/assets/missing-0000.js',
    '/favicon.ico',
  ]) {
    const response = await request(app.server)
      .get(path)
      .set('Authorization', `Bearer ${app.adminToken}`)
      .set('Accept', 'text/html');
    expect({ path, status: response.status }).toEqual({ path, status: 404 });
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
  }
});
