import { z } from 'zod';
import { uuid } from '../common-input';
import { pageQuery } from '../pagination';
import { WEBHOOK_EVENTS } from '../timeline/webhook-events';

const webhookUrl = z
  .string()
  .max(2000, 'must be at most 2000 characters')
  .refine(
    (value) => {
      try {
        const url = new URL(value);
        return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
      } catch {
        return false;
      }
    },
    { message: 'must be an http:// or https:// URL' },
  );

const events = z
  .array(z.enum(WEBHOOK_EVENTS, { message: `must be one of ${WEBHOOK_EVENTS.join(', ')}` }))
  .min(1, 'must name at least one event')
  .max(WEBHOOK_EVENTS.length)
  .transform((list) => [...new Set(list)]);

export const createWebhookInput = z.strictObject({
  url: webhookUrl,
  events,
  /** Only this team's tickets; omitted or null: every team. */
  teamId: uuid.nullable().optional(),
  description: z.string().trim().max(500).optional(),
});
export type CreateWebhookInput = z.output<typeof createWebhookInput>;

export const updateWebhookInput = z.strictObject({
  url: webhookUrl.optional(),
  events: events.optional(),
  teamId: uuid.nullable().optional(),
  description: z.string().trim().max(500).nullable().optional(),
  /** true re-enables an endpoint that was disabled after failures, and resets its failure count. */
  enabled: z.boolean().optional(),
});
export type UpdateWebhookInput = z.output<typeof updateWebhookInput>;

export const deliveriesQuery = z.strictObject({
  ...pageQuery,
  status: z.enum(['pending', 'sending', 'delivered', 'failed']).optional(),
});
export type DeliveriesQuery = z.output<typeof deliveriesQuery>;
