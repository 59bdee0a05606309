import { DateTime } from 'luxon';
import { zoneNamed } from '../deadline-rules/time-zones';
import type { EntityManager } from 'typeorm';
import { Agent } from '../agents/agent.entity';
import type { ServiceContext } from '../context';
import { Customer } from '../customers/customer.entity';
import { queueEmails, type EmailToQueue } from '../notifications/queue-email';
import type { EscalationAudience } from '../deadline-rules/business-calendar';
import { calendarOf } from '../teams/calendar-of';
import { Team } from '../teams/team.entity';
import { inTicketTransaction } from '../tickets/locked-ticket';
import type { Ticket } from '../tickets/ticket.entity';
import { writeTickets, type TicketChanges } from '../tickets/ticket-writes';
import { recordEvents, type NewTimelineEvent } from '../timeline/record-event';
import { currentDeadlineOf } from '../deadline-rules/current-deadline';
import type { DeadlineJobPayload } from '../deadline-rules/deadline-jobs';
import {
  audienceForLevel,
  computePromisedUpdate,
  type NextUpdateBasis,
} from '../deadline-rules/deadline-policy';
import { staffTeam, teamsOfStaff } from '../teams/staff-hours';
import { nextOpening } from '../deadline-rules/calendar';
import { hydrate, selectColumns } from '../db/insert-returning';

/**
 * What a deadline job found:
 * - done: it acted (and recorded the action);
 * - stale: the ticket moved on (answered, resolved, paused, new deadline version): nothing to do;
 * - duplicate: this step was already taken for this version (a second run has no effect);
 * - not_yet: it ran early; run it again at `retryAt`.
 */
export type EnforcementOutcome =
  { result: 'done' | 'stale' | 'duplicate' } | { result: 'not_yet'; retryAt: Date };

/** A step that was taken, told once its transaction has committed (the metrics seam). */
export interface DeadlineStepTaken {
  step: 'warned' | 'breached';
  kind: DeadlineJobPayload['kind'];
  /** When the step was due: the warning time, or the deadline itself for a breach. */
  dueAt: Date;
  /** When it was enforced (the context's clock). */
  actedAt: Date;
  /** The escalation level after the step (a breach goes one level up). */
  escalationLevel: number;
  /** Who a breach's escalation told. */
  audience?: EscalationAudience;
}

export type DeadlineStepObserver = (taken: DeadlineStepTaken) => void;

/**
 * Takes one enforcement step for one version of a ticket's deadline, in one transaction with its
 * timeline events and outbox emails. The deadline_actions unique index makes it happen once.
 * A breach is one step up the escalation ladder and sets the next deadline (the time the holding
 * update promises), whose steps are scheduled after the commit (or by the reconciler, if this
 * process dies first). `observe` hears of a step taken, after the commit.
 */
export async function enforceDeadlineStep(
  ctx: ServiceContext,
  job: DeadlineJobPayload,
  observe?: DeadlineStepObserver,
): Promise<EnforcementOutcome> {
  const [outcome] = await enforceDeadlineSteps(ctx, [job], observe);
  return outcome!;
}

/**
 * enforceDeadlineStep for several tickets (one job each) in one transaction: the same outcome
 * per job as taking them one at a time, in a handful of statements for the whole batch instead
 * of a handful per step, so a closing-time herd of deadlines is enforced on time. One failing
 * statement fails the batch; the caller then takes its jobs one at a time (worker/deadline-batcher.ts).
 */
export async function enforceDeadlineSteps(
  ctx: ServiceContext,
  jobs: readonly DeadlineJobPayload[],
  observe?: DeadlineStepObserver,
): Promise<EnforcementOutcome[]> {
  const ticketIds = jobs.map((job) => job.ticketId);
  if (new Set(ticketIds).size !== ticketIds.length) {
    throw new Error('enforceDeadlineSteps takes one job per ticket');
  }
  let taken: DeadlineStepTaken[] = [];
  const outcomes = await inTicketTransaction(ctx, async (tx) => {
    taken = []; // a retried attempt (deadlock) starts afresh
    const { manager } = tx;
    const locked = new Map((await tx.lockTicketsById(ticketIds)).map((t) => [t.id, t]));
    const now = ctx.clock.now();
    const outcomes: EnforcementOutcome[] = [];
    const due: DueStep[] = [];
    jobs.forEach((job, index) => {
      const decision = decide(job, locked.get(job.ticketId), now);
      outcomes[index] = 'result' in decision ? decision : { result: 'done' };
      if (!('result' in decision)) due.push({ ...decision, index });
    });
    if (due.length === 0) return outcomes;

    const recordedByTicket = await recordSteps(manager, due, now);
    const recorded: Array<{ step: DueStep; people: RecordedStep }> = [];
    for (const step of due) {
      const found = recordedByTicket.get(step.ticket.id);
      if (!found)
        throw new Error(`ticket ${step.ticket.id}: its team, owner or customer is missing`);
      if (!found.recorded) outcomes[step.index] = { result: 'duplicate' };
      else recorded.push({ step, people: found });
    }
    const teams = await teamsOfStaff(
      manager,
      recorded.flatMap(({ people }) => [people.owner, ...people.staff]),
      recorded.map(({ people }) => people.team),
    );
    const calendar = new BatchCalendar(teams, now);
    const steps = recorded.map(({ step, people }) => new StepContext(step, people, calendar));
    const plan: StepPlan = { events: [], emails: [], writes: [] };
    for (const step of steps) {
      const level = step.due.level;
      const done = {
        kind: step.kind,
        dueAt: step.due.moment,
        actedAt: now,
        escalationLevel: level,
      };
      if (step.due.job.step === 'warned') {
        planWarning(step, calendar, plan);
        taken.push({ step: 'warned', ...done });
      } else {
        const audience = planBreach(step, level, calendar, plan);
        taken.push({ step: 'breached', ...done, audience });
        tx.scheduleAfterCommit(step.ticket);
      }
    }
    await recordEvents(manager, plan.events);
    // The staff first, then the customer, per ticket (its emails are sent in this order).
    await queueEmails(manager, plan.emails);
    await writeTickets(manager, plan.writes, now);
    return outcomes;
  });
  for (const step of taken) observe?.(step);
  return outcomes;
}

/** A job whose step is due now on its locked ticket. */
interface DueStep {
  index: number;
  job: DeadlineJobPayload;
  ticket: Ticket;
  dueAt: Date;
  /** When the step was due: the warning time, or the deadline itself for a breach. */
  moment: Date;
  /** The escalation level after the step (a breach goes one level up). */
  level: number;
}

/** Whether a job's step is due on its ticket (pure): the step to take, or the outcome. */
function decide(
  job: DeadlineJobPayload,
  ticket: Ticket | undefined,
  now: Date,
): EnforcementOutcome | Omit<DueStep, 'index'> {
  const current = ticket ? currentDeadlineOf(ticket) : null;
  if (
    !ticket ||
    !current ||
    current.kind !== job.kind ||
    ticket.deadlineVersion !== job.version ||
    // Re-escalation became the next promised time; jobs queued before that change do nothing.
    job.step === 'reescalated'
  ) {
    return { result: 'stale' };
  }
  const moment = job.step === 'warned' ? ticket.deadlineWarnAt : current.dueAt;
  if (!moment) return { result: 'stale' };
  if (now < moment) return { result: 'not_yet', retryAt: moment };
  // A warning that comes after the deadline would only repeat the breach.
  if (job.step === 'warned' && now >= current.dueAt) return { result: 'stale' };
  const level = job.step === 'breached' ? ticket.escalationLevel + 1 : ticket.escalationLevel;
  return { job, ticket, dueAt: current.dueAt, moment, level };
}

/**
 * The calendar answers a batch's steps share: every step of a batch is taken at the same instant,
 * so when a team next opens, and what a holding update promises at a given level, are worked out
 * once per team rather than once per ticket (they showed in the herd's profile).
 */
class BatchCalendar {
  private readonly openings = new Map<string, Date>();
  private readonly promises = new Map<string, NextUpdateBasis>();
  private readonly localTimes = new Map<string, string>();

  constructor(
    private readonly teams: ReadonlyMap<string, Team>,
    readonly now: Date,
  ) {}

  /** When an agent may be told about a ticket of `ticketTeam` (whenStaffMayBeTold's rule). */
  whenMayBeTold(agent: { teamId: string | null }, ticketTeam: Team): Date {
    const team = staffTeam(agent, ticketTeam, this.teams);
    let opening = this.openings.get(team.id);
    if (!opening) this.openings.set(team.id, (opening = nextOpening(this.now, calendarOf(team))));
    return opening;
  }

  /** An instant as a staff email shows it, in the team's zone (a herd's steps share most). */
  localTime(instant: Date, timezone: string): string {
    const key = `${timezone}|${instant.getTime()}`;
    let text = this.localTimes.get(key);
    if (text === undefined) {
      text = DateTime.fromJSDate(instant, { zone: zoneNamed(timezone) }).toFormat(
        "ccc d LLL HH:mm '('ZZZZ')'",
      );
      this.localTimes.set(key, text);
    }
    return text;
  }

  promisedUpdate(team: Team, level: number, holdingSkipped: string | null): NextUpdateBasis {
    const key = `${team.id}|${level}|${holdingSkipped}`;
    let promise = this.promises.get(key);
    if (!promise) {
      promise = computePromisedUpdate(this.now, calendarOf(team), team.policy, {
        escalationLevel: level,
        holdingUpdateSent: holdingSkipped === null,
        reason: holdingSkipped,
      });
      this.promises.set(key, promise);
    }
    // A copy each: the ticket keeps it as its next-update basis.
    return { ...promise };
  }
}

/** What a batch's steps write, gathered so that each kind of row is one statement. */
interface StepPlan {
  events: NewTimelineEvent[];
  emails: EmailToQueue[];
  writes: Array<{
    ticket: Ticket;
    changes: TicketChanges;
    options: { team: Team };
  }>;
}

/** An active staff member a breach may tell (the owner's supervisor, a team supervisor, an admin). */
interface StaffToTell {
  id: string;
  name: string;
  email: string;
  role: Agent['role'];
  teamId: string | null;
  escalationDigest: boolean;
}

/** Whom a step concerns: read in one statement once the ticket is locked. */
interface StepPeople {
  team: Team;
  owner: Agent;
  customer: Customer;
  /** Everyone a breach's escalation could tell; empty for a warning. */
  staff: StaffToTell[];
}

/** Whom a step concerns, and whether this run recorded it (false: a twin job or the reconciler did). */
interface RecordedStep extends StepPeople {
  recorded: boolean;
}

/**
 * Records the due steps on their locked tickets' current deadline versions and, in the same
 * statement, reads whom each concerns. A step already recorded (by a twin job or the reconciler:
 * the deadline_actions unique index makes each step happen once) comes back `recorded: false`.
 */
async function recordSteps(
  manager: EntityManager,
  due: readonly DueStep[],
  now: Date,
): Promise<Map<string, RecordedStep>> {
  const rows: Array<Record<string, unknown>> = await manager.query(
    `WITH input AS (
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[],
                            $6::integer[], $7::text[], $8::timestamptz[], $9::integer[])
         AS i(ticket_id, team_id, owner_id, customer_id, kind, deadline_version, step, due_at,
              escalation_level)),
     action AS (
       INSERT INTO deadline_actions
         (ticket_id, team_id, kind, deadline_version, step, due_at, acted_at, owner_id, escalation_level)
       SELECT ticket_id, team_id, kind, deadline_version, step, due_at, $10, owner_id, escalation_level
         FROM input
       ON CONFLICT (ticket_id, kind, due_at, step) DO NOTHING
       RETURNING ticket_id)
     SELECT i.ticket_id, a.ticket_id IS NOT NULL AS recorded,
            ${selectColumns(manager, Team, 'tm', 'team__')},
            ${selectColumns(manager, Agent, 'o', 'owner__')},
            ${selectColumns(manager, Customer, 'c', 'customer__')},
            CASE WHEN i.step = 'breached' THEN (
              SELECT coalesce(json_agg(json_build_object(
                       'id', s.id, 'name', s.name, 'email', s.email, 'role', s.role,
                       'teamId', s.team_id, 'escalationDigest', s.escalation_digest)
                     ORDER BY s.created_at, s.id), '[]'::json)
                FROM agents s
               WHERE s.active
                 AND (s.id = o.supervisor_id OR s.role = 'admin'
                      OR (s.role = 'supervisor' AND s.team_id = tm.id)))
            ELSE '[]'::json END AS staff
       FROM input i
       JOIN teams tm ON tm.id = i.team_id
       JOIN agents o ON o.id = i.owner_id
       JOIN customers c ON c.id = i.customer_id
       LEFT JOIN action a ON a.ticket_id = i.ticket_id`,
    [
      due.map((step) => step.ticket.id),
      due.map((step) => step.ticket.teamId),
      due.map((step) => step.ticket.ownerId),
      due.map((step) => step.ticket.customerId),
      due.map((step) => step.job.kind),
      due.map((step) => step.ticket.deadlineVersion),
      due.map((step) => step.job.step),
      due.map((step) => step.dueAt),
      due.map((step) => step.level),
      now,
    ],
  );
  // A batch is mostly one team and a few owners: each is hydrated once.
  const teams = new Map<string, Team>();
  const owners = new Map<string, Agent>();
  const recorded = new Map<string, RecordedStep>();
  for (const row of rows) {
    const teamId = String(row.team__id);
    const ownerId = String(row.owner__id);
    let team = teams.get(teamId);
    if (!team) teams.set(teamId, (team = hydrate(manager, Team, row, 'team__')));
    let owner = owners.get(ownerId);
    if (!owner) owners.set(ownerId, (owner = hydrate(manager, Agent, row, 'owner__')));
    recorded.set(String(row.ticket_id), {
      recorded: row.recorded === true,
      team,
      owner,
      customer: hydrate(manager, Customer, row, 'customer__'),
      staff: row.staff as StaffToTell[],
    });
  }
  return recorded;
}

class StepContext {
  readonly now: Date;
  readonly kind;
  readonly version;
  readonly ticket: Ticket;
  readonly team: Team;
  readonly owner: Agent;
  readonly customer: Customer;

  constructor(
    readonly due: DueStep,
    private readonly people: StepPeople,
    private readonly calendar: BatchCalendar,
  ) {
    // Captured before the breach moves the deadline: keys and records name the step's deadline.
    this.ticket = due.ticket;
    this.now = calendar.now;
    this.kind = due.job.kind;
    this.version = due.ticket.deadlineVersion;
    this.team = people.team;
    this.owner = people.owner;
    this.customer = people.customer;
  }

  get dueAt(): Date {
    return this.due.dueAt;
  }

  key(suffix: string): string {
    return `deadline:${this.ticket.id}:${this.kind}:v${this.version}:${suffix}`;
  }

  /**
   * The people one ladder level tells. Nobody there (no supervisor named, none active) moves
   * the message up to the next audience, so a level is never silently lost.
   */
  audience(audience: EscalationAudience): StaffToTell[] {
    const { staff } = this.people;
    const supervisorId = this.owner.supervisorId;
    if (audience === 'owner_supervisor' && supervisorId) {
      const supervisor = staff.find((a) => a.id === supervisorId);
      if (supervisor) return [supervisor];
    }
    if (audience !== 'admins') {
      const supervisors = staff.filter(
        (a) => a.role === 'supervisor' && a.teamId === this.ticket.teamId,
      );
      if (supervisors.length > 0) return supervisors;
    }
    return staff.filter((a) => a.role === 'admin');
  }

  localTime(instant: Date): string {
    return this.calendar.localTime(instant, this.team.timezone);
  }

  /** The deadline part of a staff email's payload; `extra` adds the recipient's fields. */
  staffPayload<Extra extends object>(extra: Extra) {
    return {
      ticketRef: this.ticket.ref,
      subject: this.ticket.subject,
      deadlineKind: this.kind,
      dueAt: this.dueAt.toISOString(),
      dueAtLocal: this.localTime(this.dueAt),
      timezone: this.team.timezone,
      ...extra,
    };
  }
}

function planWarning(step: StepContext, calendar: BatchCalendar, plan: StepPlan): void {
  const { owner } = step;
  plan.events.push({
    ticketId: step.ticket.id,
    type: 'deadline_warned',
    at: step.now,
    actorId: null,
    data: { kind: step.kind, dueAt: step.dueAt.toISOString(), ownerId: owner.id },
  });
  plan.emails.push({
    key: step.key('warned:owner'),
    template: 'deadline_warning',
    toAddress: owner.email,
    ticketId: step.ticket.id,
    agentId: owner.id,
    payload: step.staffPayload({ agentName: owner.name }),
    at: step.now,
    sendAt: calendar.whenMayBeTold(owner, step.team),
  });
}

/**
 * At the due time, one step up the ladder: the breach goes on the owner's record, the level's
 * audience is told (in their business hours), the customer gets a holding update naming the
 * owner and the next update time, and that time becomes the deadline. The owner does not change:
 * escalation asks for help, it does not take the concern away.
 */
function planBreach(
  step: StepContext,
  level: number,
  calendar: BatchCalendar,
  plan: StepPlan,
): EscalationAudience {
  const { ticket, team, owner, customer, now } = step;
  const audience = audienceForLevel(level, team.policy.escalationLadder);
  const notified = step.audience(audience);
  const minutesLate = Math.max(0, Math.round((now.getTime() - step.dueAt.getTime()) / 60_000));
  const holdingSkipped = !team.policy.autoHoldingUpdate
    ? 'the team sends no automatic holding updates'
    : !customer.autoUpdates
      ? 'the customer opted out of automatic updates'
      : null;
  const promise = calendar.promisedUpdate(team, level, holdingSkipped);

  // The breach, then the escalation it causes.
  plan.events.push(
    {
      ticketId: ticket.id,
      type: 'deadline_breached',
      at: now,
      actorId: null,
      data: { kind: step.kind, dueAt: step.dueAt.toISOString(), ownerId: owner.id, minutesLate },
    },
    {
      ticketId: ticket.id,
      type: 'escalated',
      at: now,
      actorId: null,
      data: {
        level,
        audience,
        kind: step.kind,
        notifiedAgentIds: notified.map((a) => a.id),
        nextUpdateDueAt: promise.dueAt,
      },
    },
  );
  for (const agent of notified) {
    plan.emails.push({
      key: step.key(`breached:notify:${agent.id}`),
      template: 'escalation',
      toAddress: agent.email,
      ticketId: ticket.id,
      agentId: agent.id,
      holdForDigest: agent.escalationDigest,
      payload: step.staffPayload({
        level,
        agentName: agent.name,
        ownerName: owner.name,
        minutesLate,
        nextUpdateDueAt: promise.dueAt,
        nextUpdateDueAtLocal: step.localTime(new Date(promise.dueAt)),
      }),
      at: now,
      sendAt: calendar.whenMayBeTold(agent, team),
    });
  }
  if (holdingSkipped === null) {
    plan.emails.push({
      key: step.key('holding_update'),
      template: 'holding_update',
      toAddress: customer.email,
      ticketId: ticket.id,
      customerId: customer.id,
      payload: {
        ticketRef: ticket.ref,
        subject: ticket.subject,
        customerName: customer.name,
        locale: customer.locale,
        ownerFirstName: owner.name.trim().split(/\s+/)[0] ?? owner.name,
        nextUpdateBy: promise.dueAt,
        timezone: team.timezone,
      },
      at: now,
    });
  }
  // The promise is the new deadline (a new version); the ladder carries on from this level.
  plan.writes.push({
    ticket,
    changes: {
      escalationLevel: level,
      breachCount: ticket.breachCount + 1,
      nextUpdateDueAt: new Date(promise.dueAt),
      nextUpdateBasis: promise,
    },
    options: { team },
  });
  return audience;
}
