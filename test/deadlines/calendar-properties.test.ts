import fc from 'fast-check';
import { DateTime } from 'luxon';
import {
  addBusinessMinutes,
  businessMinutesBetween,
  closeOfArrivalBusinessDay,
  closeOfNextBusinessDay,
  isWithinBusinessHours,
  openingHoursOn,
  subtractBusinessMinutes,
} from '../../src/deadline-rules/calendar';
import type { BusinessCalendar } from '../../src/deadline-rules/business-calendar';

/**
 * Properties of the business calendar across zones with DST changes: New York and Berlin (one
 * hour, different dates) and Lord Howe Island (a half-hour shift). Instants are drawn from 2026
 * and 2027 so every transition is crossed, with weekends, holidays, cutoffs and midnight.
 */
const WEEKDAYS_9_TO_17 = {
  mon: { open: '09:00', close: '17:00' },
  tue: { open: '09:00', close: '17:00' },
  wed: { open: '09:00', close: '17:00' },
  thu: { open: '09:00', close: '17:00' },
  fri: { open: '09:00', close: '17:00' },
};
const AROUND_THE_CLOCK = Object.fromEntries(
  ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [
    d,
    { open: '00:00', close: '24:00' },
  ]),
);
// Spans the small hours, where DST changes happen.
const NIGHT_SHIFT = {
  mon: { open: '00:30', close: '06:00' },
  tue: { open: '01:00', close: '04:00' },
  sat: { open: '00:00', close: '03:30' },
  sun: { open: '01:30', close: '05:00' },
};

const calendars: BusinessCalendar[] = [];
for (const timezone of ['America/New_York', 'Europe/Berlin', 'Australia/Lord_Howe']) {
  calendars.push(
    {
      timezone,
      businessHours: WEEKDAYS_9_TO_17,
      holidays: ['2026-03-09', '2026-10-26', '2026-12-25', '2027-04-05'],
      sameDayCutoff: '15:30',
    },
    { timezone, businessHours: AROUND_THE_CLOCK, holidays: ['2026-12-25'], sameDayCutoff: null },
    { timezone, businessHours: NIGHT_SHIFT, holidays: ['2026-10-04'], sameDayCutoff: null },
  );
}

const START = Date.UTC(2026, 0, 1);
const END = Date.UTC(2027, 11, 31);
const instant = fc.integer({ min: START, max: END }).map((ms) => new Date(ms));
const calendar = fc.constantFrom(...calendars);
const minutes = fc.integer({ min: 0, max: 6_000 });
const RUNS = { numRuns: 300 };

const local = (at: Date, cal: BusinessCalendar) => DateTime.fromJSDate(at, { zone: cal.timezone });

describe('business calendar properties (New York, Berlin, Lord Howe)', () => {
  it('when N business minutes are added, then exactly N business minutes lie between start and result', () => {
    fc.assert(
      fc.property(calendar, instant, minutes, (cal, start, n) => {
        const end = addBusinessMinutes(start, n, cal);
        expect(end.getTime()).toBeGreaterThanOrEqual(start.getTime());
        expect(businessMinutesBetween(start, end, cal)).toBeCloseTo(n, 6);
      }),
      RUNS,
    );
  });

  it('when more minutes are added, then the result is never earlier (monotonic)', () => {
    fc.assert(
      fc.property(calendar, instant, minutes, minutes, (cal, start, a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(addBusinessMinutes(start, low, cal).getTime()).toBeLessThanOrEqual(
          addBusinessMinutes(start, high, cal).getTime(),
        );
      }),
      RUNS,
    );
  });

  it('when N > 0 business minutes are added, then the result lies within or at the close of business hours', () => {
    fc.assert(
      fc.property(calendar, instant, fc.integer({ min: 1, max: 6_000 }), (cal, start, n) => {
        const end = addBusinessMinutes(start, n, cal);
        const justBefore = new Date(end.getTime() - 1);
        expect(isWithinBusinessHours(justBefore, cal)).toBe(true);
      }),
      RUNS,
    );
  });

  it('when N business minutes are subtracted from a result, then we are back at or before the start', () => {
    fc.assert(
      fc.property(calendar, instant, minutes, (cal, start, n) => {
        const end = addBusinessMinutes(start, n, cal);
        const back = subtractBusinessMinutes(end, n, cal);
        expect(back.getTime()).toBeLessThanOrEqual(end.getTime());
        expect(businessMinutesBetween(back, end, cal)).toBeCloseTo(n, 6);
        expect(businessMinutesBetween(back, start, cal)).toBeCloseTo(0, 6);
      }),
      RUNS,
    );
  });

  it('when a concern arrives, then it is due after arrival, at the close of a business day', () => {
    fc.assert(
      fc.property(calendar, instant, (cal, arrival) => {
        const due = closeOfArrivalBusinessDay(arrival, cal);
        expect(due.at.getTime()).toBeGreaterThan(arrival.getTime());
        const day = DateTime.fromISO(due.localDate, { zone: cal.timezone });
        const hours = openingHoursOn(cal, day);
        expect(hours).toBeDefined();
        expect(cal.holidays).not.toContain(due.localDate);
        const close =
          hours!.close === '24:00'
            ? day.plus({ days: 1 }).startOf('day')
            : day.set({
                hour: Number(hours!.close.slice(0, 2)),
                minute: Number(hours!.close.slice(3)),
              });
        expect(due.at.getTime()).toBe(close.toMillis());
      }),
      RUNS,
    );
  });

  it('when a concern arrives on a business day before the cutoff, then it is due that same day; otherwise later', () => {
    fc.assert(
      fc.property(calendar, instant, (cal, arrival) => {
        const due = closeOfArrivalBusinessDay(arrival, cal);
        const arrivalDay = local(arrival, cal).toISODate();
        const hours = openingHoursOn(cal, local(arrival, cal));
        if (!hours) {
          expect(due.arrivedOnBusinessDay).toBe(false);
          expect(due.localDate > arrivalDay!).toBe(true);
          return;
        }
        const cutoff =
          cal.sameDayCutoff && cal.sameDayCutoff < hours.close ? cal.sameDayCutoff : hours.close;
        const beforeCutoff = local(arrival, cal).toFormat('HH:mm') < cutoff;
        expect(due.cutoffApplied).toBe(!beforeCutoff);
        if (beforeCutoff) expect(due.localDate).toBe(arrivalDay);
        else expect(due.localDate > arrivalDay!).toBe(true);
      }),
      RUNS,
    );
  });

  it('when the next business day is asked for, then no business day lies strictly between', () => {
    fc.assert(
      fc.property(calendar, instant, (cal, at) => {
        const next = closeOfNextBusinessDay(at, cal);
        let day = local(at, cal).startOf('day').plus({ days: 1 });
        while (day.toISODate()! < next.localDate) {
          expect(openingHoursOn(cal, day)).toBeUndefined();
          day = day.plus({ days: 1 });
        }
      }),
      RUNS,
    );
  });

  it('when business minutes are counted over a span, then they never exceed the wall-clock minutes', () => {
    fc.assert(
      fc.property(
        calendar,
        instant,
        fc.integer({ min: 0, max: 20 * 24 * 60 }),
        (cal, from, span) => {
          const to = new Date(from.getTime() + span * 60_000);
          const counted = businessMinutesBetween(from, to, cal);
          expect(counted).toBeGreaterThanOrEqual(0);
          expect(counted).toBeLessThanOrEqual(span + 1e-9);
        },
      ),
      RUNS,
    );
  });
});

describe('DST and half-hour shifts, by example', () => {
  const lordHowe: BusinessCalendar = {
    timezone: 'Australia/Lord_Howe',
    businessHours: AROUND_THE_CLOCK,
    holidays: [],
    sameDayCutoff: null,
  };

  it('when Lord Howe springs forward 30 minutes (2026-10-04 02:00), then that day has 23.5 business hours', () => {
    const start = DateTime.fromISO('2026-10-04T00:00', { zone: 'Australia/Lord_Howe' }).toJSDate();
    const end = DateTime.fromISO('2026-10-05T00:00', { zone: 'Australia/Lord_Howe' }).toJSDate();
    expect(businessMinutesBetween(start, end, lordHowe)).toBe(23.5 * 60);
  });

  it('when Berlin falls back (2026-10-25), then 17:00 the next weekday is 16:00 UTC, not 15:00', () => {
    const berlin: BusinessCalendar = {
      timezone: 'Europe/Berlin',
      businessHours: WEEKDAYS_9_TO_17,
      holidays: [],
      sameDayCutoff: null,
    };
    const friday = new Date('2026-10-23T16:30:00Z'); // 18:30 CEST, after the close
    expect(closeOfArrivalBusinessDay(friday, berlin).at.toISOString()).toBe(
      '2026-10-26T16:00:00.000Z',
    );
  });

  it('when New York springs forward (2026-03-08), then 8 business hours from Friday 13:00 end Monday 13:00 EDT', () => {
    const ny: BusinessCalendar = {
      timezone: 'America/New_York',
      businessHours: WEEKDAYS_9_TO_17,
      holidays: [],
      sameDayCutoff: null,
    };
    const friday = new Date('2026-03-06T18:00:00Z'); // 13:00 EST
    expect(addBusinessMinutes(friday, 8 * 60, ny).toISOString()).toBe('2026-03-09T17:00:00.000Z'); // 13:00 EDT
  });

  it('when a 24/7 team gets a concern at 23:59, then it is due at midnight, one minute later', () => {
    const tz: BusinessCalendar = { ...lordHowe, timezone: 'Europe/Berlin' };
    const arrival = DateTime.fromISO('2026-06-10T23:59', { zone: 'Europe/Berlin' }).toJSDate();
    const due = closeOfArrivalBusinessDay(arrival, tz);
    expect(due.at.getTime() - arrival.getTime()).toBe(60_000);
  });
});
