import fc from 'fast-check';
import {
  addBusinessDays,
  addBusinessMinutes,
  isWithinBusinessHours,
  nextOpening,
} from '../../src/deadline-rules/calendar';
import {
  audienceForLevel,
  computeNextUpdateAfterUpdate,
  computePromisedUpdate,
  computeWaitingMoments,
} from '../../src/deadline-rules/deadline-policy';
import { calendar, policy, WEEKDAYS } from './berlin-calendar';

/**
 * The pure parts of "every promised time is a deadline": what a holding update promises, the
 * escalation ladder, the waiting-on-customer moments and staff opening hours, on the shared
 * 9–17 Berlin calendar of March 2026 (berlin-calendar.ts).
 */
const at = (iso: string) => new Date(iso);

describe('computePromisedUpdate', () => {
  it('when a holding update goes out without nextUpdateWithinMinutes, then it promises the close of the next business day and says it was promised in the holding update', () => {
    const basis = computePromisedUpdate(at('2026-03-04T16:00:00Z'), calendar(), policy(), {
      escalationLevel: 1,
      holdingUpdateSent: true,
      reason: null,
    });

    expect(basis).toMatchObject({
      kind: 'next_update',
      setBy: 'holding_update',
      dueAt: '2026-03-05T16:00:00.000Z', // Thu 17:00
      withinBusinessMinutes: null,
      promise: { escalationLevel: 1, holdingUpdateSent: true, reason: null },
    });
    expect(basis.explanation).toContain('Promised in the holding update of Wed 4 Mar 2026 17:00');
    expect(basis.explanation).toContain('escalation level 1');
  });

  it('when the team sets nextUpdateWithinMinutes, then the holding update promises that many business minutes, across the weekend', () => {
    const basis = computePromisedUpdate(
      at('2026-03-06T15:00:00Z'), // Fri 16:00
      calendar(),
      policy({ nextUpdateWithinMinutes: 120 }),
      { escalationLevel: 2, holdingUpdateSent: true, reason: null },
    );

    expect(basis.dueAt).toBe('2026-03-09T09:00:00.000Z'); // 60 min Friday + 60 min Monday: Mon 10:00
    expect(basis.explanation).toContain('within 120 business minutes');
  });

  it('when no holding update was sent, then the next ladder step is reescalateAfterMinutes later and the reason is given', () => {
    const basis = computePromisedUpdate(
      at('2026-03-04T10:00:00Z'),
      calendar(),
      policy({ reescalateAfterMinutes: 90 }),
      { escalationLevel: 1, holdingUpdateSent: false, reason: 'the customer opted out' },
    );

    expect(basis).toMatchObject({ setBy: 'escalation_step', dueAt: '2026-03-04T11:30:00.000Z' });
    expect(basis.explanation).toContain('no holding update was sent (the customer opted out)');
  });

  it('when a public update is posted with nextUpdateWithinMinutes, then the next update is due that many business minutes later', () => {
    const basis = computeNextUpdateAfterUpdate(
      at('2026-03-04T15:30:00Z'), // Wed 16:30
      calendar({ holidays: ['2026-03-05'] }),
      'public_update',
      60,
    );
    expect(basis.dueAt).toBe('2026-03-06T08:30:00.000Z'); // 30 min Wed, Thu holiday, Fri 09:30
    expect(basis.withinBusinessMinutes).toBe(60);
  });
});

describe('audienceForLevel', () => {
  it('when the default ladder is climbed, then the owner’s supervisor, the team’s supervisors and the admins are told in turn, and the top repeats', () => {
    expect([1, 2, 3, 4, 7].map((level) => audienceForLevel(level))).toEqual([
      'owner_supervisor',
      'team_supervisors',
      'admins',
      'admins',
      'admins',
    ]);
  });

  it('when a team defines its own ladder, then its rungs are used in order', () => {
    const ladder = [{ notify: 'team_supervisors' as const }, { notify: 'admins' as const }];
    expect([1, 2, 3].map((level) => audienceForLevel(level, ladder))).toEqual([
      'team_supervisors',
      'admins',
      'admins',
    ]);
  });
});

describe('computeWaitingMoments', () => {
  it('when the policy sets no minutes, then the reminder comes two business days later and the resume five, skipping the weekend', () => {
    const moments = computeWaitingMoments(at('2026-03-05T13:00:00Z'), calendar(), policy()); // Thu 14:00

    expect(moments.reminderAt.toISOString()).toBe('2026-03-09T13:00:00.000Z'); // Mon 14:00
    expect(moments.resumeAt.toISOString()).toBe('2026-03-12T13:00:00.000Z'); // next Thu 14:00
    expect(moments.explanation).toContain('one reminder after 2 business days');
  });

  it('when the policy sets business minutes, then they are used', () => {
    const moments = computeWaitingMoments(
      at('2026-03-04T15:00:00Z'), // Wed 16:00
      calendar(),
      policy({ waitingReminderAfterMinutes: 120, waitingResumeAfterMinutes: 480 }),
    );
    expect(moments.reminderAt.toISOString()).toBe('2026-03-05T09:00:00.000Z'); // Thu 10:00
    expect(moments.resumeAt.toISOString()).toBe('2026-03-05T15:00:00.000Z'); // Thu 16:00
  });
});

describe('nextOpening and addBusinessDays', () => {
  it('when it is Saturday, then staff can next be told at Monday’s opening; within hours, at once', () => {
    expect(nextOpening(at('2026-03-07T12:00:00Z'), calendar()).toISOString()).toBe(
      '2026-03-09T08:00:00.000Z',
    );
    expect(nextOpening(at('2026-03-04T12:00:00Z'), calendar()).toISOString()).toBe(
      '2026-03-04T12:00:00.000Z',
    );
  });

  it('when counting business days from after hours, then counting starts at the next opening', () => {
    expect(addBusinessDays(at('2026-03-06T17:00:00Z'), 2, calendar()).toISOString()).toBe(
      '2026-03-11T08:00:00.000Z', // Fri 18:00 → Mon opening → Wed 09:00
    );
  });

  it('when a later day closes earlier, then the moment is clamped to that close', () => {
    const short = calendar({
      businessHours: { ...WEEKDAYS, fri: { open: '09:00', close: '12:00' } },
    });
    expect(addBusinessDays(at('2026-03-05T15:00:00Z'), 1, short).toISOString()).toBe(
      '2026-03-06T11:00:00.000Z', // Thu 16:00 → Fri closes 12:00
    );
  });

  const calendars = fc.constantFrom(
    calendar(),
    calendar({ timezone: 'America/New_York', holidays: ['2026-03-09', '2026-11-26'] }),
    calendar({ timezone: 'Australia/Lord_Howe' }),
  );
  const instants = fc
    .integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2026-12-31T00:00:00Z') })
    .map((ms) => new Date(ms));

  it('property: the next opening is never earlier than the instant and always within business hours', () => {
    fc.assert(
      fc.property(instants, calendars, (instant, cal) => {
        const opening = nextOpening(instant, cal);
        expect(opening.getTime()).toBeGreaterThanOrEqual(instant.getTime());
        expect(isWithinBusinessHours(opening, cal)).toBe(true);
      }),
    );
  });

  it('property: n business days later is never before n−1 days later and lies within business hours or at a close', () => {
    fc.assert(
      fc.property(instants, calendars, fc.integer({ min: 1, max: 10 }), (instant, cal, n) => {
        const later = addBusinessDays(instant, n, cal);
        const earlier = addBusinessDays(instant, n - 1, cal);
        expect(later.getTime()).toBeGreaterThan(earlier.getTime());
        const inside = isWithinBusinessHours(later, cal);
        const atClose = !inside && isWithinBusinessHours(new Date(later.getTime() - 1), cal);
        expect(inside || atClose).toBe(true);
      }),
    );
  });

  it('property: a promise with nextUpdateWithinMinutes is exactly that many business minutes after the holding update', () => {
    fc.assert(
      fc.property(
        instants,
        calendars,
        fc.integer({ min: 1, max: 5000 }),
        (instant, cal, minutes) => {
          const basis = computePromisedUpdate(
            instant,
            cal,
            policy({ nextUpdateWithinMinutes: minutes }),
            {
              escalationLevel: 1,
              holdingUpdateSent: true,
              reason: null,
            },
          );
          expect(basis.dueAt).toBe(addBusinessMinutes(instant, minutes, cal).toISOString());
          expect(Date.parse(basis.dueAt)).toBeGreaterThan(instant.getTime());
        },
      ),
    );
  });
});
