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

  override offsetName(ts: number, options: ZoneOffsetOptions): string {
    const { format, locale } = options;
    const key = `${locale ?? ''}\u0000${format ?? ''}`;
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
    const part = formatter
      .formatToParts(new Date(ts))
      .find((p) => p.type.toLowerCase() === 'timezonename');
    return part ? part.value : (null as unknown as string);
  }
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
