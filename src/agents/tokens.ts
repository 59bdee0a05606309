import { createHash, randomBytes } from 'node:crypto';

/**
 * API tokens carry 256 random bits, so a fast hash is safe to store and lets us find the agent by
 * an indexed lookup; a slow password hash would add nothing but latency to every request.
 */
export function generateToken(): string {
  return `oit_${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
