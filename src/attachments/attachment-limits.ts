import type { ServiceContext } from '../context';
import { attachmentStoreFor, type AttachmentStore } from '../db/attachment-store';
import { DEFAULT_ATTACHMENT_LIMITS, type AttachmentLimits } from './attachment-settings';

export { DEFAULT_ATTACHMENT_LIMITS, type AttachmentLimits };

export function attachmentLimitsOf(ctx: ServiceContext): AttachmentLimits {
  return ctx.settings.attachments ?? DEFAULT_ATTACHMENT_LIMITS;
}

/** The configured store, or the Postgres default. */
export function attachmentStoreOf(ctx: ServiceContext): AttachmentStore {
  return attachmentStoreFor(ctx.attachmentStore, ctx.dataSource);
}
