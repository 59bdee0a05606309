import { z } from 'zod';
import { optionalText, requiredText, uuid } from '../common-input';
import { OUTBOX_STATUSES } from '../notifications/outbox-email.entity';
import { pageQuery } from '../pagination';

const statusList = z
  .string()
  .transform((value) => value.split(',').map((s) => s.trim()))
  .pipe(
    z
      .array(z.enum(OUTBOX_STATUSES, { message: `must be one of ${OUTBOX_STATUSES.join(', ')}` }))
      .min(1),
  );

export const listOutboxQuery = z.strictObject({
  /** Default: the emails that need a person, failed and ambiguous. */
  status: statusList.default(['failed', 'ambiguous']),
  teamId: uuid.optional(),
  /** A ticket's id or reference ("T-000123"). */
  ticketId: z
    .string()
    .trim()
    .regex(
      /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|T-\d{6,})$/i,
      'must be a ticket id or reference',
    )
    .optional(),
  ...pageQuery,
});
export type ListOutboxQuery = z.output<typeof listOutboxQuery>;

export const resendInput = z.strictObject({ note: optionalText(2_000) });
export type ResendInput = z.output<typeof resendInput>;

export const dismissInput = z.strictObject({ note: requiredText(2_000) });
export type DismissInput = z.output<typeof dismissInput>;
