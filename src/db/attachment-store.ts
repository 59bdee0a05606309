import type { DataSource } from 'typeorm';

/**
 * Where attachment bytes live, behind a small interface so an S3-compatible store can replace
 * the Postgres default without touching the domain. Keys are opaque and never reused.
 */
export interface AttachmentStore {
  put(key: string, bytes: Buffer): Promise<void>;
  /** The bytes, or null when the key holds nothing. */
  get(key: string): Promise<Buffer | null>;
  delete(key: string): Promise<void>;
}

/** The default: bytes in the attachment_blobs table, next to everything else we keep. */
export class PostgresAttachmentStore implements AttachmentStore {
  constructor(private readonly dataSource: DataSource) {}

  async put(key: string, bytes: Buffer): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO attachment_blobs (key, bytes) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`,
      [key, bytes],
    );
  }

  async get(key: string): Promise<Buffer | null> {
    const rows: Array<{ bytes: Buffer }> = await this.dataSource.query(
      `SELECT bytes FROM attachment_blobs WHERE key = $1`,
      [key],
    );
    return rows[0]?.bytes ?? null;
  }

  async delete(key: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM attachment_blobs WHERE key = $1`, [key]);
  }
}

const defaults = new WeakMap<DataSource, AttachmentStore>();

/** The configured store, or the Postgres default of this data source. */
export function attachmentStoreFor(
  configured: AttachmentStore | undefined,
  dataSource: DataSource,
): AttachmentStore {
  if (configured) return configured;
  let store = defaults.get(dataSource);
  if (!store) {
    store = new PostgresAttachmentStore(dataSource);
    defaults.set(dataSource, store);
  }
  return store;
}
