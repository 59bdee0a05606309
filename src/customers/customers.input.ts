import { z } from 'zod';
import { emailAddress, requiredText } from '../common-input';
import { pageQuery } from '../pagination';
import { CUSTOMER_TIERS } from '../deadline-rules/customer-tier';

const locale = z
  .string()
  .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language tag such as en or de-DE');

export const createCustomerInput = z.strictObject({
  name: requiredText(200),
  email: emailAddress,
  tier: z
    .enum(CUSTOMER_TIERS, { message: `must be one of ${CUSTOMER_TIERS.join(', ')}` })
    .optional(),
  locale: locale.optional(),
  autoUpdates: z.boolean().optional(),
});
export type CreateCustomerInput = z.output<typeof createCustomerInput>;

export const updateCustomerInput = createCustomerInput.partial();
export type UpdateCustomerInput = z.output<typeof updateCustomerInput>;

export const listCustomersQuery = z.strictObject({
  email: z.string().trim().max(254).optional(),
  ...pageQuery,
});
export type ListCustomersQuery = z.output<typeof listCustomersQuery>;
