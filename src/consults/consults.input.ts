import { z } from 'zod';
import { requiredText, uuid, instant } from '../common-input';
import { pageQuery } from '../pagination';

export const askConsultInput = z
  .strictObject({
    agentId: uuid.optional(),
    teamId: uuid.optional(),
    question: requiredText(5_000),
    dueAt: instant().optional(),
  })
  .refine((input) => (input.agentId === undefined) !== (input.teamId === undefined), {
    message: 'name either agentId or teamId, not both',
    path: ['agentId'],
  });
export type AskConsultInput = z.output<typeof askConsultInput>;

export const answerConsultInput = z.strictObject({ answer: requiredText(20_000) });
export type AnswerConsultInput = z.output<typeof answerConsultInput>;

export const cancelConsultInput = z.strictObject({ reason: requiredText(2_000).optional() });
export type CancelConsultInput = z.output<typeof cancelConsultInput>;

export const myConsultsQuery = z.strictObject({
  direction: z
    .enum(['incoming', 'outgoing'], { message: 'must be incoming or outgoing' })
    .default('incoming'),
  status: z
    .enum(['open', 'answered', 'cancelled'], { message: 'must be open, answered or cancelled' })
    .default('open'),
  ...pageQuery,
});
export type MyConsultsQuery = z.output<typeof myConsultsQuery>;
