import { DateTime } from 'luxon';
import { zoneNamed } from '../deadline-rules/time-zones';
import type { EntityManager } from 'typeorm';
import { Agent } from '../agents/agent.entity';
import type { ServiceContext } from '../context';
import { Customer } from '../customers/customer.entity';
import { queueEmail, queueEmails, type EmailToQueue } from '../notifications/queue-email';
import type { EscalationAudience } from '../deadline-rules/business-calendar';
import { calendarOf } from '../teams/calendar-of';
import { Team } from '../teams/team.entity';
import { inTicketTransaction } from '../tickets/locked-ticket';
import type { Ticket } from '../tickets/ticket.entity';
import { writeTicket } from '../tickets/ticket-writes';
import { recordEvent, recordEvents } from '../timeline/record-event';
import { currentDeadlineOf } from '../deadline-rules/current-deadline';
import type { DeadlineStep } from '../deadline-rules/deadline-jobs';
import type { DeadlineJobPayload } from '../deadline-rules/deadline-jobs';
import { audienceForLevel, computePromisedUpdate } from '../deadline-rules/deadline-policy';
import { whenStaffMayBeTold } from '../teams/staff-hours';
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
  let taken: DeadlineStepTaken | undefined;
  const outcome = await inTicketTransaction(ctx, async (tx) => {
    const { manager } = tx;
    const ticket = await tx.lockTicket(job.ticketId);
    const current = ticket ? currentDeadlineOf(ticket) : null;
    if (
      !ticket ||
      !current ||
      current.kind !== job.kind ||
      ticket.deadlineVersion !== job.version ||
      // Re-escalation became the next promised time; jobs queued before that change do nothing.
      job.step === 'reescalated'
    ) {
      return { result: 'stale' } as const;
    }
    const now = ctx.clock.now();
    const moment = job.step === 'warned' ? ticket.deadlineWarnAt : current.dueAt;
    if (!moment) return { result: 'stale' } as const;
    if (now < moment) return { result: 'not_yet', retryAt: moment } as const;
    // A warning that comes after the deadline would only repeat the breach.
    if (job.step === 'warned' && now >= current.dueAt) return { result: 'stale' } as const;

    const level = job.step === 'breached' ? ticket.escalationLevel + 1 : ticket.escalationLevel;
    const { recorded, people } = await recordStep(manager, ticket, {
      kind: current.kind,
      step: job.step,
      dueAt: current.dueAt,
      actedAt: now,
      escalationLevel: level,
    });
    if (!recorded) return { result: 'duplicate' } as const;
    const step = new StepContext(manager, ticket, people, current.dueAt, now);
    taken = {
      step: 'warned',
      kind: step.kind,
      dueAt: moment,
      actedAt: now,
      escalationLevel: level,
    };
    if (job.step === 'warned') await warn(step);
    else {
      const audience = await breach(step, level);
      taken = { ...taken, step: 'breached', audience };
      tx.scheduleAfterCommit(ticket);
    }
    return { result: 'done' } as const;
  });
  if (outcome.result === 'done' && taken) observe?.(taken);
  return outcome;
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

interface StepToRecord {
  kind: DeadlineJobPayload['kind'];
  step: DeadlineStep;
  dueAt: Date;
  actedAt: Date;
  escalationLevel: number;
}

/**
 * Records the step on the locked ticket's current deadline version and, in the same statement,
 * reads whom it concerns. `recorded` is false when the step was already recorded (by a twin job
 * or the reconciler: the deadline_actions unique index makes each step happen once).
 */
async function recordStep(
  manager: EntityManager,
  ticket: Ticket,
  action: StepToRecord,
): Promise<{ recorded: boolean; people: StepPeople }> {
  const [row]: Array<Record<string, unknown>> = await manager.query(
    `WITH action AS (
       INSERT INTO deadline_actions
         (ticket_id, team_id, kind, deadline_version, step, due_at, acted_at, owner_id, escalation_level)
       VALUES ($4, $1, $5, $6, $7, $8, $9, $2, $10)
       ON CONFLICT (ticket_id, kind, due_at, step) DO NOTHING
       RETURNING id)
     SELECT EXISTS (SELECT 1 FROM action) AS recorded,
            ${selectColumns(manager, Team, 'tm', 'team__')},
            ${selectColumns(manager, Agent, 'o', 'owner__')},
            ${selectColumns(manager, Customer, 'c', 'customer__')},
            CASE WHEN $7 = 'breached' THEN (
              SELECT coalesce(json_agg(json_build_object(
                       'id', a.id, 'name', a.name, 'email', a.email, 'role', a.role,
                       'teamId', a.team_id, 'escalationDigest', a.escalation_digest)
                     ORDER BY a.created_at, a.id), '[]'::json)
                FROM agents a
               WHERE a.active
                 AND (a.id = o.supervisor_id OR a.role = 'admin'
                      OR (a.role = 'supervisor' AND a.team_id = tm.id)))
            ELSE '[]'::json END AS staff
       FROM teams tm, agents o, customers c
      WHERE tm.id = $1 AND o.id = $2 AND c.id = $3`,
    [
      ticket.teamId,
      ticket.ownerId,
      ticket.customerId,
      ticket.id,
      action.kind,
      ticket.deadlineVersion,
      action.step,
      action.dueAt,
      action.actedAt,
      action.escalationLevel,
    ],
  );
  if (!row) throw new Error(`ticket ${ticket.id}: its team, owner or customer is missing`);
  return {
    recorded: row.recorded === true,
    people: {
      team: hydrate(manager, Team, row, 'team__'),
      owner: hydrate(manager, Agent, row, 'owner__'),
      customer: hydrate(manager, Customer, row, 'customer__'),
      staff: row.staff as StaffToTell[],
    },
  };
}

class StepContext {
  readonly kind;
  readonly version;
  readonly team: Team;
  readonly owner: Agent;
  readonly customer: Customer;

  constructor(
    readonly manager: EntityManager,
    readonly ticket: Ticket,
    private readonly people: StepPeople,
    readonly dueAt: Date,
    readonly now: Date,
  ) {
    // Captured before the breach moves the deadline: keys and records name the step's deadline.
    this.kind = currentDeadlineOf(ticket)!.kind;
    this.version = ticket.deadlineVersion;
    this.team = people.team;
    this.owner = people.owner;
    this.customer = people.customer;
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
    return DateTime.fromJSDate(instant, { zone: zoneNamed(this.team.timezone) }).toFormat(
      "ccc d LLL HH:mm '('ZZZZ')'",
    );
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

async function warn(step: StepContext): Promise<void> {
  const { owner } = step;
  await recordEvent(step.manager, {
    ticketId: step.ticket.id,
    type: 'deadline_warned',
    at: step.now,
    actorId: null,
    data: { kind: step.kind, dueAt: step.dueAt.toISOString(), ownerId: owner.id },
  });
  const sendAt = await whenStaffMayBeTold(step.manager, [owner], step.team, step.now);
  await queueEmail(step.manager, {
    key: step.key('warned:owner'),
    template: 'deadline_warning',
    toAddress: owner.email,
    ticketId: step.ticket.id,
    agentId: owner.id,
    payload: step.staffPayload({ agentName: owner.name }),
    at: step.now,
    sendAt: sendAt.get(owner.id),
  });
}

/**
 * At the due time, one step up the ladder: the breach goes on the owner's record, the level's
 * audience is told (in their business hours), the customer gets a holding update naming the
 * owner and the next update time, and that time becomes the deadline. The owner does not change:
 * escalation asks for help, it does not take the concern away.
 */
async function breach(step: StepContext, level: number): Promise<EscalationAudience> {
  const { manager, ticket, team, owner, customer, now } = step;
  const audience = audienceForLevel(level, team.policy.escalationLadder);
  const notified = step.audience(audience);
  const minutesLate = Math.max(0, Math.round((now.getTime() - step.dueAt.getTime()) / 60_000));
  const holdingSkipped = !team.policy.autoHoldingUpdate
    ? 'the team sends no automatic holding updates'
    : !customer.autoUpdates
      ? 'the customer opted out of automatic updates'
      : null;
  const promise = computePromisedUpdate(now, calendarOf(team), team.policy, {
    escalationLevel: level,
    holdingUpdateSent: holdingSkipped === null,
    reason: holdingSkipped,
  });

  // Both events in one statement (in this order: the breach, then the escalation it causes).
  await recordEvents(manager, [
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
  ]);
  const sendAt = await whenStaffMayBeTold(manager, notified, team, now);
  // The staff first, then the customer, in one statement.
  const emails: EmailToQueue[] = notified.map((agent) => ({
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
    sendAt: sendAt.get(agent.id),
  }));
  if (holdingSkipped === null) {
    emails.push({
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
  await queueEmails(manager, emails);
  // The promise is the new deadline (a new version); the ladder carries on from this level.
  await writeTicket(
    manager,
    ticket,
    {
      escalationLevel: level,
      breachCount: ticket.breachCount + 1,
      nextUpdateDueAt: new Date(promise.dueAt),
      nextUpdateBasis: promise,
    },
    now,
    { team },
  );
  return audience;
}
