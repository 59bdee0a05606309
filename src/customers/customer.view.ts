import type { Customer } from './customer.entity';

export function customerView(customer: Customer) {
  return {
    id: customer.id,
    name: customer.name,
    email: customer.email,
    tier: customer.tier,
    locale: customer.locale,
    autoUpdates: customer.autoUpdates,
    churnedAt: customer.churnedAt ? customer.churnedAt.toISOString() : null,
    churnReason: customer.churnReason,
    createdAt: customer.createdAt.toISOString(),
    updatedAt: customer.updatedAt.toISOString(),
  };
}
