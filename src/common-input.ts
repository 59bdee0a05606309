import { z } from 'zod';

/** Building blocks shared by the input schemas of every module. */
export const uuid = z.uuid({ message: 'must be a UUID' });

export const requiredText = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    // Postgres text cannot hold NUL; refuse it here rather than fail at the database.
    .refine((value) => !value.includes('\u0000'), 'must not contain NUL characters');

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
