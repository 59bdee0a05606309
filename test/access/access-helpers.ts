import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import type { DataSource } from 'typeorm';
import type { Fixtures } from '../helpers/factories';

/** Shared by the access tests only (not a test file itself). */

export const PROBLEM_CONTENT_TYPE = /^application\/problem\+json\b/;

/** A refusal is a problem+json `{ type, title, status, detail }` with the same status, and no stack. */
export function expectProblem(res: Response, status: number): void {
  expect({ status: res.status, body: res.body }).toMatchObject({ status });
  expect(res.headers['content-type']).toMatch(PROBLEM_CONTENT_TYPE);
  expect(Object.keys(res.body).sort()).toEqual(['detail', 'status', 'title', 'type']);
  expect(res.body).toEqual({
    type: expect.stringMatching(/\S/),
    title: expect.stringMatching(/\S/),
    status,
    detail: expect.any(String),
  });
  expect(res.text).not.toMatch(/\n\s+at .+[:(]\d+/);
}

export const expectUnauthenticated = (res: Response): void => {
  expectProblem(res, 401);
  expect(res.headers['www-authenticate']).toMatch(/^Bearer\b/i);
};
export const expectForbidden = (res: Response): void => expectProblem(res, 403);
export const expectNotFound = (res: Response): void => expectProblem(res, 404);

/** A UUID that names nothing. */
export const nowhere = (): string => randomUUID();

export type Method = 'post' | 'patch';

export interface Write {
  method: Method;
  path: string;
  body: Record<string, unknown>;
}

export function send(f: Fixtures, token: string | undefined, write: Write) {
  const as = f.as(token);
  return write.method === 'post'
    ? as.post(write.path, write.body)
    : as.patch(write.path, write.body);
}

export const RESOLVE_BODY = {
  resolution: 'Replaced the router',
  rootCause: { silo: 'field_service', category: 'hardware' },
};

/** Everything about a ticket that a write could touch: the row itself and what hangs off it. */
export async function ticketState(db: DataSource, ticketId: string) {
  const [row] = await db.query(
    `SELECT row_to_json(t)::jsonb AS row FROM tickets t WHERE t.id = $1`,
    [ticketId],
  );
  const [counts] = await db.query(
    `SELECT
       (SELECT count(*)::int FROM timeline_events WHERE ticket_id = $1) AS events,
       (SELECT count(*)::int FROM handoffs WHERE ticket_id = $1) AS handoffs,
       (SELECT string_agg(status, ',' ORDER BY id) FROM handoffs WHERE ticket_id = $1) AS "handoffStatuses",
       (SELECT count(*)::int FROM outbox_emails WHERE ticket_id = $1) AS emails,
       (SELECT count(*)::int FROM ownership_periods WHERE ticket_id = $1) AS periods`,
    [ticketId],
  );
  return {
    ticket: row?.row as Record<string, unknown> & { version: number; owner_id: string },
    ...counts,
  };
}

export async function agentRow(db: DataSource, agentId: string) {
  const [row] = await db.query(
    `SELECT row_to_json(a)::jsonb AS row FROM agents a WHERE a.id = $1`,
    [agentId],
  );
  return row?.row as Record<string, unknown> & { away: boolean; capacity: number; active: boolean };
}

export async function teamRow(db: DataSource, teamId: string) {
  const [row] = await db.query(`SELECT row_to_json(t)::jsonb AS row FROM teams t WHERE t.id = $1`, [
    teamId,
  ]);
  return row?.row as Record<string, unknown>;
}
