import { DateTime } from 'luxon';
import { ManualClock } from '../../src/clock';
import { businessMinutesBetween } from '../../src/deadline-rules/calendar';
import type { BusinessCalendar, BusinessHours } from '../../src/deadline-rules/business-calendar';
import { Fixtures } from '../helpers/factories';
import { startTestApp, type TestApp } from '../helpers/test-app';
import { setTicket } from './report-fixtures';

/**
 * The SLA report computes time to first response in business minutes in SQL (its own expansion
 * of the team calendar, docs/reports.md). These check it against businessMinutesBetween
 * (src/deadlines/calendar.ts), the calendar the deadlines use, on calendars that are easy to get
 * wrong: a DST change, a holiday, a 30-minute DST shift with hours to 24:00, a 45-minute offset.
 * Each ticket falls due on a day of its own, so each day's median is that ticket's figure.
 */
const clock = new ManualClock(new Date('2026-05-01T00:00:00Z'));
let app: TestApp;
let f: Fixtures;

beforeAll(async () => {
  app = await startTestApp({ clock });
  f = new Fixtures(app);
});
afterAll(() => app.close());

/** Deterministic pseudo-random numbers (a linear congruential generator). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

const hours = (days: string[], open: string, close: string): BusinessHours =>
  Object.fromEntries(days.map((day) => [day, { open, close }]));

const CASES: Array<{ name: string; calendar: BusinessCalendar; around: string }> = [
  {
    name: 'New York 9:00–17:30 on weekdays, across the March DST change, with a holiday',
    calendar: {
      timezone: 'America/New_York',
      businessHours: hours(['mon', 'tue', 'wed', 'thu', 'fri'], '09:00', '17:30'),
      holidays: ['2026-03-10'],
      sameDayCutoff: null,
    },
    around: '2026-03-08',
  },
  {
    name: 'Lord Howe Island (30-minute DST shift) 08:00–24:00 every day',
    calendar: {
      timezone: 'Australia/Lord_Howe',
      businessHours: hours(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], '08:00', '24:00'),
      holidays: [],
      sameDayCutoff: null,
    },
    around: '2026-04-05',
  },
  {
    name: 'Kathmandu (UTC+5:45) 10:00–18:00, Sunday to Friday',
    calendar: {
      timezone: 'Asia/Kathmandu',
      businessHours: hours(['sun', 'mon', 'tue', 'wed', 'thu', 'fri'], '10:00', '18:00'),
      holidays: ['2026-03-12'],
      sameDayCutoff: null,
    },
    around: '2026-03-10',
  },
];

describe('SLA report business minutes agree with the deadline calendar', () => {
  it.each(CASES)(
    'when tickets are answered at random moments ($name), then each one’s business minutes match businessMinutesBetween',
    async ({ calendar, around }) => {
      const { team, reps, supervisor, customer } = await f.staffedTeam({
        reps: 1,
        team: {
          timezone: calendar.timezone,
          businessHours: calendar.businessHours,
          holidays: calendar.holidays,
        },
      });
      const next = random(around.length * 7919 + calendar.timezone.length);
      const base = DateTime.fromISO(around, { zone: calendar.timezone }).minus({ days: 6 });
      const expected = new Map<string, number>();
      const count = 14;
      for (let i = 0; i < count; i++) {
        const started = base.plus({ minutes: Math.floor(next() * 12 * 24 * 60) });
        // Mostly within a few days; sometimes the same minute; sometimes a week later.
        const span = i === 0 ? 0 : i % 5 === 0 ? 7 * 24 * 60 : Math.floor(next() * 3 * 24 * 60);
        const responded = started.plus({ minutes: span, seconds: Math.floor(next() * 60) });
        const dueDay = DateTime.fromISO('2026-04-20', { zone: calendar.timezone }).plus({
          days: i,
        });
        const ticket = await f.ticket(reps[0]!.token, customer.id);
        await setTicket(app.dataSource, ticket.id, {
          received_at: started.toJSDate(),
          response_clock_started_at: started.toJSDate(),
          first_response_due_at: dueDay.set({ hour: 12 }).toJSDate(),
          first_responded_at: responded.toJSDate(),
        });
        expected.set(
          dueDay.toISODate()!,
          businessMinutesBetween(started.toJSDate(), responded.toJSDate(), calendar),
        );
      }
      const res = await f
        .as(supervisor.token)
        .get(`/reports/sla?teamId=${team.id}&from=2026-04-20&to=2026-05-03`);
      expect(res.status).toBe(200);
      const measured = new Map<string, number | null>(
        (
          res.body.days as Array<{
            day: string;
            timeToFirstResponse: { medianBusinessMinutes: number | null };
          }>
        ).map((d) => [d.day, d.timeToFirstResponse.medianBusinessMinutes]),
      );
      for (const [day, minutes] of expected) {
        // The report rounds to a tenth of a minute.
        expect({ day, minutes: measured.get(day) }).toEqual({
          day,
          minutes: Math.round(minutes * 10) / 10,
        });
      }
      expect(res.body.totals.timeToFirstResponse.measured).toBe(count);
    },
  );
});
