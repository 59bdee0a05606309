import type { z } from 'zod';
import { InvalidInput, type FieldError } from '../errors';

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
  const result = schema.safeParse(body === undefined ? {} : body);
  if (!result.success) {
    const errors = fieldErrors(result.error);
    throw new InvalidInput(errors, describe(errors));
  }
  return result.data;
}

export function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.output<S> {
  const result = schema.safeParse(query);
  if (!result.success) {
    const errors = fieldErrors(result.error);
    throw new InvalidInput(errors, describe(errors));
  }
  return result.data;
}
