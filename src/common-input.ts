import { z } from 'zod';

/** Building blocks shared by the input schemas of every module. */
export const uuid = z.uuid({ message: 'must be a UUID' });

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');

/**
 * Why Postgres could not store this string, if it could not: text cannot hold NUL, and jsonb
 * (and UTF-8) cannot hold half of a UTF-16 surrogate pair ("\ud800" is valid JSON, not Unicode).
 */
export function unstorableReason(value: string): string | undefined {
  if (value.includes('\u0000')) return 'must not contain NUL characters';
  if (LONE_SURROGATE.test(value))
    return 'must be valid Unicode (it holds half of a surrogate pair)';
  return undefined;
}

/** For text from outside that must be kept (inbound mail): what Postgres cannot store is replaced. */
export function storableText(value: string): string {
  return value.replaceAll('\u0000', '').replace(LONE_SURROGATES, '\uFFFD');
}

export const requiredText = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    // Refused here, naming the field, rather than failing at the database.
    .superRefine((value, context) => {
      const reason = unstorableReason(value);
      if (reason) context.addIssue({ code: 'custom', message: reason });
    });

export const optionalText = (max: number) => requiredText(max).optional();

export const emailAddress = z
  .string()
  .trim()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email({ message: 'must be an email address' }))
  .transform((value) => value.toLowerCase());

export const hhmm = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time "HH:MM" (24-hour)');

export const isoDate = z.iso.date({ message: 'must be a date "YYYY-MM-DD"' });

/** Query-string boolean: only the words true and false. */
export const queryBoolean = z
  .enum(['true', 'false'], { message: 'must be true or false' })
  .transform((value) => value === 'true');

/** Postgres keeps UTC offsets within ±15:59 and years from 1 (ISO "0000" is 1 BC, refused). */
const MAX_OFFSET_MINUTES = 15 * 60 + 59;

const isoWithOffset = z.iso.datetime({ offset: true });

function storableInstant(value: string): boolean {
  // Not an ISO time at all: the format check already says so, once.
  if (!isoWithOffset.safeParse(value).success) return true;
  const year = Number(value.slice(0, 4));
  if (!(year >= 1)) return false;
  const offset = /([+-])(\d{2}):?(\d{2})$/.exec(value);
  if (offset && Number(offset[2]) * 60 + Number(offset[3]) > MAX_OFFSET_MINUTES) return false;
  return !Number.isNaN(Date.parse(value));
}

/**
 * An ISO-8601 time with an offset that Postgres can store: the one schema for instants in
 * bodies, queries and cursors (zod alone accepts year 0000 and offsets up to ±23:59).
 */
export const instant = (message = 'must be an ISO-8601 time with offset') =>
  z.iso
    .datetime({ offset: true, message })
    .refine(
      storableInstant,
      'must be a time between the years 0001 and 9999, offset within ±15:59',
    );
