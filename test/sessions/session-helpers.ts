import request from 'supertest';
import type { TestApp } from '../helpers/test-app';

export const PASSWORD = 'correct horse battery staple';
export const ORIGIN = 'http://ownit.test';

/** The raw Set-Cookie line for the session cookie, if the response set one. */
export function sessionSetCookie(res: request.Response): string | undefined {
  const header = res.headers['set-cookie'] as unknown as string[] | string | undefined;
  const lines = Array.isArray(header) ? header : header ? [header] : [];
  return lines.find((line) => line.startsWith('ownit_session='));
}

/** "ownit_session=<value>", ready for a Cookie header. */
export function cookieOf(res: request.Response): string {
  const line = sessionSetCookie(res);
  if (!line) throw new Error(`no session cookie in ${res.status} response`);
  return line.split(';')[0]!;
}

export async function signIn(app: TestApp, email: string, password = PASSWORD): Promise<string> {
  const res = await request(app.server)
    .post('/api/v1/session')
    .send({ email, password })
    .expect(200);
  return cookieOf(res);
}

/** Requests as a browser on the console's own origin would send them. */
export function withCookie(app: TestApp, cookie: string) {
  const http = request(app.server);
  return {
    get: (path: string) => http.get(`/api/v1${path}`).set('Cookie', cookie),
    post: (path: string, body: Record<string, unknown> = {}, origin: string | null = ORIGIN) => {
      const test = http.post(`/api/v1${path}`).set('Cookie', cookie);
      return (origin ? test.set('Origin', origin) : test).send(body);
    },
    patch: (path: string, body: Record<string, unknown>, origin: string | null = ORIGIN) => {
      const test = http.patch(`/api/v1${path}`).set('Cookie', cookie);
      return (origin ? test.set('Origin', origin) : test).send(body);
    },
    delete: (path: string, origin: string | null = ORIGIN) => {
      const test = http.delete(`/api/v1${path}`).set('Cookie', cookie);
      return origin ? test.set('Origin', origin) : test;
    },
  };
}
