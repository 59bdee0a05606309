/** A `datetime-local` field's value as an ISO time (the browser's timezone), '' when empty. */
export function isoFromLocalInput(value: string): string {
  if (!value) return '';
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? value : at.toISOString();
}
