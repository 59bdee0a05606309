import { z } from 'zod';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../agents/actor';
import type { ServiceContext } from '../context';
import { InvalidInput, NotFound } from '../errors';
import { decodeCursor, toPage, type Page } from '../pagination';
import { Customer } from './customer.entity';
import { customerView } from './customer.view';
import type {
  CreateCustomerInput,
  ListCustomersQuery,
  UpdateCustomerInput,
} from './customers.input';

/** Customers are shared by all teams: any staff member or integration may record and read them. */
export async function createCustomer(
  ctx: ServiceContext,
  _actor: Actor,
  input: CreateCustomerInput,
): Promise<Customer> {
  const repo = ctx.dataSource.getRepository(Customer);
  // Millisecond timestamps from the clock, the precision the list cursor carries.
  const now = ctx.clock.now();
  return repo.save(
    repo.create({
      createdAt: now,
      updatedAt: now,
      name: input.name,
      email: input.email,
      tier: input.tier ?? 'standard',
      locale: input.locale ?? 'en',
      autoUpdates: input.autoUpdates ?? true,
    }),
  );
}

export async function getCustomer(ctx: ServiceContext, customerId: string): Promise<Customer> {
  const customer = await ctx.dataSource.getRepository(Customer).findOneBy({ id: customerId });
  if (!customer) throw new NotFound(`No customer ${customerId}.`);
  return customer;
}

export async function updateCustomer(
  ctx: ServiceContext,
  customerId: string,
  input: UpdateCustomerInput,
): Promise<Customer> {
  return ctx.dataSource.transaction(async (manager) => {
    const repo = manager.getRepository(Customer);
    const customer = await repo.findOne({
      where: { id: customerId },
      lock: { mode: 'for_no_key_update' },
    });
    if (!customer) throw new NotFound(`No customer ${customerId}.`);
    Object.assign(customer, input);
    return repo.save(customer);
  });
}

const customerCursor = z.object({ c: z.iso.datetime({ offset: true }), id: z.uuid() });

export async function listCustomers(
  ctx: ServiceContext,
  query: ListCustomersQuery,
): Promise<Page<ReturnType<typeof customerView>>> {
  const qb = ctx.dataSource
    .getRepository(Customer)
    .createQueryBuilder('c')
    .orderBy('c.created_at', 'DESC')
    .addOrderBy('c.id', 'DESC')
    .limit(query.limit + 1);
  if (query.email) qb.andWhere('lower(c.email) = lower(:email)', { email: query.email });
  if (query.cursor) {
    const at = decodeCursor(query.cursor, customerCursor);
    qb.andWhere('(c.created_at, c.id) < (:c, :id)', { c: at.c, id: at.id });
  }
  const rows = await qb.getMany();
  return toPage(rows, query.limit, customerView, (row) => ({
    c: row.createdAt.toISOString(),
    id: row.id,
  }));
}

export async function requireCustomerForField(
  manager: EntityManager,
  customerId: string,
  field: string,
): Promise<Customer> {
  const customer = await manager.getRepository(Customer).findOneBy({ id: customerId });
  if (!customer) throw InvalidInput.field(field, 'names no existing customer');
  return customer;
}
