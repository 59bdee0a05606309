import { z } from 'zod';
import { optionalText, queryBoolean, requiredText, uuid } from '../common-input';
import { pageQuery } from '../pagination';
import { SILOS, TICKET_CHANNELS, TICKET_PRIORITIES, TICKET_STATUSES } from './ticket.entity';

const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { message: `must be one of ${values.join(', ')}` });

const category = requiredText(100);

export const createTicketInput = z.strictObject({
  customerId: uuid,
  subject: requiredText(300),
  description: requiredText(20_000),
  channel: oneOf(TICKET_CHANNELS),
  teamId: uuid.optional(),
  category: category.optional(),
  priority: oneOf(TICKET_PRIORITIES).optional(),
});
export type CreateTicketInput = z.output<typeof createTicketInput>;

export const updateTicketInput = z
  .strictObject({
    status: z
      .enum(['open', 'waiting_on_customer'], {
        message: 'must be open or waiting_on_customer (use /resolve and /reopen for the rest)',
      })
      .optional(),
    priority: oneOf(TICKET_PRIORITIES).optional(),
    category: category.nullable().optional(),
  })
  .refine((input) => Object.keys(input).length > 0, {
    message: 'name at least one of status, priority, category',
  });
export type UpdateTicketInput = z.output<typeof updateTicketInput>;

export const postUpdateInput = z.strictObject({
  body: requiredText(20_000),
  visibility: oneOf(['public', 'internal'] as const),
  /** Uploads (POST /tickets/:id/attachments) sent with a public update's email. */
  attachmentIds: z.array(uuid).max(100).optional(),
});
export type PostUpdateInput = z.output<typeof postUpdateInput>;

export const customerMessageInput = z.strictObject({
  body: requiredText(50_000),
  channel: oneOf(TICKET_CHANNELS).optional(),
});
export type CustomerMessageInput = z.output<typeof customerMessageInput> & {
  /** Set by inbound email, never read from a request body: a repeated Message-ID is a no-op. */
  messageId?: string;
};

export const resolveInput = z.strictObject({
  resolution: requiredText(20_000),
  rootCause: z.strictObject({
    silo: oneOf(SILOS),
    category: requiredText(100),
    detail: optionalText(5_000),
  }),
  /** What happened to each open promise: a ticket cannot be resolved with promises left open. */
  promises: z
    .array(
      z.strictObject({
        id: uuid,
        outcome: oneOf(['kept', 'broken', 'cancelled'] as const),
        note: optionalText(5_000),
      }),
    )
    .max(200)
    .optional(),
});
export type ResolveInput = z.output<typeof resolveInput>;

export const reopenInput = z.strictObject({ reason: requiredText(5_000) });
export type ReopenInput = z.output<typeof reopenInput>;

const statusList = z
  .string()
  .transform((value) => value.split(',').map((s) => s.trim()))
  .pipe(z.array(oneOf(TICKET_STATUSES)).min(1));

export const listTicketsQuery = z.strictObject({
  ownerId: uuid.optional(),
  teamId: uuid.optional(),
  customerId: uuid.optional(),
  status: statusList.optional(),
  overdue: queryBoolean.optional(),
  /** Full-text search; results come ranked, best first. */
  q: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(500, 'must be at most 500 characters')
    .optional(),
  ...pageQuery,
});
export type ListTicketsQuery = z.output<typeof listTicketsQuery>;

export const queueQuery = z.strictObject({ ...pageQuery });
export const timelineQuery = z.strictObject({ ...pageQuery });
