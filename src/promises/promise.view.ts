import type { CustomerPromise } from './promise.entity';

export function promiseView(promise: CustomerPromise) {
  return {
    id: promise.id,
    ticketId: promise.ticketId,
    customerId: promise.customerId,
    madeById: promise.madeById,
    description: promise.description,
    dueAt: promise.dueAt.toISOString(),
    silo: promise.silo,
    status: promise.status,
    note: promise.note,
    closedAt: promise.closedAt ? promise.closedAt.toISOString() : null,
    closedById: promise.closedById,
    createdAt: promise.createdAt.toISOString(),
  };
}
