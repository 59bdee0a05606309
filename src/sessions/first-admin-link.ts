import type { DataSource } from 'typeorm';
import { hashToken } from '../agents/tokens';
import type { AuthSettings } from '../auth-settings';
import { issuePasswordLink, type IssuedLink } from './password-links';

/**
 * The link that lets whoever installed OwnIt set the first admin's console password; logged once,
 * on the start that created the admin (the admin named by its API token).
 */
export async function issueFirstAdminLink(
  dataSource: DataSource,
  publicUrl: string,
  settings: AuthSettings,
  adminToken: string,
  now: Date,
): Promise<(IssuedLink & { email: string }) | undefined> {
  return dataSource.transaction(async (manager) => {
    const rows: Array<{ id: string; email: string }> = await manager.query(
      `SELECT id, email FROM agents WHERE token_hash = $1 AND role = 'admin'`,
      [hashToken(adminToken)],
    );
    const admin = rows[0];
    if (!admin) return undefined;
    const link = await issuePasswordLink(
      manager,
      publicUrl,
      admin.id,
      'first_admin',
      now,
      settings.invitationValidityHours * 60,
    );
    return { ...link, email: admin.email };
  });
}
