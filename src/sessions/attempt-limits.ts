import type { EntityManager } from 'typeorm';
import { TooManyRequests } from '../errors';

/**
 * Counting failed sign-ins and reset requests in a sliding window, per account and per client
 * address, in Postgres, so every API process sees the same counts.
 */
export type AttemptKind = 'sign_in_failure' | 'reset_request';

export async function recordAttempt(
  manager: EntityManager,
  kind: AttemptKind,
  email: string,
  ip: string,
  at: Date,
): Promise<void> {
  await manager.query(`INSERT INTO auth_attempts (kind, email, ip, at) VALUES ($1, $2, $3, $4)`, [
    kind,
    email,
    ip,
    at,
  ]);
}

/**
 * Seconds until fewer than `limit` attempts remain in the window, or 0 if there already are.
 * The limit-th newest attempt is the one whose ageing out frees a try.
 */
export async function secondsUntilAllowed(
  manager: EntityManager,
  by: { kind: AttemptKind; column: 'email' | 'ip'; value: string },
  limit: number,
  windowMinutes: number,
  now: Date,
): Promise<number> {
  const windowStart = new Date(now.getTime() - windowMinutes * 60_000);
  const rows: Array<{ at: Date }> = await manager.query(
    `SELECT at FROM auth_attempts
      WHERE kind = $1 AND ${by.column === 'email' ? 'email' : 'ip'} = $2 AND at > $3
      ORDER BY at DESC OFFSET $4 LIMIT 1`,
    [by.kind, by.value, windowStart, limit - 1],
  );
  const blocking = rows[0];
  if (!blocking) return 0;
  const freeAt = blocking.at.getTime() + windowMinutes * 60_000;
  return Math.max(1, Math.ceil((freeAt - now.getTime()) / 1000));
}

export function tooMany(what: string, seconds: number): TooManyRequests {
  const minutes = Math.ceil(seconds / 60);
  return new TooManyRequests(
    `Too many ${what}. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
    seconds,
  );
}

export async function clearAttempts(
  manager: EntityManager,
  kind: AttemptKind,
  email: string,
): Promise<void> {
  await manager.query(`DELETE FROM auth_attempts WHERE kind = $1 AND email = $2`, [kind, email]);
}

/** Attempts older than a day no longer count for anything. */
export async function deleteOldAttempts(manager: EntityManager, now: Date): Promise<void> {
  await manager.query(`DELETE FROM auth_attempts WHERE at < $1`, [
    new Date(now.getTime() - 24 * 3_600_000),
  ]);
}
