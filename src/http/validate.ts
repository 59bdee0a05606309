import type { z } from 'zod';
import { unstorableReason } from '../common-input';
import { InvalidInput, type FieldError } from '../errors';

/**
 * Every string in a body or query (values and keys, at any depth), whatever its schema: text that
 * Postgres cannot store (NUL, half a surrogate pair) is refused with a 400 naming the field,
 * before any route can pass it on to a text or jsonb column.
 */
export function unstorableStrings(input: unknown, path: string[] = [], found: FieldError[] = []) {
  if (found.length >= 10) return found;
  if (typeof input === 'string') {
    const reason = unstorableReason(input);
    if (reason) found.push({ path: path.join('.'), message: reason });
  } else if (Array.isArray(input)) {
    input.forEach((item, i) => unstorableStrings(item, [...path, String(i)], found));
  } else if (input && typeof input === 'object') {
    for (const [key, value] of Object.entries(input)) {
      const keyReason = unstorableReason(key);
      if (keyReason) found.push({ path: [...path, '(a key)'].join('.'), message: keyReason });
      else unstorableStrings(value, [...path, key], found);
    }
  }
  return found;
}

function refuseUnstorable(input: unknown): void {
  const errors = unstorableStrings(input);
  if (errors.length > 0) throw new InvalidInput(errors, describe(errors));
}

/** Turns zod issues into field errors that name each bad field by its dotted path. */
export function fieldErrors(error: z.ZodError): FieldError[] {
  const errors: FieldError[] = [];
  for (const issue of error.issues) {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        errors.push({ path: base ? `${base}.${key}` : key, message: 'is not a known field' });
      }
      continue;
    }
    const missing = issue.code === 'invalid_type' && /received undefined/.test(issue.message);
    errors.push({ path: base, message: missing ? 'is required' : issue.message });
  }
  return errors;
}

function describe(errors: FieldError[]): string {
  return errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; ');
}

/** Validates a JSON body; a missing body is treated as an empty object so required fields are named. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  refuseUnstorable(body);
  const result = schema.safeParse(body === undefined ? {} : body);
  if (!result.success) {
    const errors = fieldErrors(result.error);
    throw new InvalidInput(errors, describe(errors));
  }
  return result.data;
}

export function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.output<S> {
  refuseUnstorable(query);
  const result = schema.safeParse(query);
  if (!result.success) {
    const errors = fieldErrors(result.error);
    throw new InvalidInput(errors, describe(errors));
  }
  return result.data;
}
