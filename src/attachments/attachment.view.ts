export interface AttachmentRow {
  id: string;
  ticket_id: string;
  timeline_event_id: string | null;
  storage_key: string;
  filename: string;
  content_type: string;
  declared_type: string | null;
  size: number;
  sha256: string;
  source: 'email' | 'upload';
  uploaded_by_id: string | null;
  created_at: Date;
}

export function attachmentView(row: AttachmentRow) {
  return {
    id: row.id,
    ticketId: row.ticket_id,
    timelineEventId: row.timeline_event_id,
    filename: row.filename,
    /** Read from the bytes; `declaredType` is what the sender claimed. */
    contentType: row.content_type,
    declaredType: row.declared_type,
    size: row.size,
    sha256: row.sha256,
    source: row.source,
    uploadedById: row.uploaded_by_id,
    createdAt: row.created_at.toISOString(),
    downloadUrl: `/api/v1/attachments/${row.id}`,
  };
}
export type AttachmentView = ReturnType<typeof attachmentView>;

export const ATTACHMENT_COLUMNS = `id, ticket_id, timeline_event_id, storage_key, filename, content_type,
  declared_type, size, sha256, source, uploaded_by_id, created_at`;
