import { z } from 'zod';
import type { Actor } from '../agents/actor';
import { requiredText } from '../common-input';
import type { ServiceContext } from '../context';
import { Forbidden, InvalidInput, NotFound } from '../errors';
import { Customer } from './customer.entity';

export const churnCustomerInput = z.strictObject({
  reason: requiredText(2000),
  at: z.iso.datetime({ offset: true, message: 'must be an ISO-8601 time with offset' }).optional(),
});
export type ChurnCustomerInput = z.output<typeof churnCustomerInput>;

/**
 * Records that a customer left, when and why. Supervisors and admins only: churn feeds the
 * root-cause and at-risk reports, so it is a management judgement, not a rep's. Marking a churned
 * customer again replaces the time and reason (a correction, not a second churn).
 */
export async function markCustomerChurned(
  ctx: ServiceContext,
  actor: Actor,
  customerId: string,
  input: ChurnCustomerInput,
): Promise<Customer> {
  if (actor.role !== 'supervisor' && actor.role !== 'admin') {
    throw new Forbidden('Only supervisors and admins can mark a customer as churned.');
  }
  const now = ctx.clock.now();
  const at = input.at ? new Date(input.at) : now;
  if (at.getTime() > now.getTime()) throw InvalidInput.field('at', 'must not be in the future');

  return ctx.dataSource.transaction(async (manager) => {
    const repo = manager.getRepository(Customer);
    const customer = await repo.findOne({
      where: { id: customerId },
      lock: { mode: 'for_no_key_update' },
    });
    if (!customer) throw new NotFound(`No customer ${customerId}.`);
    customer.churnedAt = at;
    customer.churnReason = input.reason;
    return repo.save(customer);
  });
}
