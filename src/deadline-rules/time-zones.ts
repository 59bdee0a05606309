import { IANAZone, type Zone, type ZoneOffsetOptions } from 'luxon';

/**
 * Luxon builds a new Intl.DateTimeFormat every time it prints a zone's name (the `ZZZZ` token,
 * "CET"), and building one costs far more than using one: it showed as ~5 % of the API's CPU per
 * ticket create and more in email rendering (issue 15's profiles, `parseZoneInfo`). This zone
 * keeps one formatter per (zone, locale, style) and asks it exactly what Luxon asks a new one, so
 * the text is the same.
 */
class CachedIanaZone extends IANAZone {
  private readonly formats = new Map<string, Intl.DateTimeFormat>();
  private readonly offsets = new Map<number, number>();
  private readonly names = new Map<string, string>();

  /**
   * Luxon asks a zone its offset several times per DateTime (each a formatToParts call: the
   * largest share of calendar maths). The offset is the same for a whole 15-minute slice unless
   * it changes inside it: when both ends of a slice agree, the slice's offset is remembered.
   * No zone changes its offset twice within 15 minutes, so the answer is exact.
   */
  override offset(ts: number): number {
    const slice = Math.floor(ts / OFFSET_SLICE_MS);
    const known = this.offsets.get(slice);
    if (known !== undefined) return known;
    const start = super.offset(slice * OFFSET_SLICE_MS);
    const end = super.offset((slice + 1) * OFFSET_SLICE_MS - 1);
    if (start !== end) return super.offset(ts);
    if (this.offsets.size >= MAX_REMEMBERED_SLICES) this.offsets.clear();
    this.offsets.set(slice, start);
    return start;
  }

  override offsetName(ts: number, options: ZoneOffsetOptions): string {
    const { format, locale } = options;
    const key = `${locale ?? ''}\u0000${format ?? ''}`;
    // Like offsets, a name is remembered for a slice whose two ends have the same name.
    const slice = Math.floor(ts / OFFSET_SLICE_MS);
    const sliceKey = `${slice}\u0000${key}`;
    const known = this.names.get(sliceKey);
    if (known !== undefined) return known;
    const formatter = this.formatter(key, format, locale);
    const start = nameAt(formatter, slice * OFFSET_SLICE_MS);
    const end = nameAt(formatter, (slice + 1) * OFFSET_SLICE_MS - 1);
    if (start !== end || start === null) return nameAt(formatter, ts) as string;
    if (this.names.size >= MAX_REMEMBERED_SLICES) this.names.clear();
    this.names.set(sliceKey, start);
    return start;
  }

  private formatter(
    key: string,
    format: ZoneOffsetOptions['format'],
    locale: string | undefined,
  ): Intl.DateTimeFormat {
    let formatter = this.formats.get(key);
    if (!formatter) {
      formatter = new Intl.DateTimeFormat(locale, {
        timeZoneName: format,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        timeZone: this.name,
      });
      this.formats.set(key, formatter);
    }
    return formatter;
  }
}

const OFFSET_SLICE_MS = 15 * 60_000;
/** About a year of slices per zone: a bounded memory, whatever instants are asked. */
const MAX_REMEMBERED_SLICES = 40_000;

/** The zone's name (CET, GMT+1, Central European Time…) at an instant, as Luxon reads it. */
function nameAt(formatter: Intl.DateTimeFormat, ts: number): string | null {
  const part = formatter
    .formatToParts(new Date(ts))
    .find((p) => p.type.toLowerCase() === 'timezonename');
  return part ? part.value : null;
}

const zones = new Map<string, Zone | string>();

/**
 * The zone to hand Luxon for an IANA name (`{ zone: zoneNamed(team.timezone) }`). Names Luxon
 * treats specially (UTC, GMT, fixed offsets) and invalid names are passed through unchanged.
 */
export function zoneNamed(name: string): Zone | string {
  let zone = zones.get(name);
  if (zone === undefined) {
    const special = /^(utc|gmt|system|default)$/i.test(name) || /^utc[+-]/i.test(name);
    zone = !special && IANAZone.isValidZone(name) ? new CachedIanaZone(name) : name;
    if (zones.size < 1_000) zones.set(name, zone);
  }
  return zone;
}
