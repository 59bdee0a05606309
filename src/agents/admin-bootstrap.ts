import type { DataSource } from 'typeorm';
import { generateToken, hashToken } from './tokens';

/**
 * Makes sure an admin authenticates with the configured ADMIN_TOKEN, so a fresh install can be
 * driven over the API. Idempotent; safe when several processes start at once. An agent with that
 * token that was deactivated is left deactivated ('deactivated'): set a new ADMIN_TOKEN.
 */
export async function ensureAdminWithToken(
  dataSource: DataSource,
  token: string,
): Promise<'created' | 'existed' | 'deactivated'> {
  const tokenHash = hashToken(token);
  const result: unknown[] = await dataSource.query(
    `INSERT INTO agents (name, email, role, team_id, capacity, token_hash)
     VALUES ('Administrator', 'admin+' || left($1, 12) || '@ownit.invalid', 'admin', NULL, 0, $1)
     ON CONFLICT DO NOTHING
     RETURNING id`,
    [tokenHash],
  );
  if (result.length > 0) return 'created';
  // An admin deactivated on purpose stays deactivated: a restart must not revive it.
  const [row]: Array<{ active: boolean }> = await dataSource.query(
    `SELECT active FROM agents WHERE token_hash = $1`,
    [tokenHash],
  );
  return row && !row.active ? 'deactivated' : 'existed';
}

/**
 * Without ADMIN_TOKEN, the first start of an empty install creates an admin with a generated
 * token and returns it once, so a new user can get in; later starts find the admin and do nothing.
 */
export async function createFirstAdminIfNone(dataSource: DataSource): Promise<string | undefined> {
  return dataSource.transaction(async (manager) => {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('ownit:first-admin'))`);
    const admins: unknown[] = await manager.query(
      `SELECT 1 FROM agents WHERE role = 'admin' LIMIT 1`,
    );
    if (admins.length > 0) return undefined;
    const token = generateToken();
    await manager.query(
      `INSERT INTO agents (name, email, role, team_id, capacity, token_hash)
       VALUES ('Administrator', 'admin@ownit.invalid', 'admin', NULL, 0, $1)`,
      [hashToken(token)],
    );
    return token;
  });
}
