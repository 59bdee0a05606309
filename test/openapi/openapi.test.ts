import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { openApiDocument, openApiPath } from '../../src/openapi/document';
import { listRoutes } from '../../src/http/route-table';
import { startTestApp, type TestApp } from '../helpers/test-app';

/** The OpenAPI 3.1 document: served, browsable, lint-clean, and describing every route. */
let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

/** Routes that are not API operations: the console, the docs themselves, the queue board UI. */
function undocumentedOnPurpose(method: string, path: string, regexp: boolean): boolean {
  return (
    regexp ||
    path.startsWith('/api/docs') ||
    path === '/api/v1/openapi.json' ||
    path.startsWith('/admin/queues') ||
    method === '*'
  );
}

describe('the OpenAPI document', () => {
  it('when a client asks for /api/v1/openapi.json without signing in, then it gets the OpenAPI 3.1 document', async () => {
    const res = await request(app.server).get('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body.openapi).toBe('3.1.0');
    expect(res.body.paths['/api/v1/tickets/{id}'].get.responses['404'].content).toHaveProperty([
      'application/problem+json',
    ]);
  });

  it('when a person opens /api/docs, then Swagger UI loads on the document', async () => {
    const page = await request(app.server).get('/api/docs');
    expect(page.status).toBe(200);
    expect(page.text).toContain('swagger-ui-bundle.js');
    const bundle = await request(app.server).get('/api/docs/swagger-ui-bundle.js');
    expect(bundle.status).toBe(200);
    const init = await request(app.server).get('/api/docs/ownit-init.js');
    expect(init.text).toContain('/api/v1/openapi.json');
  });

  it('when the router is walked, then every registered route has its operation in the document', () => {
    const express = app.express;
    const paths = openApiDocument().paths as Record<string, Record<string, unknown>>;
    const missing = listRoutes(express)
      .filter((r) => !undocumentedOnPurpose(r.method, r.path, r.regexp))
      .filter((r) => !paths[openApiPath(r.path)]?.[r.method.toLowerCase()])
      .map((r) => `${r.method} ${r.path}`);
    expect(missing).toEqual([]);
  });

  it('when the document is linted by @redocly/cli, then it has no errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ownit-openapi-'));
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(openApiDocument(), null, 2));
    const lint = spawnSync(
      join(__dirname, '../../node_modules/.bin/redocly'),
      ['lint', file, '--config', join(__dirname, '../../redocly.yaml'), '--format', 'stylish'],
      { encoding: 'utf8', env: { ...process.env, REDOCLY_TELEMETRY: 'off', NO_COLOR: '1' } },
    );
    expect({ status: lint.status, output: `${lint.stdout}${lint.stderr}` }).toMatchObject({
      status: 0,
    });
  }, 60_000);
});
