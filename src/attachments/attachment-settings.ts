export interface AttachmentLimits {
  /** Largest attachment kept, in bytes (ATTACHMENT_MAX_BYTES). */
  maxBytes: number;
  /** Most attachments kept from one message or sent with one update (ATTACHMENT_MAX_COUNT). */
  maxCount: number;
}

export const DEFAULT_ATTACHMENT_LIMITS: AttachmentLimits = {
  maxBytes: 10 * 1024 * 1024,
  maxCount: 10,
};
