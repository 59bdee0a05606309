/**
 * RFC 4180 CSV: CRLF line ends, a header row, and a field quoted (with quotes doubled) when it
 * holds a comma, a quote, CR or LF. Numbers are written as they are, null as an empty field.
 * A text field starting with =, +, - or @ (or a tab or CR) is prefixed with an apostrophe, so a
 * spreadsheet shows a customer's name instead of running it as a formula (OWASP CSV injection).
 */
export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly unknown[]>): string {
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}

const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
