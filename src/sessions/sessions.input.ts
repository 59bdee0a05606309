import { z } from 'zod';
import { newPassword } from '../agent-admin/agents.input';
import { MAX_PASSWORD_LENGTH } from '../agents/passwords';

const signInEmail = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(254, 'must be at most 254 characters')
  .transform((value) => value.toLowerCase());

export const signInInput = z.strictObject({
  email: signInEmail,
  password: z
    .string()
    .min(1, 'must not be empty')
    .max(MAX_PASSWORD_LENGTH, `must be at most ${MAX_PASSWORD_LENGTH} characters`),
});
export type SignInInput = z.output<typeof signInInput>;

export const usePasswordLinkInput = z.strictObject({
  token: z.string().min(1, 'must not be empty').max(200),
  password: newPassword,
});
export type UsePasswordLinkInput = z.output<typeof usePasswordLinkInput>;

export const passwordResetInput = z.strictObject({ email: signInEmail });
export type PasswordResetInput = z.output<typeof passwordResetInput>;
