import { z } from 'zod';
import { uuid } from '../common-input';

const mailboxUrl = z.string().min(1, 'is required').max(2000, 'must be at most 2000 characters');
const folderName = z.string().trim().min(1).max(500);

export const createMailboxInput = z.strictObject({
  teamId: uuid,
  /** imap(s)://user:password@host:port/FOLDER; the password is encrypted and never returned. */
  url: mailboxUrl,
  /** Where processed messages are moved (created if missing). Default "Processed". */
  processedFolder: folderName.optional(),
  enabled: z.boolean().optional(),
});
export type CreateMailboxInput = z.output<typeof createMailboxInput>;

export const updateMailboxInput = z.strictObject({
  teamId: uuid.optional(),
  /** Without a password in it, the stored password is kept. */
  url: mailboxUrl.optional(),
  processedFolder: folderName.optional(),
  enabled: z.boolean().optional(),
});
export type UpdateMailboxInput = z.output<typeof updateMailboxInput>;
