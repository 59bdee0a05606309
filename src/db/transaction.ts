import type { DataSource, EntityManager } from 'typeorm';

const SERIALIZATION_FAILURE = '40001';
const DEADLOCK_DETECTED = '40P01';

/**
 * Runs work in one transaction. Serialization failures and deadlocks are retried a few times:
 * they mean "someone else won the race, try again", never a user error.
 */
export async function inTransaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      // READ COMMITTED, the server's default: naming it would cost a SET TRANSACTION round trip.
      return await dataSource.transaction(work);
    } catch (error) {
      const code = pgErrorCode(error);
      const retryable = code === SERIALIZATION_FAILURE || code === DEADLOCK_DETECTED;
      if (!retryable || attempt >= 3) throw error;
    }
  }
}

/** The SQLSTATE of a driver error, whether TypeORM wrapped it or not. */
export function pgErrorCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; driverError?: { code?: unknown } };
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The constraint a unique/foreign-key violation names, if any. */
export function pgConstraint(error: unknown): string | undefined {
  const e = error as { constraint?: unknown; driverError?: { constraint?: unknown } };
  const name = e?.driverError?.constraint ?? e?.constraint;
  return typeof name === 'string' ? name : undefined;
}

export const UNIQUE_VIOLATION = '23505';

/*
 * Row locks are taken FOR NO KEY UPDATE, never FOR UPDATE: we never change key columns, and
 * FOR UPDATE would also block the FOR KEY SHARE locks that inserting a child row (a timeline
 * event, an ownership period) takes on its parent, turning ordinary writes into deadlocks.
 */
