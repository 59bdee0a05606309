import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { TestApp } from './test-app';

export const unique = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

/** Open every day, all day: deadlines land on today's close in the team's timezone. */
export const ALWAYS_OPEN = Object.fromEntries(
  ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [
    day,
    { open: '00:00', close: '23:59' },
  ]),
);

export interface AgentFixture {
  id: string;
  name: string;
  email: string;
  role: string;
  teamId: string | null;
  capacity: number;
  token: string;
}

type Body = Record<string, unknown>;

/** Builds data through the public API, the way a user would, with unique names per call. */
export class Fixtures {
  constructor(private readonly app: TestApp) {}

  http() {
    return request(this.app.server);
  }

  /** Requests as the holder of `token`; `undefined` sends no Authorization header. */
  as(token: string | undefined) {
    const withAuth = (test: request.Test) =>
      token ? test.set('Authorization', `Bearer ${token}`) : test;
    return {
      get: (path: string) => withAuth(this.http().get(`/api/v1${path}`)),
      post: (path: string, body?: Body) =>
        withAuth(this.http().post(`/api/v1${path}`)).send(body ?? {}),
      patch: (path: string, body?: Body) =>
        withAuth(this.http().patch(`/api/v1${path}`)).send(body ?? {}),
      delete: (path: string) => withAuth(this.http().delete(`/api/v1${path}`)),
    };
  }

  admin() {
    return this.as(this.app.adminToken);
  }

  async team(overrides: Body = {}): Promise<{ id: string; name: string; [k: string]: unknown }> {
    const res = await this.admin().post('/teams', {
      name: unique('Team'),
      timezone: 'Europe/Berlin',
      businessHours: ALWAYS_OPEN,
      ...overrides,
    });
    expect(res.status).toBe(201);
    return res.body;
  }

  async agent(role: string, teamId: string | null, overrides: Body = {}): Promise<AgentFixture> {
    const name = unique(role === 'rep' ? 'Rep' : role);
    const res = await this.admin().post('/agents', {
      name,
      email: `${name.toLowerCase()}@example.test`,
      role,
      ...(teamId ? { teamId } : {}),
      ...overrides,
    });
    expect(res.status).toBe(201);
    return res.body;
  }

  async customer(
    overrides: Body = {},
  ): Promise<{ id: string; email: string; [k: string]: unknown }> {
    const name = unique('Customer');
    const res = await this.admin().post('/customers', {
      name,
      email: `${name.toLowerCase()}@customer.test`,
      ...overrides,
    });
    expect(res.status).toBe(201);
    return res.body;
  }

  async ticket(token: string, customerId: string, overrides: Body = {}) {
    const res = await this.as(token).post('/tickets', {
      customerId,
      subject: 'Internet down',
      description: 'No connection since this morning',
      channel: 'phone',
      ...overrides,
    });
    expect(res.status).toBe(201);
    return res.body as TicketBody;
  }

  /** A team with one supervisor and two reps, plus a customer. */
  async staffedTeam(options: { reps?: number; capacity?: number; team?: Body } = {}) {
    const team = await this.team(options.team);
    const supervisor = await this.agent('supervisor', team.id);
    const reps: AgentFixture[] = [];
    for (let i = 0; i < (options.reps ?? 2); i++) {
      reps.push(
        await this.agent(
          'rep',
          team.id,
          options.capacity !== undefined ? { capacity: options.capacity } : {},
        ),
      );
    }
    const customer = await this.customer();
    return { team, supervisor, reps, customer };
  }
}

export interface TicketBody {
  id: string;
  ref: string;
  status: string;
  customerId: string;
  teamId: string;
  ownerId: string;
  version: number;
  firstResponseDueAt: string | null;
  firstRespondedAt: string | null;
  nextUpdateDueAt: string | null;
  [key: string]: unknown;
}
