import type { ServiceContext } from '../context';
import { attachmentStoreFor } from '../db/attachment-store';

export class MissingAttachment extends Error {
  override name = 'MissingAttachment';
}

/** The bytes of the attachments an outgoing email names (its payload's `attachments`). */
export async function loadEmailAttachments(
  ctx: ServiceContext,
  ids: string[],
): Promise<Array<{ filename: string; contentType: string; content: Buffer }>> {
  if (ids.length === 0) return [];
  const rows: Array<{ id: string; filename: string; content_type: string; storage_key: string }> =
    await ctx.dataSource.query(
      `SELECT id, filename, content_type, storage_key FROM attachments WHERE id = ANY($1::uuid[])`,
      [ids],
    );
  const store = attachmentStoreFor(ctx.attachmentStore, ctx.dataSource);
  const files = [];
  for (const id of ids) {
    const row = rows.find((r) => r.id === id);
    const bytes = row ? await store.get(row.storage_key) : null;
    if (!row || !bytes) throw new MissingAttachment(`attachment ${id} is missing from the store`);
    files.push({ filename: row.filename, contentType: row.content_type, content: bytes });
  }
  return files;
}
