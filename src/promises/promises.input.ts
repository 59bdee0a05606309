import { z } from 'zod';
import { optionalText, requiredText, instant } from '../common-input';
import { SILOS } from '../tickets/ticket.entity';

export const makePromiseInput = z.strictObject({
  description: requiredText(2_000),
  dueAt: instant(),
  silo: z.enum(SILOS, { message: `must be one of ${SILOS.join(', ')}` }),
});
export type MakePromiseInput = z.output<typeof makePromiseInput>;

export const keepPromiseInput = z.strictObject({ note: optionalText(5_000) });
export type KeepPromiseInput = z.output<typeof keepPromiseInput>;

export const cancelPromiseInput = z.strictObject({ reason: requiredText(5_000) });
export type CancelPromiseInput = z.output<typeof cancelPromiseInput>;
