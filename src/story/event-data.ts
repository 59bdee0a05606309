/** Typed reads of a timeline event's JSON data (absent or of another type: null). */

export const str = (data: Record<string, unknown>, key: string): string | null => {
  const value = data[key];
  return typeof value === 'string' ? value : null;
};

export const num = (data: Record<string, unknown>, key: string): number | null => {
  const value = data[key];
  return typeof value === 'number' ? value : null;
};
