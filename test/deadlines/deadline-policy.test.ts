import {
  computeFirstResponse,
  computeNextUpdateAfterCustomerMessage,
  computeNextUpdateAfterUpdate,
  computeResumedNextUpdate,
  enforcementMoments,
} from '../../src/deadline-rules/deadline-policy';
import { calendar, policy } from './berlin-calendar';

/**
 * The deadline policy as pure functions: (instant, calendar, policy) in, instants and an
 * explanation out. All instants are in March 2026, when Berlin is UTC+1 (DST starts on the 29th):
 * Wed 4, Thu 5, Fri 6, Sat 7, Sun 8, Mon 9. A 9–17 Berlin day is 08:00Z–16:00Z.
 */
const at = (iso: string) => new Date(iso);

const WED_11 = at('2026-03-04T10:00:00Z');
const WED_CLOSE = '2026-03-04T16:00:00.000Z';
const THU_CLOSE = '2026-03-05T16:00:00.000Z';
const FRI_CLOSE = '2026-03-06T16:00:00.000Z';
const MON_CLOSE = '2026-03-09T16:00:00.000Z';

describe('computeFirstResponse', () => {
  it("when a concern arrives on a weekday before the cutoff, then it is due at that day's close and says so", () => {
    const basis = computeFirstResponse(WED_11, calendar(), policy(), 'standard');

    expect(basis).toMatchObject({
      kind: 'first_response',
      dueAt: WED_CLOSE,
      clockStartedAt: WED_11.toISOString(),
      clockStartedBy: 'arrival',
      timezone: 'Europe/Berlin',
      businessDay: '2026-03-04',
      businessDayCloseAt: WED_CLOSE,
      arrivedOnBusinessDay: true,
      cutoff: '17:00',
      cutoffApplied: false,
      tierRule: null,
    });
    expect(basis.explanation).toMatch(/^Arrived Wed 4 Mar 2026 11:00/);
    expect(basis.explanation).toContain('before the same-day cutoff 17:00');
    expect(basis.explanation).toContain('close of that business day (2026-03-04)');
    expect(basis.explanation).toContain('Due Wed 4 Mar 2026 17:00');
  });

  it('when a concern arrives before opening on a weekday, then it is still due at that day close', () => {
    const basis = computeFirstResponse(
      at('2026-03-04T06:00:00Z'),
      calendar(),
      policy(),
      'standard',
    );

    expect(basis.dueAt).toBe(WED_CLOSE);
    expect(basis.cutoffApplied).toBe(false);
  });

  it("when a concern arrives at or after the same-day cutoff, then it is due at the next business day's close and the explanation names the cutoff", () => {
    const cal = calendar({ sameDayCutoff: '15:00' });

    const atCutoff = computeFirstResponse(at('2026-03-04T14:00:00Z'), cal, policy(), 'standard');
    const justBefore = computeFirstResponse(at('2026-03-04T13:59:00Z'), cal, policy(), 'standard');

    expect(atCutoff).toMatchObject({
      dueAt: THU_CLOSE,
      businessDay: '2026-03-05',
      cutoff: '15:00',
      cutoffApplied: true,
      arrivedOnBusinessDay: true,
    });
    expect(atCutoff.explanation).toContain('at or after the same-day cutoff 15:00');
    expect(atCutoff.explanation).toContain('next business day (2026-03-05)');
    expect(justBefore).toMatchObject({ dueAt: WED_CLOSE, cutoffApplied: false, cutoff: '15:00' });
    expect(justBefore.explanation).toContain('before the same-day cutoff 15:00');
  });

  it("when a concern arrives on a Friday after the cutoff, then it is due at Monday's close", () => {
    const basis = computeFirstResponse(
      at('2026-03-06T15:30:00Z'), // Fri 16:30 Berlin
      calendar({ sameDayCutoff: '16:00' }),
      policy(),
      'standard',
    );

    expect(basis).toMatchObject({
      dueAt: MON_CLOSE,
      businessDay: '2026-03-09',
      cutoffApplied: true,
    });
  });

  it("when a concern arrives after the close without a cutoff, then the close is the cutoff and it is due at the next business day's close", () => {
    const basis = computeFirstResponse(
      at('2026-03-04T17:00:00Z'),
      calendar(),
      policy(),
      'standard',
    );

    expect(basis).toMatchObject({ dueAt: THU_CLOSE, cutoff: '17:00', cutoffApplied: true });
  });

  it("when a concern arrives on a Saturday, then it is due at Monday's close, with no cutoff involved", () => {
    const basis = computeFirstResponse(
      at('2026-03-07T10:00:00Z'),
      calendar(),
      policy(),
      'standard',
    );

    expect(basis).toMatchObject({
      dueAt: MON_CLOSE,
      businessDay: '2026-03-09',
      arrivedOnBusinessDay: false,
      cutoff: null,
      cutoffApplied: false,
    });
    expect(basis.explanation).toContain('outside business days');
    expect(basis.explanation).toContain('next business day (2026-03-09)');
  });

  it("when a concern arrives on a holiday, then it is due at the next business day's close", () => {
    const basis = computeFirstResponse(
      WED_11,
      calendar({ holidays: ['2026-03-04'] }),
      policy(),
      'standard',
    );

    expect(basis).toMatchObject({
      dueAt: THU_CLOSE,
      businessDay: '2026-03-05',
      arrivedOnBusinessDay: false,
    });
  });

  it('when the day after the cutoff is a holiday, then the deadline skips it too', () => {
    const basis = computeFirstResponse(
      at('2026-03-04T15:00:00Z'), // Wed 16:00, after a 15:00 cutoff
      calendar({ sameDayCutoff: '15:00', holidays: ['2026-03-05'] }),
      policy(),
      'standard',
    );

    expect(basis.dueAt).toBe(FRI_CLOSE);
  });

  it('when a vip customer writes and the vip rule is earlier than the close, then the rule tightens the deadline and is marked applied', () => {
    const basis = computeFirstResponse(
      WED_11,
      calendar(),
      policy({ tiers: { vip: { firstResponseWithinMinutes: 120 } } }),
      'vip',
    );

    expect(basis.dueAt).toBe('2026-03-04T12:00:00.000Z'); // Wed 13:00 Berlin
    expect(basis.businessDayCloseAt).toBe(WED_CLOSE);
    expect(basis.tierRule).toEqual({
      tier: 'vip',
      withinBusinessMinutes: 120,
      dueAt: '2026-03-04T12:00:00.000Z',
      applied: true,
    });
    expect(basis.explanation).toContain('vip policy');
    expect(basis.explanation).toContain('120 business minutes');
    expect(basis.explanation).toContain('tightens it to Wed 4 Mar 2026 13:00');
    expect(basis.explanation).toContain('Due Wed 4 Mar 2026 13:00');
  });

  it('when the vip rule would end later than the close of day, then the close stands and the rule is marked not applied', () => {
    const basis = computeFirstResponse(
      WED_11,
      calendar(),
      policy({ tiers: { vip: { firstResponseWithinMinutes: 600 } } }),
      'vip',
    );

    // 360 minutes left on Wednesday, then 240 on Thursday: Thu 13:00 Berlin.
    expect(basis.dueAt).toBe(WED_CLOSE);
    expect(basis.tierRule).toEqual({
      tier: 'vip',
      withinBusinessMinutes: 600,
      dueAt: '2026-03-05T12:00:00.000Z',
      applied: false,
    });
    expect(basis.explanation).toContain('vip policy');
    expect(basis.explanation).toContain('would be later');
  });

  it('when a vip concern arrives an hour before the close, then the business minutes run into the next day and the close is earlier', () => {
    const basis = computeFirstResponse(
      at('2026-03-04T15:00:00Z'), // Wed 16:00 Berlin
      calendar(),
      policy({ tiers: { vip: { firstResponseWithinMinutes: 120 } } }),
      'vip',
    );

    expect(basis.dueAt).toBe(WED_CLOSE);
    expect(basis.tierRule).toMatchObject({ dueAt: '2026-03-05T09:00:00.000Z', applied: false });
  });

  it('when a vip concern arrives after the cutoff, then the vip rule is still earlier than the next day close and applies', () => {
    const basis = computeFirstResponse(
      at('2026-03-04T15:00:00Z'), // Wed 16:00 Berlin, after a 15:00 cutoff
      calendar({ sameDayCutoff: '15:00' }),
      policy({ tiers: { vip: { firstResponseWithinMinutes: 120 } } }),
      'vip',
    );

    // 60 minutes on Wednesday, 60 on Thursday from 09:00.
    expect(basis).toMatchObject({
      dueAt: '2026-03-05T09:00:00.000Z',
      businessDayCloseAt: THU_CLOSE,
      cutoffApplied: true,
      tierRule: { applied: true },
    });
    expect(basis.explanation).toContain('cutoff 15:00');
    expect(basis.explanation).toContain('vip policy');
  });

  it('when a vip concern arrives on a Saturday, then its business minutes count from Monday opening', () => {
    const basis = computeFirstResponse(
      at('2026-03-07T10:00:00Z'),
      calendar(),
      policy({ tiers: { vip: { firstResponseWithinMinutes: 120 } } }),
      'vip',
    );

    expect(basis.dueAt).toBe('2026-03-09T10:00:00.000Z'); // Mon 11:00 Berlin
    expect(basis).toMatchObject({ arrivedOnBusinessDay: false, tierRule: { applied: true } });
  });

  it('when a high_value customer writes and the team has a high_value rule, then that rule applies', () => {
    const basis = computeFirstResponse(
      WED_11,
      calendar(),
      policy({
        tiers: {
          vip: { firstResponseWithinMinutes: 30 },
          high_value: { firstResponseWithinMinutes: 240 },
        },
      }),
      'high_value',
    );

    expect(basis.dueAt).toBe('2026-03-04T14:00:00.000Z'); // Wed 15:00 Berlin
    expect(basis.tierRule).toMatchObject({
      tier: 'high_value',
      withinBusinessMinutes: 240,
      applied: true,
    });
    expect(basis.explanation).toContain('high_value policy');
  });

  it('when the customer is standard, or its tier has no rule, then no tier rule is involved', () => {
    const vipOnly = policy({ tiers: { vip: { firstResponseWithinMinutes: 30 } } });

    const standard = computeFirstResponse(WED_11, calendar(), vipOnly, 'standard');
    const highValue = computeFirstResponse(WED_11, calendar(), vipOnly, 'high_value');

    for (const basis of [standard, highValue]) {
      expect(basis.dueAt).toBe(WED_CLOSE);
      expect(basis.tierRule).toBeNull();
      expect(basis.explanation).not.toContain('policy');
    }
  });

  it('when the clock starts with a reopening, then the deadline counts from the reopening and says so', () => {
    const reopenedAt = at('2026-03-05T13:30:00Z'); // Thu 14:30 Berlin
    const basis = computeFirstResponse(
      reopenedAt,
      calendar(),
      policy({ tiers: { vip: { firstResponseWithinMinutes: 60 } } }),
      'vip',
      'reopen',
    );

    expect(basis).toMatchObject({
      dueAt: '2026-03-05T14:30:00.000Z',
      clockStartedAt: reopenedAt.toISOString(),
      clockStartedBy: 'reopen',
      businessDay: '2026-03-05',
    });
    expect(basis.explanation).toMatch(/^Reopened Thu 5 Mar 2026 14:30/);
  });
});

describe('computeNextUpdateAfterUpdate', () => {
  it("when a public update is posted on a weekday, then the next update is due at the next business day's close", () => {
    const basis = computeNextUpdateAfterUpdate(WED_11, calendar());

    expect(basis).toEqual({
      kind: 'next_update',
      dueAt: THU_CLOSE,
      setBy: 'public_update',
      setAt: WED_11.toISOString(),
      timezone: 'Europe/Berlin',
      businessDay: '2026-03-05',
      withinBusinessMinutes: null,
      pause: null,
      explanation: expect.stringContaining('close of the next business day (2026-03-05)'),
    });
  });

  it("when a public update is posted on a Friday, then the next update is due at Monday's close", () => {
    expect(computeNextUpdateAfterUpdate(at('2026-03-06T09:00:00Z'), calendar()).dueAt).toBe(
      MON_CLOSE,
    );
  });

  it("when a public update is posted on a Saturday, then the next update is due at Monday's close", () => {
    expect(computeNextUpdateAfterUpdate(at('2026-03-07T09:00:00Z'), calendar()).dueAt).toBe(
      MON_CLOSE,
    );
  });

  it('when the next business day is a holiday, then the next update skips it', () => {
    const basis = computeNextUpdateAfterUpdate(WED_11, calendar({ holidays: ['2026-03-05'] }));

    expect(basis).toMatchObject({ dueAt: FRI_CLOSE, businessDay: '2026-03-06' });
  });

  it('when a team change recomputes it, then it records that it was recomputed', () => {
    expect(computeNextUpdateAfterUpdate(WED_11, calendar(), 'recomputed').setBy).toBe('recomputed');
  });
});

describe('computeNextUpdateAfterCustomerMessage', () => {
  it('when the customer writes on a weekday morning and nothing is due yet, then an answer is due at that day close', () => {
    const basis = computeNextUpdateAfterCustomerMessage(WED_11, calendar(), null);

    expect(basis).toMatchObject({
      kind: 'next_update',
      dueAt: WED_CLOSE,
      setBy: 'customer_message',
      setAt: WED_11.toISOString(),
      businessDay: '2026-03-04',
      pause: null,
    });
    expect(basis.explanation).toContain('The customer wrote Wed 4 Mar 2026 11:00');
  });

  it('when the current deadline is later than the same-day close, then the same-day close replaces it', () => {
    const basis = computeNextUpdateAfterCustomerMessage(WED_11, calendar(), at(THU_CLOSE));

    expect(basis.dueAt).toBe(WED_CLOSE);
  });

  it('when the current deadline is earlier than the same-day close, then the earlier deadline stands', () => {
    const earlier = at('2026-03-04T13:00:00Z');
    const basis = computeNextUpdateAfterCustomerMessage(WED_11, calendar(), earlier);

    expect(basis.dueAt).toBe(earlier.toISOString());
    expect(basis.explanation).toContain('the earlier deadline Wed 4 Mar 2026 14:00');
    expect(basis.explanation).toContain('still stands');
  });

  it('when the customer writes after the cutoff, then the answer is due at the next business day close', () => {
    const basis = computeNextUpdateAfterCustomerMessage(
      at('2026-03-04T14:30:00Z'),
      calendar({ sameDayCutoff: '15:00' }),
      null,
    );

    expect(basis).toMatchObject({ dueAt: THU_CLOSE, businessDay: '2026-03-05' });
    expect(basis.explanation).toContain('after the cutoff');
  });
});

describe('computeResumedNextUpdate', () => {
  it('when the clock was paused on Friday 16:00 with 120 business minutes left and resumes Monday 10:00, then the update is due Monday 12:00', () => {
    const pausedAt = at('2026-03-06T15:00:00Z'); // Fri 16:00 Berlin
    const dueWhenPaused = at('2026-03-09T09:00:00Z'); // Mon 10:00: 60 minutes Friday + 60 Monday
    const resumedAt = at('2026-03-09T09:00:00Z'); // Mon 10:00

    const basis = computeResumedNextUpdate(pausedAt, dueWhenPaused, resumedAt, calendar());

    expect(basis).toMatchObject({
      kind: 'next_update',
      dueAt: '2026-03-09T11:00:00.000Z', // Mon 12:00 Berlin
      setBy: 'resumed',
      setAt: resumedAt.toISOString(),
      businessDay: '2026-03-09',
      pause: {
        pausedAt: pausedAt.toISOString(),
        resumedAt: resumedAt.toISOString(),
        remainingBusinessMinutes: 120,
      },
    });
    expect(basis.explanation).toContain('paused');
    expect(basis.explanation).toContain('120 business minutes left');
    expect(basis.explanation).toContain('Mon 9 Mar 2026 12:00');
  });

  it('when the clock resumes long after the old due time, then the time spent paused does not count', () => {
    const pausedAt = at('2026-03-04T12:00:00Z'); // Wed 13:00, due Thu 17:00: 240 + 480 minutes left
    const resumedAt = at('2026-03-09T08:00:00Z'); // Mon 09:00

    const basis = computeResumedNextUpdate(pausedAt, at(THU_CLOSE), resumedAt, calendar());

    expect(basis.pause?.remainingBusinessMinutes).toBe(720);
    // Monday 09:00 + 480 = 17:00, + 240 = Tue 13:00 Berlin.
    expect(basis.dueAt).toBe('2026-03-10T12:00:00.000Z');
  });

  it('when the clock resumes on a weekend, then the remaining minutes start counting at the next opening', () => {
    const basis = computeResumedNextUpdate(
      at('2026-03-06T14:00:00Z'), // Fri 15:00, due Fri 17:00: 120 left
      at(FRI_CLOSE),
      at('2026-03-07T12:00:00Z'), // Saturday
      calendar(),
    );

    expect(basis.dueAt).toBe('2026-03-09T10:00:00.000Z'); // Mon 11:00 Berlin
  });
});

describe('enforcementMoments', () => {
  it('when a deadline falls at a close, then the warning comes warnBeforeMinutes business minutes before and the breach at the due time', () => {
    const moments = enforcementMoments(
      at(WED_CLOSE),
      calendar(),
      policy({ warnBeforeMinutes: 60, reescalateAfterMinutes: 120 }),
    );

    expect(moments).toEqual({
      warnAt: at('2026-03-04T15:00:00Z'), // Wed 16:00 Berlin
      breachAt: at(WED_CLOSE),
    });
  });

  it('when warnBeforeMinutes is 0, then there is no warning moment', () => {
    const moments = enforcementMoments(
      at(WED_CLOSE),
      calendar(),
      policy({ warnBeforeMinutes: 0, reescalateAfterMinutes: 30 }),
    );

    expect(moments.warnAt).toBeNull();
    expect(moments.breachAt).toEqual(at(WED_CLOSE));
  });

  it('when a deadline falls early on a Monday, then the warning moment is carried back across the weekend to Friday', () => {
    const moments = enforcementMoments(
      at('2026-03-09T08:30:00Z'), // Mon 09:30 Berlin
      calendar(),
      policy({ warnBeforeMinutes: 60, reescalateAfterMinutes: 120 }),
    );

    expect(moments.warnAt).toEqual(at('2026-03-06T15:30:00Z')); // Fri 16:30
  });
});
