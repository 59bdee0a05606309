import type { EntityManager } from 'typeorm';
import { isAdmin, type Actor } from '../actor';
import type { ServiceContext } from '../context';
import { inTransaction, pgConstraint, pgErrorCode, UNIQUE_VIOLATION } from '../db/transaction';
import { computeFirstResponse, enforcementMoments } from '../deadline-rules/deadline-policy';
import { recomputeTeamDeadlines } from '../deadlines/recompute-team-deadlines';
import { calendarOf } from '../teams/calendar-of';
import { scheduleDeadlineJobs } from '../tickets/deadline-sync';
import type { Ticket } from '../tickets/ticket.entity';
import { Conflict, Forbidden, InvalidInput, NotFound } from '../errors';
import {
  DEFAULT_CLOSE_AFTER_DAYS,
  DEFAULT_LADDER,
  DEFAULT_POLICY,
  type DeadlinePolicy,
} from '../deadline-rules/business-calendar';
import { Team } from '../teams/team.entity';
import type {
  CreateTeamInput,
  DeadlinePreviewInput,
  PolicyInput,
  UpdateTeamInput,
} from './teams.input';
import { CUSTOMER_TIERS, type CustomerTier } from '../deadline-rules/customer-tier';

function mergePolicy(base: DeadlinePolicy, change: PolicyInput | undefined): DeadlinePolicy {
  change ??= {};
  return {
    warnBeforeMinutes: change.warnBeforeMinutes ?? base.warnBeforeMinutes,
    reescalateAfterMinutes: change.reescalateAfterMinutes ?? base.reescalateAfterMinutes,
    autoHoldingUpdate: change.autoHoldingUpdate ?? base.autoHoldingUpdate,
    tiers: change.tiers ? mergeTiers(base.tiers, change.tiers) : base.tiers,
    nextUpdateWithinMinutes: pick(change.nextUpdateWithinMinutes, base.nextUpdateWithinMinutes),
    waitingReminderAfterMinutes: pick(
      change.waitingReminderAfterMinutes,
      base.waitingReminderAfterMinutes,
    ),
    waitingResumeAfterMinutes: pick(
      change.waitingResumeAfterMinutes,
      base.waitingResumeAfterMinutes,
    ),
    closeAfterDays: change.closeAfterDays ?? base.closeAfterDays ?? DEFAULT_CLOSE_AFTER_DAYS,
    escalationLadder: change.escalationLadder ?? base.escalationLadder ?? DEFAULT_LADDER,
  };
}

/** undefined keeps the stored value; null clears it (back to the default rule). */
function pick(change: number | null | undefined, base: number | null | undefined): number | null {
  return change === undefined ? (base ?? null) : change;
}

/** Tiers merge one by one; null removes a tier's rule. */
function mergeTiers(
  base: DeadlinePolicy['tiers'],
  change: NonNullable<PolicyInput['tiers']>,
): DeadlinePolicy['tiers'] {
  const merged: DeadlinePolicy['tiers'] = { ...base };
  for (const tier of ['vip', 'high_value'] as const) {
    const rule = change[tier];
    if (rule === null) delete merged[tier];
    else if (rule !== undefined) merged[tier] = rule;
  }
  return merged;
}

/**
 * The calendar maths scans at most about two years ahead; a policy whose business minutes cannot
 * fit in that (a minute a week, a 100,000-minute re-escalation) would fail every ticket later.
 */
function assertPolicyFitsCalendar(team: Team, now: Date): void {
  const calendar = calendarOf(team);
  try {
    for (const tier of ['standard', 'vip', 'high_value'] as const) {
      const due = new Date(computeFirstResponse(now, calendar, team.policy, tier).dueAt);
      enforcementMoments(due, calendar, team.policy);
    }
  } catch {
    throw InvalidInput.field(
      'policy',
      'needs more business time than the opening hours give within two years; shorten the minutes or open longer',
    );
  }
}

/** The reminder must come before the resume, or it could never be sent. */
function assertWaitingOrder(policy: DeadlinePolicy): void {
  const reminder = policy.waitingReminderAfterMinutes;
  const resume = policy.waitingResumeAfterMinutes;
  if (reminder && resume && reminder >= resume) {
    throw InvalidInput.field(
      'policy.waitingResumeAfterMinutes',
      'must be more than waitingReminderAfterMinutes',
    );
  }
}

function assertCutoffWithinHours(team: Pick<Team, 'sameDayCutoff' | 'businessHours'>): void {
  if (!team.sameDayCutoff) return;
  const opens = Object.values(team.businessHours).map((h) => h.open);
  if (opens.length > 0 && opens.every((open) => team.sameDayCutoff! <= open)) {
    throw InvalidInput.field('sameDayCutoff', 'must be later than the opening time of some day');
  }
}

function rethrowDuplicateName(error: unknown): never {
  if (pgErrorCode(error) === UNIQUE_VIOLATION && pgConstraint(error) === 'teams_name_key') {
    throw new Conflict('A team with this name already exists.');
  }
  throw error;
}

export async function createTeam(
  ctx: ServiceContext,
  actor: Actor,
  input: CreateTeamInput,
): Promise<Team> {
  if (!isAdmin(actor)) throw new Forbidden('Only an admin can create teams.');
  const team = ctx.dataSource.getRepository(Team).create({
    name: input.name,
    timezone: input.timezone,
    businessHours: input.businessHours,
    holidays: input.holidays ?? [],
    sameDayCutoff: input.sameDayCutoff ?? null,
    policy: mergePolicy(DEFAULT_POLICY, input.policy),
  });
  assertCutoffWithinHours(team);
  assertWaitingOrder(team.policy);
  assertPolicyFitsCalendar(team, ctx.clock.now());
  try {
    return await ctx.dataSource.getRepository(Team).save(team);
  } catch (error) {
    rethrowDuplicateName(error);
  }
}

/** Anyone may see their own team; admins every team; others get 404 (no leak). */
export async function getTeam(ctx: ServiceContext, actor: Actor, teamId: string): Promise<Team> {
  const team = await ctx.dataSource.getRepository(Team).findOneBy({ id: teamId });
  if (!team || (!isAdmin(actor) && actor.teamId !== team.id)) {
    throw new NotFound(`No team ${teamId}.`);
  }
  return team;
}

export async function listTeams(ctx: ServiceContext, actor: Actor): Promise<Team[]> {
  const repo = ctx.dataSource.getRepository(Team);
  if (isAdmin(actor)) return repo.find({ order: { name: 'ASC' } });
  if (!actor.teamId) return [];
  return repo.findBy({ id: actor.teamId });
}

export async function updateTeam(
  ctx: ServiceContext,
  actor: Actor,
  teamId: string,
  input: UpdateTeamInput,
): Promise<Team> {
  if (!isAdmin(actor)) throw new Forbidden('Only an admin can change teams.');
  const changedRules = ['timezone', 'businessHours', 'holidays', 'sameDayCutoff', 'policy'].filter(
    (field) => field in input,
  );
  const rulesChanged = changedRules.length > 0;
  let moved: Ticket[] = [];
  const team = await inTransaction(ctx.dataSource, async (manager) => {
    const team = await lockTeam(manager, teamId);
    if (input.name !== undefined) team.name = input.name;
    if (input.timezone !== undefined) team.timezone = input.timezone;
    if (input.businessHours !== undefined) team.businessHours = input.businessHours;
    if (input.holidays !== undefined) team.holidays = input.holidays;
    if (input.sameDayCutoff !== undefined) team.sameDayCutoff = input.sameDayCutoff;
    team.policy = mergePolicy(team.policy, input.policy);
    assertCutoffWithinHours(team);
    assertWaitingOrder(team.policy);
    assertPolicyFitsCalendar(team, ctx.clock.now());
    let saved: Team;
    try {
      saved = await manager.getRepository(Team).save(team);
    } catch (error) {
      rethrowDuplicateName(error);
    }
    // New rules apply to every open promise of the team, in the same transaction.
    if (rulesChanged) {
      const now = ctx.clock.now();
      moved = await recomputeTeamDeadlines(
        manager,
        saved,
        now,
        `the team's ${changedRules.join(', ')} changed at ${now.toISOString()}`,
      );
    }
    return saved;
  });
  await scheduleDeadlineJobs(ctx, moved);
  return team;
}

async function lockTeam(manager: EntityManager, teamId: string): Promise<Team> {
  const team = await manager
    .getRepository(Team)
    .findOne({ where: { id: teamId }, lock: { mode: 'for_no_key_update' } });
  if (!team) throw new NotFound(`No team ${teamId}.`);
  return team;
}

/** Loads a team that a request refers to by id in its body, naming the field if it is unknown. */
export async function requireTeamForField(
  manager: EntityManager,
  teamId: string,
  field: string,
): Promise<Team> {
  const team = await manager.getRepository(Team).findOneBy({ id: teamId });
  if (!team) throw InvalidInput.field(field, 'names no existing team');
  return team;
}

export interface DeadlinePreview {
  at: string;
  timezone: string;
  items: Array<{ tier: CustomerTier; dueAt: string; explanation: string }>;
}

/**
 * "A concern arriving now would be due at …" for a calendar and policy as the admin is editing
 * them (nothing is saved), computed by the same deadline code and the same checks as a save.
 */
export function previewDeadlines(
  ctx: ServiceContext,
  actor: Actor,
  input: DeadlinePreviewInput,
): DeadlinePreview {
  if (!isAdmin(actor)) throw new Forbidden('Only an admin edits team calendars.');
  const team = ctx.dataSource.getRepository(Team).create({
    name: input.name ?? 'preview',
    timezone: input.timezone,
    businessHours: input.businessHours,
    holidays: input.holidays ?? [],
    sameDayCutoff: input.sameDayCutoff ?? null,
    policy: mergePolicy(DEFAULT_POLICY, input.policy),
  });
  const at = input.at ? new Date(input.at) : ctx.clock.now();
  assertCutoffWithinHours(team);
  assertWaitingOrder(team.policy);
  assertPolicyFitsCalendar(team, at);
  const calendar = calendarOf(team);
  return {
    at: at.toISOString(),
    timezone: team.timezone,
    items: CUSTOMER_TIERS.map((tier) => {
      const basis = computeFirstResponse(at, calendar, team.policy, tier);
      return { tier, dueAt: basis.dueAt, explanation: basis.explanation };
    }),
  };
}
