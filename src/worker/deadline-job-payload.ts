import { z } from 'zod';
import { DEADLINE_STEPS, type DeadlineJobPayload } from '../deadline-rules/deadline-jobs';
import type { DeadlineKind } from '../deadline-rules/deadline-policy';

const DEADLINE_KINDS = ['first_response', 'next_update'] as const satisfies readonly DeadlineKind[];

/**
 * What a deadline job must carry, checked before the handler touches it: Redis holds whatever
 * was written to it (an older version, a hand-made job), and a malformed job fails for good
 * instead of being retried or reaching the database.
 */
export const deadlineJobPayload = z.object({
  ticketId: z.uuid(),
  kind: z.enum(DEADLINE_KINDS),
  version: z.number().int().min(1),
  step: z.enum(DEADLINE_STEPS),
}) satisfies z.ZodType<DeadlineJobPayload>;

/** The payload, or a message naming what is wrong with it. */
export function parseDeadlineJobPayload(
  data: unknown,
): { ok: true; payload: DeadlineJobPayload } | { ok: false; problem: string } {
  const parsed = deadlineJobPayload.safeParse(data);
  return parsed.success
    ? { ok: true, payload: parsed.data }
    : { ok: false, problem: z.prettifyError(parsed.error) };
}
