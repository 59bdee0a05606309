import type { EntityManager } from 'typeorm';

/**
 * Every change to a customer is one row per field in `customer_changes` (append-only): who, when,
 * old → new. Written in the transaction of the change; the customer's story shows them.
 */
export interface CustomerChange {
  customerId: string;
  actorId: string | null;
  at: Date;
  field: string;
  from: string | null;
  to: string | null;
}

export async function recordCustomerChanges(
  manager: EntityManager,
  changes: CustomerChange[],
): Promise<void> {
  for (const c of changes) {
    if (c.from === c.to) continue;
    await manager.query(
      `INSERT INTO customer_changes (customer_id, changed_by_id, changed_at, field, old_value, new_value)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [c.customerId, c.actorId, c.at, c.field, c.from, c.to],
    );
  }
}

export interface CustomerChangeRow {
  at: Date;
  field: string;
  from: string | null;
  to: string | null;
  actorId: string | null;
  actorName: string | null;
}

export async function loadCustomerChanges(
  manager: EntityManager,
  customerId: string,
): Promise<CustomerChangeRow[]> {
  const rows: Array<{
    changed_at: Date;
    field: string;
    old_value: string | null;
    new_value: string | null;
    changed_by_id: string | null;
    actor_name: string | null;
  }> = await manager.query(
    `SELECT c.changed_at, c.field, c.old_value, c.new_value, c.changed_by_id, a.name AS actor_name
       FROM customer_changes c
       LEFT JOIN agents a ON a.id = c.changed_by_id
      WHERE c.customer_id = $1
      ORDER BY c.seq`,
    [customerId],
  );
  return rows.map((r) => ({
    at: r.changed_at,
    field: r.field,
    from: r.old_value,
    to: r.new_value,
    actorId: r.changed_by_id,
    actorName: r.actor_name,
  }));
}

/** Whether the actor's team has or had a ticket for the customer (admins: every customer). */
export async function servesCustomer(
  manager: EntityManager,
  actor: { role: string; teamId: string | null },
  customerId: string,
): Promise<boolean> {
  if (actor.role === 'admin') return true;
  if (!actor.teamId) return false;
  const rows: unknown[] = await manager.query(
    `SELECT 1 FROM tickets WHERE customer_id = $1 AND team_id = $2 LIMIT 1`,
    [customerId, actor.teamId],
  );
  return rows.length > 0;
}
