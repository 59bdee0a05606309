import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';

const KEY = 'link_secret';

/**
 * The secret that signs customer status and survey links: LINK_SECRET if set, otherwise one
 * generated on first start and kept in the database so links survive restarts.
 */
export async function ensureLinkSecret(
  dataSource: DataSource,
  configured: string | undefined,
): Promise<string> {
  if (configured) return configured;
  await dataSource.query(
    `INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`,
    [KEY, randomBytes(32).toString('base64url')],
  );
  const rows: Array<{ value: string }> = await dataSource.query(
    `SELECT value FROM settings WHERE key = $1`,
    [KEY],
  );
  return rows[0]!.value;
}
