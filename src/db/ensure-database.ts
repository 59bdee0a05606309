import { Client } from 'pg';

/**
 * Creates the database named in the URL if it does not exist, connecting to the server's
 * "postgres" maintenance database. Fails with a message that says what to do when it may not.
 */
export async function ensureDatabaseExists(databaseUrl: string): Promise<'created' | 'existed'> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!name)
    throw new Error(`DATABASE_URL (${redact(url)}) names no database; add one, e.g. /ownit`);
  const maintenance = new URL(url.toString());
  maintenance.pathname = '/postgres';
  const client = new Client({ connectionString: maintenance.toString() });
  // Errors surface through the awaited calls below; the listener keeps a dropped socket from
  // becoming an uncaught 'error' event.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    // Without the maintenance database we cannot check; let the real connection report errors.
    if (isMissingDatabase(error)) return 'existed';
    throw new Error(
      `Cannot reach PostgreSQL at ${redact(url)}: ${(error as Error).message}. ` +
        'Start PostgreSQL or set DATABASE_URL to a reachable server.',
      { cause: error },
    );
  }
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return 'existed';
    try {
      await client.query(`CREATE DATABASE ${quoteIdentifier(name)}`);
    } catch (error) {
      // Another process may have created it a moment ago.
      const code = (error as { code?: string }).code;
      if (code === '42P04' || code === '23505') return 'existed';
      throw new Error(
        `Database "${name}" does not exist and could not be created: ${(error as Error).message}. ` +
          'Create it yourself or grant CREATEDB to the configured user.',
        { cause: error },
      );
    }
    return 'created';
  } finally {
    await client.end();
  }
}

function isMissingDatabase(error: unknown): boolean {
  return (error as { code?: string }).code === '3D000';
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function redact(url: URL): string {
  const copy = new URL(url.toString());
  if (copy.password) copy.password = '***';
  return copy.toString();
}
