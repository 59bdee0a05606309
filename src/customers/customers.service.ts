import { z } from 'zod';
import { instant } from '../common-input';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../actor';
import type { ServiceContext } from '../context';
import { Forbidden, InvalidInput, NotFound } from '../errors';
import { recordCustomerChanges, servesCustomer, type CustomerChange } from './customer-changes';
import { decodeCursor, toPage, type Page } from '../pagination';
import type { CustomerTier } from '../deadline-rules/customer-tier';
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

/**
 * What else changes with a customer's tier (their open tickets' deadlines), supplied by the
 * composition root: it runs in the same transaction and may return work for after the commit.
 */
export type TierChangeHook = (
  manager: EntityManager,
  change: { customerId: string; from: CustomerTier; to: CustomerTier; at: Date },
) => Promise<() => Promise<void>>;

/** Fields only staff of a team that serves the customer (or admins) may change. */
const GUARDED_FIELDS = ['email', 'tier'] as const;

const AUDITED_FIELDS = ['name', 'email', 'tier', 'locale', 'autoUpdates'] as const;

/**
 * Name, locale and automatic updates: any staff member. Email and tier (where the customer's
 * mail goes, how fast they are owed an answer): staff of a team that serves the customer (has or
 * had a ticket for them) or admins; anyone else gets 403. Every change is audited.
 */
export async function updateCustomer(
  ctx: ServiceContext,
  actor: Actor,
  customerId: string,
  input: UpdateCustomerInput,
  onTierChange?: TierChangeHook,
): Promise<Customer> {
  let afterCommit: (() => Promise<void>) | undefined;
  const saved = await ctx.dataSource.transaction(async (manager) => {
    const repo = manager.getRepository(Customer);
    const customer = await repo.findOne({
      where: { id: customerId },
      lock: { mode: 'for_no_key_update' },
    });
    if (!customer) throw new NotFound(`No customer ${customerId}.`);
    const guarded = GUARDED_FIELDS.filter(
      (field) => input[field] !== undefined && input[field] !== customer[field],
    );
    if (guarded.length > 0 && !(await servesCustomer(manager, actor, customer.id))) {
      throw new Forbidden(
        `Only staff of a team that serves this customer, or an admin, can change ${guarded.join(' and ')}.`,
      );
    }
    const fromTier = customer.tier;
    const now = ctx.clock.now();
    const changes: CustomerChange[] = AUDITED_FIELDS.filter(
      (field) => input[field] !== undefined && input[field] !== customer[field],
    ).map((field) => ({
      customerId: customer.id,
      actorId: actor.id,
      at: now,
      field,
      from: String(customer[field]),
      to: String(input[field]),
    }));
    Object.assign(customer, input);
    const stored = await repo.save(customer);
    await recordCustomerChanges(manager, changes);
    // A tier sets first-response rules: open, unanswered tickets follow the new tier at once.
    if (onTierChange && input.tier !== undefined && input.tier !== fromTier) {
      afterCommit = await onTierChange(manager, {
        customerId: customer.id,
        from: fromTier,
        to: input.tier,
        at: now,
      });
    }
    return stored;
  });
  await afterCommit?.();
  return saved;
}

const customerCursor = z.object({ c: instant(), id: z.uuid() });

/**
 * Browsing lists the customers the caller's team serves (has or had a ticket for; admins: all).
 * `?email=` finds any customer by exact address, for anyone: a customer may call any silo.
 */
export async function listCustomers(
  ctx: ServiceContext,
  actor: Actor,
  query: ListCustomersQuery,
): Promise<Page<ReturnType<typeof customerView>>> {
  const qb = ctx.dataSource
    .getRepository(Customer)
    .createQueryBuilder('c')
    .orderBy('c.created_at', 'DESC')
    .addOrderBy('c.id', 'DESC')
    .limit(query.limit + 1);
  if (query.email) qb.andWhere('lower(c.email) = lower(:email)', { email: query.email });
  else if (actor.role !== 'admin') {
    qb.andWhere(
      'EXISTS (SELECT 1 FROM tickets t WHERE t.customer_id = c.id AND t.team_id = :servingTeam)',
      // No team serves nobody: a team-less caller browses nothing.
      { servingTeam: actor.teamId ?? '00000000-0000-0000-0000-000000000000' },
    );
  }
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
