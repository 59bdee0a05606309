import {
  closeOfArrivalBusinessDay,
  closeOfNextBusinessDay,
} from '../../src/deadline-rules/calendar';
import type { BusinessCalendar, BusinessHours } from '../../src/deadline-rules/business-calendar';
import { calendar, NINE_TO_FIVE, WEEKDAYS } from './berlin-calendar';

const EVERY_DAY: BusinessHours = { ...WEEKDAYS, sat: NINE_TO_FIVE, sun: NINE_TO_FIVE };

/** The close of the business day a concern arriving at `arrival` (UTC ISO) is due, as UTC ISO. */
const dueFor = (arrival: string, cal: BusinessCalendar) =>
  closeOfArrivalBusinessDay(new Date(arrival), cal).at.toISOString();

// March 2026 in Berlin is UTC+1 until Sunday the 29th; 2026-03-04 is a Wednesday.
describe('closeOfArrivalBusinessDay', () => {
  it("when a concern arrives on a business day before the cutoff, then it is due at that day's close", () => {
    const result = closeOfArrivalBusinessDay(
      new Date('2026-03-04T09:00:00Z'),
      calendar({ sameDayCutoff: '15:00' }),
    );

    expect(result.at.toISOString()).toBe('2026-03-04T16:00:00.000Z'); // Wed 17:00 Berlin
    expect(result).toMatchObject({
      localDate: '2026-03-04',
      cutoffApplied: false,
      arrivedOnBusinessDay: true,
    });
  });

  it("when a concern arrives exactly at the cutoff, then it is due at the next business day's close", () => {
    const result = closeOfArrivalBusinessDay(
      new Date('2026-03-04T14:00:00Z'),
      calendar({ sameDayCutoff: '15:00' }),
    );

    expect(result.at.toISOString()).toBe('2026-03-05T16:00:00.000Z'); // Thu 17:00 Berlin
    expect(result).toMatchObject({ localDate: '2026-03-05', cutoffApplied: true });
  });

  it('when a concern arrives a minute before the cutoff, then it is still due the same day', () => {
    expect(dueFor('2026-03-04T13:59:00Z', calendar({ sameDayCutoff: '15:00' }))).toBe(
      '2026-03-04T16:00:00.000Z',
    );
  });

  it('when there is no cutoff, then the close is the cutoff', () => {
    expect(dueFor('2026-03-04T15:59:00Z', calendar())).toBe('2026-03-04T16:00:00.000Z');
    expect(dueFor('2026-03-04T16:00:00Z', calendar())).toBe('2026-03-05T16:00:00.000Z');
  });

  it("when a concern arrives before opening on a business day, then it is due at that day's close", () => {
    expect(dueFor('2026-03-04T06:00:00Z', calendar({ sameDayCutoff: '15:00' }))).toBe(
      '2026-03-04T16:00:00.000Z',
    );
  });

  it("when a concern arrives on Friday evening, then it is due at Monday's close", () => {
    const result = closeOfArrivalBusinessDay(new Date('2026-03-06T18:30:00Z'), calendar());

    expect(result.at.toISOString()).toBe('2026-03-09T16:00:00.000Z');
    expect(result.localDate).toBe('2026-03-09');
  });

  it("when a concern arrives on a Saturday, then it is due at Monday's close and not on a business day", () => {
    const result = closeOfArrivalBusinessDay(new Date('2026-03-07T10:00:00Z'), calendar());

    expect(result.at.toISOString()).toBe('2026-03-09T16:00:00.000Z');
    expect(result.arrivedOnBusinessDay).toBe(false);
  });

  it('when the next business day is a holiday, then it is skipped', () => {
    const cal = calendar({ holidays: ['2026-03-05'] });

    expect(dueFor('2026-03-04T17:00:00Z', cal)).toBe('2026-03-06T16:00:00.000Z'); // Wed evening -> Fri
  });

  it("when a concern arrives on a holiday, then it is due at the next business day's close", () => {
    const cal = calendar({ holidays: ['2026-03-04'] });

    const result = closeOfArrivalBusinessDay(new Date('2026-03-04T09:00:00Z'), cal);

    expect(result.at.toISOString()).toBe('2026-03-05T16:00:00.000Z');
    expect(result.arrivedOnBusinessDay).toBe(false);
  });

  it('when a holiday falls on the Monday after a weekend, then Friday evening is due on Tuesday', () => {
    expect(dueFor('2026-03-06T18:00:00Z', calendar({ holidays: ['2026-03-09'] }))).toBe(
      '2026-03-10T16:00:00.000Z',
    );
  });

  it('when Berlin springs forward, then the close is 17:00 summer time (15:00 UTC)', () => {
    // Clocks go 02:00 -> 03:00 on Sunday 2026-03-29.
    expect(dueFor('2026-03-27T17:30:00Z', calendar())).toBe('2026-03-30T15:00:00.000Z'); // Fri evening -> Mon
    expect(dueFor('2026-03-28T17:00:00Z', calendar({ businessHours: EVERY_DAY }))).toBe(
      '2026-03-29T15:00:00.000Z',
    );
  });

  it('when Berlin falls back, then the close is 17:00 winter time (16:00 UTC)', () => {
    // Clocks go 03:00 -> 02:00 on Sunday 2026-10-25.
    expect(dueFor('2026-10-23T16:30:00Z', calendar())).toBe('2026-10-26T16:00:00.000Z'); // Fri evening -> Mon
    expect(dueFor('2026-10-24T16:00:00Z', calendar({ businessHours: EVERY_DAY }))).toBe(
      '2026-10-25T16:00:00.000Z',
    );
  });

  it('when New York springs forward, then the close is 17:00 EDT (21:00 UTC)', () => {
    // Clocks go 02:00 -> 03:00 on Sunday 2026-03-08.
    const ny = calendar({ timezone: 'America/New_York' });
    expect(dueFor('2026-03-06T23:00:00Z', ny)).toBe('2026-03-09T21:00:00.000Z'); // Fri 18:00 EST -> Mon
    expect(dueFor('2026-03-07T23:00:00Z', { ...ny, businessHours: EVERY_DAY })).toBe(
      '2026-03-08T21:00:00.000Z',
    );
  });

  it('when New York falls back, then the close is 17:00 EST (22:00 UTC)', () => {
    // Clocks go 02:00 -> 01:00 on Sunday 2026-11-01.
    const ny = calendar({ timezone: 'America/New_York' });
    expect(dueFor('2026-10-30T22:00:00Z', ny)).toBe('2026-11-02T22:00:00.000Z'); // Fri 18:00 EDT -> Mon
    expect(dueFor('2026-10-31T22:00:00Z', { ...ny, businessHours: EVERY_DAY })).toBe(
      '2026-11-01T22:00:00.000Z',
    );
  });

  it("when the local day differs from the UTC day, then the team's local day decides", () => {
    // 23:30 UTC on Thursday is already Friday 08:30 in Tokyo: due at Friday's close there.
    const tokyo = calendar({ timezone: 'Asia/Tokyo' });
    expect(dueFor('2026-03-05T23:30:00Z', tokyo)).toBe('2026-03-06T08:00:00.000Z');
  });
});

describe('closeOfNextBusinessDay', () => {
  it("when asked on a Wednesday, then it is Thursday's close", () => {
    expect(
      closeOfNextBusinessDay(new Date('2026-03-04T09:00:00Z'), calendar()).at.toISOString(),
    ).toBe('2026-03-05T16:00:00.000Z');
  });

  it("when asked on a Friday before a Monday holiday, then it is Tuesday's close", () => {
    const cal = calendar({ holidays: ['2026-03-09'] });
    expect(closeOfNextBusinessDay(new Date('2026-03-06T09:00:00Z'), cal).at.toISOString()).toBe(
      '2026-03-10T16:00:00.000Z',
    );
  });

  it('when the next business day is across the spring-forward change, then it is 17:00 local summer time', () => {
    expect(
      closeOfNextBusinessDay(new Date('2026-03-27T09:00:00Z'), calendar()).at.toISOString(),
    ).toBe('2026-03-30T15:00:00.000Z');
  });
});
