import { userInfo } from 'node:os';

/**
 * Fills in the user name as libpq would (PGUSER, else the OS user) when DATABASE_URL names none:
 * node-postgres only looks at $USER, which is unset in many service environments.
 */
export function withDefaultUser(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  if (url.username) return databaseUrl;
  url.username = encodeURIComponent(process.env.PGUSER || safeOsUser() || 'postgres');
  return url.toString();
}

function safeOsUser(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    return undefined;
  }
}
