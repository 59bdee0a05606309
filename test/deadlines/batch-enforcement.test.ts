import type { ServiceContext } from '../../src/context';
import { enforceDeadlineStep, enforceDeadlineSteps } from '../../src/deadlines/enforce-deadline';
import { ManualClock } from '../../src/clock';
import { Fixtures } from '../helpers/factories';
import { startTestApp, type TestApp } from '../helpers/test-app';

/**
 * The worker enforces deadlines that fall due together in one transaction per batch. A batch
 * must give each ticket exactly what enforcing it alone gives, and each job its own outcome.
 */
const NINE_TO_FIVE = Object.fromEntries(
  ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, { open: '09:00', close: '17:00' }]),
);
const WEDNESDAY_11 = new Date('2026-03-04T10:00:00Z'); // 11:00 in Berlin
const WEDNESDAY_18 = new Date('2026-03-04T17:00:00Z'); // first responses an hour late

let app: TestApp;
let f: Fixtures;
let clock: ManualClock;
let ctx: ServiceContext;

beforeAll(async () => {
  clock = new ManualClock(WEDNESDAY_11);
  app = await startTestApp({ clock });
  f = new Fixtures(app);
  ctx = { ...app.ctx, clock };
});
beforeEach(() => clock.set(WEDNESDAY_11));
afterAll(() => app.close());

const breach = (ticketId: string, version = 1) => ({
  ticketId,
  kind: 'first_response' as const,
  version,
  step: 'breached' as const,
});

/** What a step left on a ticket, without the ids and names that differ between tickets. */
async function effectsOf(ticketId: string) {
  const events: Array<{ type: string; data: Record<string, unknown> }> = await app.dataSource.query(
    `SELECT type, data FROM timeline_events WHERE ticket_id = $1 ORDER BY seq`,
    [ticketId],
  );
  const emails: Array<Record<string, unknown>> = await app.dataSource.query(
    `SELECT template, to_address, status, next_attempt_at, payload - 'ticketRef' - 'subject' AS payload
       FROM outbox_emails WHERE ticket_id = $1 ORDER BY queue_position`,
    [ticketId],
  );
  const [ticket] = await app.dataSource.query(
    `SELECT escalation_level, breach_count, next_update_due_at, deadline_version, deadline_kind,
            deadline_warn_at, version FROM tickets WHERE id = $1`,
    [ticketId],
  );
  return {
    events: events.map((e) => ({
      type: e.type,
      data: Object.fromEntries(
        Object.entries(e.data).filter(([key]) => !['emailId', 'ownerId', 'ref'].includes(key)),
      ),
    })),
    emails,
    ticket,
  };
}

async function teamWithTickets(count: number) {
  const team = await f.team({ businessHours: NINE_TO_FIVE });
  const supervisor = await f.agent('supervisor', team.id);
  const rep = await f.agent('rep', team.id);
  const customer = await f.customer();
  const tickets = [];
  for (let i = 0; i < count; i++) tickets.push(await f.ticket(rep.token, customer.id));
  return { team, supervisor, rep, customer, tickets };
}

describe('deadline steps enforced in one batch', () => {
  it('when tickets of two teams breach in one batch, then each gets what a breach alone gives: events, emails in order, the next promise', async () => {
    const first = await teamWithTickets(3);
    const second = await teamWithTickets(1);
    const [alone, ...batched] = first.tickets;
    clock.set(WEDNESDAY_18);
    expect(await enforceDeadlineStep(ctx, breach(alone!.id))).toEqual({ result: 'done' });
    const ids = [...batched.map((t) => t.id), second.tickets[0]!.id];
    expect(
      await enforceDeadlineSteps(
        ctx,
        ids.map((id) => breach(id)),
      ),
    ).toEqual([{ result: 'done' }, { result: 'done' }, { result: 'done' }]);

    const expected = await effectsOf(alone!.id);
    expect(expected.events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['deadline_breached', 'escalated', 'email_queued']),
    );
    expect(expected.emails.map((e) => e.template)).toEqual([
      'ticket_acknowledgement',
      'escalation',
      'holding_update',
    ]);
    expect(expected.ticket).toMatchObject({ escalation_level: 1, breach_count: 1 });
    for (const ticket of batched) expect(await effectsOf(ticket.id)).toEqual(expected);
    // The other team's ticket: its own supervisor told, the same promise and level.
    const other = await effectsOf(second.tickets[0]!.id);
    expect(other.emails.map((e) => e.to_address)).toEqual([
      second.customer.email,
      second.supervisor.email,
      second.customer.email,
    ]);
    expect(other.ticket).toEqual(expected.ticket);
  });

  it('when a batch mixes due, early, stale and missing jobs, then each job gets its own outcome and only the due one acts', async () => {
    const { tickets, rep, customer } = await teamWithTickets(2);
    clock.set(WEDNESDAY_18); // the first two are late; `later`, created now, is due tomorrow
    const later = await f.ticket(rep.token, customer.id);
    const laterDue = new Date(later.firstResponseDueAt as string);
    expect(laterDue.getTime()).toBeGreaterThan(WEDNESDAY_18.getTime());
    const outcomes = await enforceDeadlineSteps(ctx, [
      breach(tickets[0]!.id),
      breach(later.id),
      breach(tickets[1]!.id, 7), // a deadline version the ticket never had
      breach('00000000-0000-4000-8000-000000000000'),
    ]);
    expect(outcomes).toEqual([
      { result: 'done' },
      { result: 'not_yet', retryAt: laterDue },
      { result: 'stale' },
      { result: 'stale' },
    ]);
    expect((await effectsOf(tickets[1]!.id)).ticket).toMatchObject({ escalation_level: 0 });
    expect((await effectsOf(later.id)).ticket).toMatchObject({ escalation_level: 0 });
  });

  it('when two batches race over the same tickets, then each ticket is breached once and neither deadlocks', async () => {
    const { tickets } = await teamWithTickets(4);
    clock.set(WEDNESDAY_18);
    const jobs = tickets.map((t) => breach(t.id));
    const [a, b] = await Promise.all([
      enforceDeadlineSteps(ctx, jobs),
      enforceDeadlineSteps(ctx, [...jobs].reverse()),
    ]);
    const done = [...a!, ...b!].filter((outcome) => outcome.result === 'done');
    expect(done).toHaveLength(4);
    for (const ticket of tickets) {
      const effects = await effectsOf(ticket.id);
      expect(effects.emails.map((e) => e.template)).toEqual([
        'ticket_acknowledgement',
        'escalation',
        'holding_update',
      ]);
      expect(effects.ticket).toMatchObject({ escalation_level: 1, breach_count: 1 });
    }
  });

  it('when a batch names a ticket twice, then it is refused before anything is written', async () => {
    const { tickets } = await teamWithTickets(1);
    clock.set(WEDNESDAY_18);
    await expect(
      enforceDeadlineSteps(ctx, [breach(tickets[0]!.id), breach(tickets[0]!.id)]),
    ).rejects.toThrow(/one job per ticket/);
    expect((await effectsOf(tickets[0]!.id)).ticket).toMatchObject({ escalation_level: 0 });
  });
});
