import { z } from 'zod';
import { optionalText, requiredText, uuid } from '../common-input';
import { pageQuery } from '../pagination';
import { HANDOFF_STATUSES } from './handoff.entity';

export const offerHandoffInput = z.strictObject({
  toAgentId: uuid,
  note: requiredText(5_000),
});
export type OfferHandoffInput = z.output<typeof offerHandoffInput>;

export const answerHandoffInput = z.strictObject({ note: optionalText(5_000) });
export type AnswerHandoffInput = z.output<typeof answerHandoffInput>;

export const reassignInput = z.strictObject({
  toAgentId: uuid,
  reason: requiredText(5_000),
});
export type ReassignInput = z.output<typeof reassignInput>;

export const myHandoffsQuery = z.strictObject({
  direction: z
    .enum(['incoming', 'outgoing'], { message: 'must be incoming or outgoing' })
    .default('incoming'),
  status: z
    .enum(HANDOFF_STATUSES, { message: `must be one of ${HANDOFF_STATUSES.join(', ')}` })
    .default('pending'),
  ...pageQuery,
});
export type MyHandoffsQuery = z.output<typeof myHandoffsQuery>;
