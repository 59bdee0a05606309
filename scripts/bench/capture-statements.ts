import { Client } from 'pg';

/**
 * Records every statement the pg driver sends while `run` runs (text, parameters and the rows
 * returned), so a benchmark can count round trips and replay the very same transaction with
 * pgbench.
 */
export interface CapturedStatement {
  text: string;
  values: unknown[];
  rows: Array<Record<string, unknown>>;
  /** From the statement being handed to the driver to its result (includes queueing). */
  ms: number;
}

export async function captureStatements<T>(
  run: () => Promise<T>,
): Promise<{ result: T; statements: CapturedStatement[] }> {
  const statements: CapturedStatement[] = [];
  const proto = Client.prototype as unknown as {
    query: (...args: unknown[]) => unknown;
  };
  const original = proto.query;
  proto.query = function (this: Client, ...args: unknown[]) {
    const out = original.apply(this, args);
    const [text, values] = args;
    if (typeof text === 'string' && out instanceof Promise) {
      const entry: CapturedStatement = {
        text,
        values: Array.isArray(values) ? values : [],
        rows: [],
        ms: 0,
      };
      const started = process.hrtime.bigint();
      statements.push(entry);
      return out.then((raw: { rows?: Array<Record<string, unknown>> }) => {
        entry.rows = raw?.rows ?? [];
        entry.ms = Number(process.hrtime.bigint() - started) / 1e6;
        return raw;
      });
    }
    return out;
  };
  try {
    const result = await run();
    return { result, statements };
  } finally {
    proto.query = original;
  }
}

/**
 * Counts the statements the pg driver sends while `run` runs (round trips), keeping nothing
 * else: for long runs, where `captureStatements` would hold every row returned.
 */
export async function countStatements<T>(
  run: () => Promise<T>,
): Promise<{ result: T; count: number }> {
  let count = 0;
  const proto = Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: Client, ...args: unknown[]) {
    count += 1;
    return original.apply(this, args);
  };
  try {
    const result = await run();
    return { result, count };
  } finally {
    proto.query = original;
  }
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { prepareValue } = require('pg/lib/utils') as { prepareValue(v: unknown): unknown };

function literal(value: unknown): string {
  const prepared = prepareValue(value);
  if (prepared === null || prepared === undefined) return 'NULL';
  if (Buffer.isBuffer(prepared)) return `'\\x${prepared.toString('hex')}'::bytea`;
  // In parentheses: a variable substituted after "::" splits the literal into a concatenation
  // (below), and a cast that follows ($1::text[]) must apply to the whole of it.
  return `('${String(prepared).replace(/'/g, "''")}')`;
}

/**
 * A pgbench script (simple protocol) replaying the statements: parameters become literals, and
 * every value an earlier statement returned (ids, refs) becomes a pgbench variable set by
 * `\gset`, so each replay inserts a new ticket with its own id.
 */
export function pgbenchScript(statements: CapturedStatement[], existingIds: Set<string>): string {
  const variables: Array<{ value: string; name: string }> = [];
  const lines: string[] = [];
  // Ids the application generated for new rows (timeline events, periods): new ones per replay.
  const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
  const returnedSoFar = new Set<string>();
  const fresh: string[] = [];
  for (const statement of statements) {
    for (const value of statement.values) {
      for (const id of String(value ?? '').match(uuid) ?? []) {
        if (!existingIds.has(id) && !returnedSoFar.has(id) && !fresh.includes(id)) fresh.push(id);
      }
    }
    for (const row of statement.rows) {
      for (const value of Object.values(row)) {
        for (const id of String(value ?? '').match(uuid) ?? []) returnedSoFar.add(id);
      }
    }
  }
  if (fresh.length > 0) {
    lines.push(
      `SELECT ${fresh.map((_, i) => `gen_random_uuid() AS u${i}`).join(', ')} \\gset new_`,
    );
    fresh.forEach((value, i) => variables.push({ value, name: `new_u${i}` }));
  }
  statements.forEach((statement, index) => {
    let sql = statement.text.replace(/\$(\d+)/g, (_m, n: string) =>
      literal(statement.values[Number(n) - 1]),
    );
    for (const v of variables) {
      sql = sql.split(v.value).join(`:${v.name}`);
      // pgbench skips "::" (a cast): end the literal there and concatenate the variable.
      sql = sql.split(`::${v.name}`).join(`:' || ':${v.name}`);
    }
    sql = sql.replace(/\s+/g, ' ').trim();
    const row = statement.rows.length === 1 ? statement.rows[0]! : undefined;
    const prefix = `s${index}_`;
    const returned = row
      ? Object.entries(row).filter(
          ([key, value]) =>
            /^[a-z_][a-z0-9_]*$/i.test(key) &&
            (typeof value === 'string' || typeof value === 'number') &&
            String(value).length >= 6,
        )
      : [];
    if (returned.length > 0) {
      lines.push(`${sql} \\gset ${prefix}`);
      for (const [key, value] of returned) {
        variables.push({ value: String(value), name: `${prefix}${key}` });
      }
    } else {
      lines.push(`${sql};`);
    }
  });
  return `${lines.join('\n')}\n`;
}
