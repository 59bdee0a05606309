import { createHash, randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../actor';
import type { ServiceContext } from '../context';
import { Forbidden, InvalidInput, NotFound } from '../errors';
import { findReadableTicket } from '../tickets/ticket-access';
import { attachmentLimitsOf, attachmentStoreOf } from './attachment-limits';
import { ATTACHMENT_COLUMNS, attachmentView, type AttachmentRow } from './attachment.view';
import { safeFilename, sniffContentType } from './content-type';

export interface IncomingAttachment {
  filename: string | undefined;
  declaredType: string | undefined;
  bytes: Buffer;
}

export interface KeptAttachments {
  kept: ReturnType<typeof attachmentView>[];
  skipped: Array<{ filename: string; reason: string }>;
}

/**
 * Keeps the attachments of an inbound email on its ticket. Idempotent per (ticket, Message-ID,
 * part): a gateway's retry or a mailbox re-read stores nothing twice. Parts over the limits are
 * skipped and reported, never silently dropped.
 */
export async function keepInboundAttachments(
  ctx: ServiceContext,
  target: { ticketId: string; eventId: string | null; messageId: string },
  parts: IncomingAttachment[],
): Promise<KeptAttachments> {
  const limits = attachmentLimitsOf(ctx);
  const store = attachmentStoreOf(ctx);
  const result: KeptAttachments = { kept: [], skipped: [] };
  for (const [index, part] of parts.entries()) {
    const filename = safeFilename(part.filename);
    if (index >= limits.maxCount) {
      result.skipped.push({ filename, reason: `more than ${limits.maxCount} attachments` });
      continue;
    }
    if (part.bytes.length > limits.maxBytes) {
      result.skipped.push({ filename, reason: `larger than ${limits.maxBytes} bytes` });
      continue;
    }
    const [existing]: AttachmentRow[] = await ctx.dataSource.query(
      `SELECT ${ATTACHMENT_COLUMNS} FROM attachments WHERE ticket_id = $1 AND message_id = $2 AND part_index = $3`,
      [target.ticketId, target.messageId, index],
    );
    if (existing) {
      result.kept.push(attachmentView(existing));
      continue;
    }
    const row = await storeAttachment(ctx, store, {
      ticketId: target.ticketId,
      eventId: target.eventId,
      filename,
      declaredType: part.declaredType ?? null,
      bytes: part.bytes,
      source: 'email',
      uploadedById: null,
      messageId: target.messageId,
      partIndex: index,
    });
    result.kept.push(attachmentView(row));
  }
  return result;
}

interface NewAttachment {
  ticketId: string;
  eventId: string | null;
  filename: string;
  declaredType: string | null;
  bytes: Buffer;
  source: 'email' | 'upload';
  uploadedById: string | null;
  messageId: string | null;
  partIndex: number | null;
}

/** Bytes first, then the row: a crash in between leaves an unreferenced blob, never a dangling row. */
async function storeAttachment(
  ctx: ServiceContext,
  store: ReturnType<typeof attachmentStoreOf>,
  a: NewAttachment,
): Promise<AttachmentRow> {
  const key = randomUUID();
  const contentType = await sniffContentType(a.bytes);
  await store.put(key, a.bytes);
  const inserted: AttachmentRow[] = await ctx.dataSource.query(
    `INSERT INTO attachments (ticket_id, timeline_event_id, storage_key, filename, content_type,
       declared_type, size, sha256, source, uploaded_by_id, message_id, part_index, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
     ON CONFLICT DO NOTHING
     RETURNING ${ATTACHMENT_COLUMNS}`,
    [
      a.ticketId,
      a.eventId,
      key,
      a.filename,
      contentType,
      a.declaredType?.slice(0, 200) ?? null,
      a.bytes.length,
      createHash('sha256').update(a.bytes).digest('hex'),
      a.source,
      a.uploadedById,
      a.messageId,
      a.partIndex,
      ctx.clock.now(),
    ],
  );
  if (inserted[0]) return inserted[0];
  // Another process kept the same part first: use its row, drop our copy of the bytes.
  await store.delete(key);
  const [existing]: AttachmentRow[] = await ctx.dataSource.query(
    `SELECT ${ATTACHMENT_COLUMNS} FROM attachments WHERE ticket_id = $1 AND message_id = $2 AND part_index = $3`,
    [a.ticketId, a.messageId, a.partIndex],
  );
  return existing!;
}

/** An agent's file for a reply; it joins the ticket when an update names it in attachmentIds. */
export async function uploadAttachment(
  ctx: ServiceContext,
  actor: Actor,
  ticketIdOrRef: string,
  file: { filename: string; declaredType: string | undefined; bytes: Buffer },
) {
  if (actor.role === 'integration') throw new Forbidden('Integrations cannot upload attachments.');
  const limits = attachmentLimitsOf(ctx);
  const ticket = await findReadableTicket(ctx.dataSource.manager, actor, ticketIdOrRef);
  if (file.bytes.length === 0) throw InvalidInput.field('body', 'must be the file, not empty');
  if (file.bytes.length > limits.maxBytes) {
    throw InvalidInput.field('body', `must be at most ${limits.maxBytes} bytes`);
  }
  const row = await storeAttachment(ctx, attachmentStoreOf(ctx), {
    ticketId: ticket.id,
    eventId: null,
    filename: safeFilename(file.filename),
    declaredType: file.declaredType ?? null,
    bytes: file.bytes,
    source: 'upload',
    uploadedById: actor.id,
    messageId: null,
    partIndex: null,
  });
  return attachmentView(row);
}

/**
 * Attaches the actor's uploads to a public update, inside the update's transaction. Each id must
 * be an upload of this actor on this ticket not yet sent with another update.
 */
export async function attachUploadsToUpdate(
  manager: EntityManager,
  ctx: ServiceContext,
  actor: Actor,
  target: { ticketId: string; eventId: string },
  attachmentIds: string[],
): Promise<Array<{ id: string; filename: string; contentType: string }>> {
  if (attachmentIds.length === 0) return [];
  const limits = attachmentLimitsOf(ctx);
  if (attachmentIds.length > limits.maxCount) {
    throw InvalidInput.field('attachmentIds', `must name at most ${limits.maxCount} attachments`);
  }
  const updated: unknown = await manager.query(
    `UPDATE attachments SET timeline_event_id = $2
      WHERE id = ANY($3::uuid[]) AND ticket_id = $1 AND source = 'upload'
        AND uploaded_by_id = $4 AND timeline_event_id IS NULL
     RETURNING id, filename, content_type`,
    [target.ticketId, target.eventId, attachmentIds, actor.id],
  );
  const rows = (Array.isArray(updated) && Array.isArray(updated[0]) ? updated[0] : []) as Array<{
    id: string;
    filename: string;
    content_type: string;
  }>;
  if (rows.length !== attachmentIds.length) {
    const found = new Set(rows.map((r) => r.id));
    const missing = attachmentIds.filter((id) => !found.has(id));
    throw InvalidInput.field(
      'attachmentIds',
      `${missing.join(', ')}: not your upload on this ticket, or already sent with another update`,
    );
  }
  const order = new Map(attachmentIds.map((id, i) => [id, i]));
  return rows
    .sort((a, b) => order.get(a.id)! - order.get(b.id)!)
    .map((r) => ({ id: r.id, filename: r.filename, contentType: r.content_type }));
}

/** What the ticket carries: inbound files, files sent with updates, and the reader's own drafts. */
export async function listTicketAttachments(
  ctx: ServiceContext,
  actor: Actor,
  ticketIdOrRef: string,
) {
  const ticket = await findReadableTicket(ctx.dataSource.manager, actor, ticketIdOrRef);
  const rows: AttachmentRow[] = await ctx.dataSource.query(
    `SELECT ${ATTACHMENT_COLUMNS} FROM attachments
      WHERE ticket_id = $1 AND (source = 'email' OR timeline_event_id IS NOT NULL OR uploaded_by_id = $2)
      ORDER BY created_at, id`,
    [ticket.id, actor.id],
  );
  return rows.map(attachmentView);
}

/** An attachment's bytes for whoever may read its ticket; anyone else gets 404. */
export async function downloadAttachment(ctx: ServiceContext, actor: Actor, id: string) {
  const [row]: AttachmentRow[] = await ctx.dataSource.query(
    `SELECT ${ATTACHMENT_COLUMNS} FROM attachments WHERE id = $1`,
    [id],
  );
  if (!row) throw new NotFound(`No attachment ${id}.`);
  try {
    await findReadableTicket(ctx.dataSource.manager, actor, row.ticket_id);
  } catch (error) {
    if (error instanceof NotFound) throw new NotFound(`No attachment ${id}.`);
    throw error;
  }
  const draftOfSomeoneElse =
    row.source === 'upload' && row.timeline_event_id === null && row.uploaded_by_id !== actor.id;
  if (draftOfSomeoneElse) throw new NotFound(`No attachment ${id}.`);
  const bytes = await attachmentStoreOf(ctx).get(row.storage_key);
  if (!bytes) throw new NotFound(`The bytes of attachment ${id} are gone from the store.`);
  return { attachment: attachmentView(row), bytes };
}
