import { randomBytes } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../actor';
import { hashToken } from '../agents/tokens';
import type { AuthSettings } from '../auth-settings';

/**
 * Server-side sessions. The cookie carries 256 random bits; only their SHA-256 is stored, so a
 * copy of the table signs no one in. A session ends when unused for the idle timeout, at its
 * absolute expiry, on sign-out, or when its agent is deactivated.
 */
export interface OpenedSession {
  /** The cookie value; never stored. */
  sessionId: string;
  expiresAt: Date;
}

const MINUTE = 60_000;
/** Write last-seen at most this often: a busy console must not write on every request. */
const TOUCH_EVERY_MS = MINUTE;

export async function openSession(
  manager: EntityManager,
  settings: AuthSettings,
  agentId: string,
  now: Date,
  client: { ip: string; userAgent: string | undefined },
): Promise<OpenedSession> {
  const sessionId = randomBytes(32).toString('base64url');
  const absoluteEnd = new Date(now.getTime() + settings.sessionMaxMinutes * MINUTE);
  await manager.query(
    `INSERT INTO sessions (id_hash, agent_id, created_at, last_seen_at, expires_at, user_agent, ip)
     VALUES ($1, $2, $3, $3, $4, $5, $6)`,
    [
      hashToken(sessionId),
      agentId,
      now,
      absoluteEnd,
      client.userAgent?.slice(0, 500) ?? null,
      client.ip,
    ],
  );
  return { sessionId, expiresAt: sessionEnd(settings, now, absoluteEnd) };
}

/** When a session last seen at `lastSeenAt` ends if nothing more happens. */
function sessionEnd(settings: AuthSettings, lastSeenAt: Date, absoluteEnd: Date): Date {
  const idleEnd = lastSeenAt.getTime() + settings.sessionIdleMinutes * MINUTE;
  return new Date(Math.min(idleEnd, absoluteEnd.getTime()));
}

export interface LiveSession {
  actor: Actor;
  expiresAt: Date;
}

interface SessionRow {
  agent_id: string;
  name: string;
  role: Actor['role'];
  team_id: string | null;
  last_seen_at: Date;
  expires_at: Date;
}

/** The active agent behind a session id, or undefined when the session is unknown or over. */
export async function findLiveSession(
  dataSource: DataSource,
  settings: AuthSettings,
  sessionId: string,
  now: Date,
): Promise<LiveSession | undefined> {
  const idHash = hashToken(sessionId);
  const rows: SessionRow[] = await dataSource.query(
    `SELECT s.agent_id, a.name, a.role, a.team_id, s.last_seen_at, s.expires_at
       FROM sessions s JOIN agents a ON a.id = s.agent_id
      WHERE s.id_hash = $1 AND a.active AND s.expires_at > $2
        AND s.last_seen_at > $3`,
    [idHash, now, new Date(now.getTime() - settings.sessionIdleMinutes * MINUTE)],
  );
  const row = rows[0];
  if (!row) return undefined;
  let lastSeen = row.last_seen_at;
  if (now.getTime() - lastSeen.getTime() >= TOUCH_EVERY_MS) {
    await dataSource.query(`UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1`, [
      idHash,
      now,
    ]);
    lastSeen = now;
  }
  return {
    actor: { id: row.agent_id, name: row.name, role: row.role, teamId: row.team_id },
    expiresAt: sessionEnd(settings, lastSeen, row.expires_at),
  };
}

export async function endSession(manager: EntityManager, sessionId: string): Promise<void> {
  await manager.query(`DELETE FROM sessions WHERE id_hash = $1`, [hashToken(sessionId)]);
}

/** Expired sessions are dead already; this only keeps the table small. */
export async function deleteExpiredSessions(
  manager: EntityManager,
  settings: AuthSettings,
  now: Date,
): Promise<void> {
  await manager.query(`DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2`, [
    now,
    new Date(now.getTime() - settings.sessionIdleMinutes * MINUTE),
  ]);
}

/** Whether a session is still live, without counting the check as activity. */
export async function isSessionLive(
  dataSource: DataSource,
  settings: AuthSettings,
  sessionId: string,
  now: Date,
): Promise<boolean> {
  const rows: unknown[] = await dataSource.query(
    `SELECT 1 FROM sessions s JOIN agents a ON a.id = s.agent_id
      WHERE s.id_hash = $1 AND a.active AND s.expires_at > $2 AND s.last_seen_at > $3`,
    [hashToken(sessionId), now, new Date(now.getTime() - settings.sessionIdleMinutes * MINUTE)],
  );
  return rows.length > 0;
}
