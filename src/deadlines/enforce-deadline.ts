import { DateTime } from 'luxon';
import type { EntityManager } from 'typeorm';
import { Agent } from '../agents/agent.entity';
import type { ServiceContext } from '../context';
import { Customer } from '../customers/customer.entity';
import { inTransaction } from '../db/transaction';
import { queueEmail } from '../notifications/queue-email';
import { calendarOf } from '../teams/calendar-of';
import { Team } from '../teams/team.entity';
import { Ticket } from '../tickets/ticket.entity';
import { writeTicket } from '../tickets/ticket-writes';
import { recordEvent } from '../timeline/record-event';
import { closeOfArrivalBusinessDay } from './calendar';
import { currentDeadlineOf } from './current-deadline';
import type { DeadlineStep } from './deadline-action.entity';
import type { DeadlineJobPayload } from './deadline-jobs';

/**
 * What a deadline job found:
 * - done: it acted (and recorded the action);
 * - stale: the ticket moved on (answered, resolved, paused, new deadline version): nothing to do;
 * - duplicate: this step was already taken for this version (a second run has no effect);
 * - not_yet: it ran early; run it again at `retryAt`.
 */
export type EnforcementOutcome =
  { result: 'done' | 'stale' | 'duplicate' } | { result: 'not_yet'; retryAt: Date };

export const MAX_ESCALATION_LEVEL = 2;

/**
 * Takes one enforcement step for one version of a ticket's deadline, in one transaction with its
 * timeline events and outbox emails. The deadline_actions unique index makes it happen once.
 */
export async function enforceDeadlineStep(
  ctx: ServiceContext,
  job: DeadlineJobPayload,
): Promise<EnforcementOutcome> {
  return inTransaction(ctx.dataSource, async (manager) => {
    const ticket = await manager
      .getRepository(Ticket)
      .findOne({ where: { id: job.ticketId }, lock: { mode: 'for_no_key_update' } });
    const current = ticket ? currentDeadlineOf(ticket) : null;
    if (
      !ticket ||
      !current ||
      current.kind !== job.kind ||
      ticket.deadlineVersion !== job.version
    ) {
      return { result: 'stale' };
    }
    const now = ctx.clock.now();
    const moment = momentOf(ticket, current.dueAt, job.step);
    if (!moment) return { result: 'stale' };
    if (now < moment) return { result: 'not_yet', retryAt: moment };
    // A warning that comes after the deadline would only repeat the breach.
    if (job.step === 'warned' && now >= current.dueAt) return { result: 'stale' };

    const team = await manager.getRepository(Team).findOneByOrFail({ id: ticket.teamId });
    const step = new StepContext(manager, ticket, team, current.dueAt, now);
    if (job.step === 'reescalated' && !(await step.alreadyTaken('breached'))) {
      await breach(step);
    }
    const taken = await step.record(
      job.step,
      job.step === 'breached' ? 1 : job.step === 'reescalated' ? 2 : 0,
    );
    if (!taken) return { result: 'duplicate' };
    if (job.step === 'warned') await warn(step);
    if (job.step === 'breached') await breachEffects(step);
    if (job.step === 'reescalated') await reescalateEffects(step);
    return { result: 'done' };
  });
}

function momentOf(ticket: Ticket, dueAt: Date, step: DeadlineStep): Date | null {
  if (step === 'warned') return ticket.deadlineWarnAt;
  if (step === 'breached') return dueAt;
  return ticket.deadlineReescalateAt;
}

class StepContext {
  constructor(
    readonly manager: EntityManager,
    readonly ticket: Ticket,
    readonly team: Team,
    readonly dueAt: Date,
    readonly now: Date,
  ) {}

  get kind() {
    return currentDeadlineOf(this.ticket)!.kind;
  }

  key(suffix: string): string {
    return `deadline:${this.ticket.id}:${this.kind}:v${this.ticket.deadlineVersion}:${suffix}`;
  }

  async alreadyTaken(step: DeadlineStep): Promise<boolean> {
    const rows: unknown[] = await this.manager.query(
      `SELECT 1 FROM deadline_actions WHERE ticket_id = $1 AND kind = $2 AND due_at = $3 AND step = $4`,
      [this.ticket.id, this.kind, this.dueAt, step],
    );
    return rows.length > 0;
  }

  /** Records the step; false when it was already recorded (by a twin job or the reconciler). */
  async record(step: DeadlineStep, escalationLevel: number): Promise<boolean> {
    const inserted: unknown[] = await this.manager.query(
      `INSERT INTO deadline_actions
         (ticket_id, team_id, kind, deadline_version, step, due_at, acted_at, owner_id, escalation_level)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (ticket_id, kind, due_at, step) DO NOTHING
       RETURNING id`,
      [
        this.ticket.id,
        this.ticket.teamId,
        this.kind,
        this.ticket.deadlineVersion,
        step,
        this.dueAt,
        this.now,
        this.ticket.ownerId,
        escalationLevel,
      ],
    );
    return inserted.length > 0;
  }

  async agents(where: 'owner' | 'supervisors' | 'admins'): Promise<Agent[]> {
    const repo = this.manager.getRepository(Agent);
    if (where === 'owner') return [await repo.findOneByOrFail({ id: this.ticket.ownerId })];
    if (where === 'supervisors') {
      return repo.findBy({ teamId: this.ticket.teamId, role: 'supervisor', active: true });
    }
    return repo.findBy({ role: 'admin', active: true });
  }

  localTime(instant: Date): string {
    return DateTime.fromJSDate(instant, { zone: this.team.timezone }).toFormat(
      "ccc d LLL HH:mm '('ZZZZ')'",
    );
  }

  staffPayload(extra: Record<string, unknown>): Record<string, unknown> {
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
  const [owner] = await step.agents('owner');
  await recordEvent(step.manager, {
    ticketId: step.ticket.id,
    type: 'deadline_warned',
    at: step.now,
    actorId: null,
    data: { kind: step.kind, dueAt: step.dueAt.toISOString(), ownerId: owner!.id },
  });
  await queueEmail(step.manager, {
    key: step.key('warned:owner'),
    template: 'deadline_warning',
    toAddress: owner!.email,
    ticketId: step.ticket.id,
    agentId: owner!.id,
    payload: step.staffPayload({ agentName: owner!.name }),
    at: step.now,
  });
}

/** Records a breach taken out of order (re-escalation found none): the action row and effects. */
async function breach(step: StepContext): Promise<void> {
  if (await step.record('breached', 1)) await breachEffects(step);
}

/**
 * At the due time: the breach goes on the owner's record, the team's supervisors are told, and
 * the customer gets a holding update naming the owner and when they will hear next. The owner
 * does not change: escalation asks for help, it does not take the concern away.
 */
async function breachEffects(step: StepContext): Promise<void> {
  const { manager, ticket, now } = step;
  const [owner] = await step.agents('owner');
  let notified = await step.agents('supervisors');
  if (notified.length === 0) notified = await step.agents('admins');
  const minutesLate = Math.max(0, Math.round((now.getTime() - step.dueAt.getTime()) / 60_000));

  await writeTicket(
    manager,
    ticket,
    { escalationLevel: Math.max(ticket.escalationLevel, 1), breachCount: ticket.breachCount + 1 },
    now,
  );
  await recordEvent(manager, {
    ticketId: ticket.id,
    type: 'deadline_breached',
    at: now,
    actorId: null,
    data: { kind: step.kind, dueAt: step.dueAt.toISOString(), ownerId: owner!.id, minutesLate },
  });
  await recordEvent(manager, {
    ticketId: ticket.id,
    type: 'escalated',
    at: now,
    actorId: null,
    data: { level: 1, kind: step.kind, notifiedAgentIds: notified.map((a) => a.id) },
  });
  for (const agent of notified) {
    await queueEmail(manager, {
      key: step.key(`breached:notify:${agent.id}`),
      template: 'escalation',
      toAddress: agent.email,
      ticketId: ticket.id,
      agentId: agent.id,
      holdForDigest: agent.escalationDigest,
      payload: step.staffPayload({
        level: 1,
        agentName: agent.name,
        ownerName: owner!.name,
        minutesLate,
      }),
      at: now,
    });
  }
  await sendHoldingUpdate(step, owner!);
}

async function sendHoldingUpdate(step: StepContext, owner: Agent): Promise<void> {
  if (!step.team.policy.autoHoldingUpdate) return;
  const customer = await step.manager
    .getRepository(Customer)
    .findOneByOrFail({ id: step.ticket.customerId });
  if (!customer.autoUpdates) return;
  const nextUpdateBy = closeOfArrivalBusinessDay(step.now, calendarOf(step.team)).at;
  const ownerFirstName = owner.name.trim().split(/\s+/)[0] ?? owner.name;
  await queueEmail(step.manager, {
    key: step.key('holding_update'),
    template: 'holding_update',
    toAddress: customer.email,
    ticketId: step.ticket.id,
    customerId: customer.id,
    payload: {
      ticketRef: step.ticket.ref,
      subject: step.ticket.subject,
      customerName: customer.name,
      locale: customer.locale,
      ownerFirstName,
      nextUpdateBy: nextUpdateBy.toISOString(),
      timezone: step.team.timezone,
    },
    at: step.now,
  });
}

/** Still unanswered after reescalateAfterMinutes: the next level (admins) is told. */
async function reescalateEffects(step: StepContext): Promise<void> {
  const { manager, ticket, now } = step;
  const [owner] = await step.agents('owner');
  const admins = await step.agents('admins');
  await writeTicket(manager, ticket, { escalationLevel: MAX_ESCALATION_LEVEL }, now);
  await recordEvent(manager, {
    ticketId: ticket.id,
    type: 'escalated',
    at: now,
    actorId: null,
    data: {
      level: MAX_ESCALATION_LEVEL,
      kind: step.kind,
      notifiedAgentIds: admins.map((a) => a.id),
    },
  });
  for (const admin of admins) {
    await queueEmail(manager, {
      key: step.key(`reescalated:notify:${admin.id}`),
      template: 'escalation',
      toAddress: admin.email,
      ticketId: ticket.id,
      agentId: admin.id,
      holdForDigest: admin.escalationDigest,
      payload: step.staffPayload({
        level: MAX_ESCALATION_LEVEL,
        agentName: admin.name,
        ownerName: owner!.name,
      }),
      at: now,
    });
  }
}
