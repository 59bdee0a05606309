import fc from 'fast-check';
import { DateTime, IANAZone, type Zone } from 'luxon';
import { zoneNamed } from '../../src/deadline-rules/time-zones';

// Zones with hour, half-hour and 45-minute offsets and shifts, and one without DST.
const ZONES = [
  'Europe/Berlin',
  'America/New_York',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'Asia/Kathmandu',
  'America/Sao_Paulo',
  'Asia/Tokyo',
];

describe('cached time zones', () => {
  it('give the offset Luxon computes, at any instant', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }),
        (name, ts) => {
          const cached = zoneNamed(name) as Zone;
          expect(cached.offset(ts)).toBe(IANAZone.create(name).offset(ts));
        },
      ),
      { numRuns: 5_000 },
    );
  });

  it('give exact offsets and names on both sides of every offset change, to the millisecond', () => {
    const halfDay = 12 * 3_600_000;
    let changes = 0;
    for (const name of ZONES) {
      const plain = IANAZone.create(name);
      const cached = zoneNamed(name) as Zone;
      for (let ts = Date.UTC(2024, 0, 1); ts < Date.UTC(2028, 0, 1); ts += halfDay) {
        if (plain.offset(ts) === plain.offset(ts + halfDay)) continue;
        // The first millisecond of the new offset, by bisection.
        let [before, after] = [ts, ts + halfDay];
        while (after - before > 1) {
          const middle = Math.floor((before + after) / 2);
          if (plain.offset(middle) === plain.offset(ts)) before = middle;
          else after = middle;
        }
        changes++;
        for (const delta of [-900_001, -60_000, -2, -1, 0, 1, 2, 60_000, 900_000]) {
          const probe = after + delta;
          expect([name, probe, cached.offset(probe)]).toEqual([name, probe, plain.offset(probe)]);
          for (const format of ['short', 'long'] as const) {
            expect(cached.offsetName(probe, { format, locale: 'de-DE' })).toBe(
              plain.offsetName(probe, { format, locale: 'de-DE' }),
            );
          }
        }
      }
    }
    expect(changes).toBeGreaterThan(20); // the walk did find the changes
  });

  it('give the same local times and formats as a plain zone', () => {
    const instant = new Date('2026-03-29T00:59:59.999Z'); // a second before Berlin's spring change
    for (const ms of [0, 1, 3_600_000, 7_200_000]) {
      const at = new Date(instant.getTime() + ms);
      const cached = DateTime.fromJSDate(at, { zone: zoneNamed('Europe/Berlin') });
      const plain = DateTime.fromJSDate(at, { zone: 'Europe/Berlin' });
      expect(cached.toISO()).toBe(plain.toISO());
      expect(cached.toFormat("ccc d LLL HH:mm '('ZZZZ')'")).toBe(
        plain.toFormat("ccc d LLL HH:mm '('ZZZZ')'"),
      );
      expect(cached.startOf('day').toMillis()).toBe(plain.startOf('day').toMillis());
    }
  });
});
