import { z } from 'zod';
import { uuid, instant } from '../common-input';
import { pageQuery } from '../pagination';

/** "YYYY-MM-DD" (a whole day in the report's timezone) or an ISO date-time with an offset. */
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const periodBound = z
  .string()
  .refine(
    (value) =>
      (DATE_ONLY.test(value) && z.iso.date().safeParse(value).success) ||
      instant().safeParse(value).success,
    'must be a date "YYYY-MM-DD" or a date-time with offset, e.g. "2026-03-01T00:00:00Z"',
  );

/** JSON unless asked for CSV (this parameter wins over the Accept header). */
const format = z.enum(['json', 'csv'], { message: 'must be json or csv' }).optional();

const period = { from: periodBound.optional(), to: periodBound.optional() };

export const slaReportQuery = z.strictObject({ teamId: uuid.optional(), ...period, format });
export type SlaReportQuery = z.output<typeof slaReportQuery>;

export const rootCauseReportQuery = z.strictObject({ teamId: uuid.optional(), ...period, format });
export type RootCauseReportQuery = z.output<typeof rootCauseReportQuery>;

export const atRiskReportQuery = z.strictObject({ teamId: uuid.optional(), ...pageQuery, format });
export type AtRiskReportQuery = z.output<typeof atRiskReportQuery>;

export type ReportFormat = 'json' | 'csv';
