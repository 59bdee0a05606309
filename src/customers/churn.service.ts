import { z } from 'zod';
import type { Actor } from '../actor';
import { requiredText, instant } from '../common-input';
import type { ServiceContext } from '../context';
import { Forbidden, InvalidInput, NotFound } from '../errors';
import { recordCustomerChanges, servesCustomer } from './customer-changes';
import { Customer } from './customer.entity';

export const churnCustomerInput = z.strictObject({
  reason: requiredText(2000),
  at: instant().optional(),
});
export type ChurnCustomerInput = z.output<typeof churnCustomerInput>;

/**
 * Churn feeds the root-cause and at-risk reports, so it is a management judgement: admins, and
 * supervisors of a team that serves the customer (has or had a ticket for them).
 */
async function assertMayChurn(
  ctx: ServiceContext,
  actor: Actor,
  customerId: string,
): Promise<void> {
  if (actor.role !== 'supervisor' && actor.role !== 'admin') {
    throw new Forbidden('Only supervisors and admins can mark a customer as churned.');
  }
  if (!(await servesCustomer(ctx.dataSource.manager, actor, customerId))) {
    throw new Forbidden(
      "Only a supervisor of a team that serves this customer, or an admin, can change the customer's churn.",
    );
  }
}

/**
 * Records that a customer left, when and why. Marking a churned customer again replaces the time
 * and reason (a correction, not a second churn). Audited in customer_changes.
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
  return changeChurn(ctx, actor, customerId, { at, reason: input.reason });
}

/** DELETE /customers/:id/churn: the customer did not leave after all (or came back). */
export async function unmarkCustomerChurned(
  ctx: ServiceContext,
  actor: Actor,
  customerId: string,
): Promise<Customer> {
  return changeChurn(ctx, actor, customerId, { at: null, reason: null });
}

async function changeChurn(
  ctx: ServiceContext,
  actor: Actor,
  customerId: string,
  churn: { at: Date | null; reason: string | null },
): Promise<Customer> {
  const exists = await ctx.dataSource.getRepository(Customer).existsBy({ id: customerId });
  if (!exists) throw new NotFound(`No customer ${customerId}.`);
  await assertMayChurn(ctx, actor, customerId);
  const now = ctx.clock.now();
  return ctx.dataSource.transaction(async (manager) => {
    const repo = manager.getRepository(Customer);
    const customer = await repo.findOne({
      where: { id: customerId },
      lock: { mode: 'for_no_key_update' },
    });
    if (!customer) throw new NotFound(`No customer ${customerId}.`);
    const base = { customerId, actorId: actor.id, at: now };
    await recordCustomerChanges(manager, [
      {
        ...base,
        field: 'churnedAt',
        from: customer.churnedAt?.toISOString() ?? null,
        to: churn.at?.toISOString() ?? null,
      },
      { ...base, field: 'churnReason', from: customer.churnReason, to: churn.reason },
    ]);
    customer.churnedAt = churn.at;
    customer.churnReason = churn.reason;
    return repo.save(customer);
  });
}
