import type { ServiceContext } from '../context';
import { Customer } from '../customers/customer.entity';
import { Team } from '../teams/team.entity';
import { reopenLocked } from '../lifecycle/ticket-lifecycle';
import { inTicketTransaction } from '../tickets/locked-ticket';
import { recordEvent } from '../timeline/record-event';
import { languageOf, type Language } from '../notifications/customer-wording';
import { SatisfactionScore } from './satisfaction-score.entity';

/** Scores at or below this reopen the ticket for its owner: the team re-engages the customer. */
export const RECOVERY_MAX_SCORE = 2;

export type SatisfactionOutcome =
  | { kind: 'recorded'; score: number; recoveryFollowUp: boolean; language: Language }
  /** First click wins: the stored score stands. */
  | { kind: 'already_recorded'; score: number; language: Language }
  /** Only a resolved or closed ticket can be rated; nothing is stored. */
  | { kind: 'ticket_open'; language: Language };

/** An integer 1–5 from a link's query string, or null. */
export function parseSatisfactionScore(raw: unknown): number | null {
  return typeof raw === 'string' && /^[1-5]$/.test(raw) ? Number(raw) : null;
}

/**
 * Stores a customer's one-click score, once per ticket, with the owner whose work it rates. A low
 * score reopens the ticket for the same owner with a new same-day first-response deadline.
 * Everything happens in one transaction with the ticket row locked, like every ticket write.
 * Returns null when there is no such ticket.
 */
export async function recordSatisfactionScore(
  ctx: ServiceContext,
  ticketId: string,
  score: number,
): Promise<SatisfactionOutcome | null> {
  // The reopened ticket's new deadline is scheduled after the commit by the ticket transaction.
  return inTicketTransaction(ctx, async ({ manager, lockTicket }) => {
    const ticket = await lockTicket(ticketId);
    if (!ticket) return null;
    const customer = await manager.getRepository(Customer).findOneByOrFail({
      id: ticket.customerId,
    });
    const language = languageOf(customer.locale);

    const scores = manager.getRepository(SatisfactionScore);
    const existing = await scores.findOneBy({ ticketId: ticket.id });
    if (existing) return { kind: 'already_recorded', score: existing.score, language } as const;
    if (ticket.status !== 'resolved' && ticket.status !== 'closed') {
      return { kind: 'ticket_open', language } as const;
    }

    const now = ctx.clock.now();
    await scores.insert({
      ticketId: ticket.id,
      customerId: ticket.customerId,
      ownerId: ticket.ownerId,
      score,
      at: now,
    });
    await recordEvent(manager, {
      ticketId: ticket.id,
      type: 'satisfaction_scored',
      at: now,
      actorId: null,
      data: { score },
    });
    const recoveryFollowUp = score <= RECOVERY_MAX_SCORE;
    if (recoveryFollowUp) {
      const ownerId = ticket.ownerId;
      let team: Team | undefined;
      await reopenLocked(
        {
          manager,
          ticket,
          now,
          team: async () =>
            (team ??= await manager.getRepository(Team).findOneByOrFail({ id: ticket.teamId })),
        },
        null,
        `low satisfaction score (${score}/5)`,
      );
      await recordEvent(manager, {
        ticketId: ticket.id,
        type: 'recovery_follow_up',
        at: now,
        actorId: null,
        data: {
          score,
          ownerId: ticket.ownerId,
          ratedOwnerId: ownerId,
          firstResponseDueAt: ticket.firstResponseDueAt?.toISOString() ?? null,
        },
      });
    }
    return { kind: 'recorded', score, recoveryFollowUp, language } as const;
  });
}
