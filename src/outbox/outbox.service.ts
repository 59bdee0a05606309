import type { EntityManager } from 'typeorm';
import { z } from 'zod';
import { supervisesTeam, type Actor } from '../actor';
import { instant } from '../common-input';
import type { ServiceContext } from '../context';
import { Conflict, Forbidden, NotFound } from '../errors';
import { renderEmail } from '../notifications/email-templates';
import { queueResend } from '../notifications/queue-email';
import { ticketLinks } from '../notifications/signed-links';
import { decodeCursor, toPage, type Page } from '../pagination';
import { inTicketTransaction } from '../tickets/locked-ticket';
import type { Ticket } from '../tickets/ticket.entity';
import { recordEvent } from '../timeline/record-event';
import type { DismissInput, ListOutboxQuery, ResendInput } from './outbox.input';
import { isSettleable, outboxItemView, type OutboxItem, type OutboxRow } from './outbox.view';

/**
 * The customer emails of tickets, for the people who can fix them: a failed or ambiguous email
 * is resent (a new email to the customer's current address, in the original's place in the
 * ticket's order) or dismissed with a note. Who sees an email: admins; supervisors of the
 * ticket's team; the ticket's owner. Nobody else learns it exists (404).
 */

const SELECT_ROWS = `
  SELECT o.id, o.template, o.to_address, o.ticket_id, o.customer_id, o.status, o.attempts,
         o.ambiguous_sends, o.last_error, o.created_at, o.next_attempt_at, o.sent_at, o.failed_at,
         o.settled_at, o.settled_by_id, s.name AS settled_by_name, o.settled_note,
         o.resent_from_id, o.resent_as_id, o.payload,
         t.ref, t.subject AS ticket_subject, t.team_id, t.owner_id, c.email AS customer_email
    FROM outbox_emails o
    JOIN tickets t ON t.id = o.ticket_id
    JOIN customers c ON c.id = o.customer_id
    LEFT JOIN agents s ON s.id = o.settled_by_id`;

function mayActOn(actor: Actor, ticket: { teamId: string; ownerId: string }): boolean {
  return actor.id === ticket.ownerId || supervisesTeam(actor, ticket.teamId);
}

function itemOf(ctx: ServiceContext, row: OutboxRow): OutboxItem {
  let subject = row.ticket_subject;
  try {
    subject = renderEmail(
      row.template,
      row.payload,
      ticketLinks(ctx.settings, row.ticket_id),
    ).subject;
  } catch {
    // An email that cannot be rendered (it failed for that reason): name the ticket instead.
  }
  return outboxItemView(row, subject);
}

const outboxCursor = z.object({ c: instant(), id: z.uuid() });

export async function listOutbox(
  ctx: ServiceContext,
  actor: Actor,
  query: ListOutboxQuery,
): Promise<Page<OutboxItem>> {
  if (actor.role === 'integration') {
    throw new Forbidden('Integrations do not review the outbox.');
  }
  if (actor.role !== 'admin' && query.teamId && query.teamId !== actor.teamId) {
    throw new Forbidden("You can review only your own team's emails.");
  }
  const teamId = actor.role === 'admin' ? (query.teamId ?? null) : actor.teamId;
  // Reps see the emails of the tickets they own; supervisors their team's.
  const ownerId = actor.role === 'rep' ? actor.id : null;
  const after = query.cursor ? decodeCursor(query.cursor, outboxCursor) : null;
  const rows: OutboxRow[] = await ctx.dataSource.query(
    `${SELECT_ROWS}
      WHERE o.customer_id IS NOT NULL AND o.status = ANY($1::text[])
        AND ($2::uuid IS NULL OR t.team_id = $2)
        AND ($3::uuid IS NULL OR t.owner_id = $3)
        AND ($4::text IS NULL OR t.id::text = lower($4) OR t.ref = upper($4))
        AND ($5::timestamptz IS NULL OR (o.created_at, o.id) < ($5::timestamptz, $6::uuid))
      ORDER BY o.created_at DESC, o.id DESC
      LIMIT $7`,
    [
      query.status,
      teamId,
      ownerId,
      query.ticketId ?? null,
      after?.c ?? null,
      after?.id ?? null,
      query.limit + 1,
    ],
  );
  return toPage(
    rows,
    query.limit,
    (row) => itemOf(ctx, row),
    (row) => ({ c: new Date(row.created_at).toISOString(), id: row.id }),
  );
}

async function loadRow(manager: EntityManager, emailId: string): Promise<OutboxRow | undefined> {
  const rows: OutboxRow[] = await manager.query(
    `${SELECT_ROWS} WHERE o.id = $1 AND o.customer_id IS NOT NULL`,
    [emailId],
  );
  return rows[0];
}

export async function getOutboxEmail(
  ctx: ServiceContext,
  actor: Actor,
  emailId: string,
): Promise<OutboxItem> {
  const row = await loadRow(ctx.dataSource.manager, emailId);
  if (!row || !mayActOn(actor, { teamId: row.team_id, ownerId: row.owner_id })) {
    throw new NotFound(`No email ${emailId}.`);
  }
  return itemOf(ctx, row);
}

/**
 * Locks the email's ticket, then the email (the lock order of ticket rows), and checks that the
 * actor may act on it and that it waits for a person.
 */
async function lockSettleable(
  manager: EntityManager,
  lockTicket: (id: string) => Promise<Ticket | null>,
  actor: Actor,
  emailId: string,
  action: 'resent' | 'dismissed',
): Promise<{ ticket: Ticket; row: OutboxRow }> {
  const [found]: Array<{ ticket_id: string }> = await manager.query(
    `SELECT ticket_id FROM outbox_emails
      WHERE id = $1 AND customer_id IS NOT NULL AND ticket_id IS NOT NULL`,
    [emailId],
  );
  const ticket = found ? await lockTicket(found.ticket_id) : null;
  if (!ticket || !mayActOn(actor, ticket)) throw new NotFound(`No email ${emailId}.`);
  // FOR NO KEY UPDATE: a worker's claim (FOR UPDATE … SKIP LOCKED) passes it by meanwhile.
  await manager.query(`SELECT 1 FROM outbox_emails WHERE id = $1 FOR NO KEY UPDATE`, [emailId]);
  const row = (await loadRow(manager, emailId))!;
  if (!isSettleable(row.status)) {
    throw new Conflict(
      `This email is ${row.status}; only a failed or ambiguous email can be ${action}.`,
    );
  }
  return { ticket, row };
}

/** A new email to the customer's current address, linked to the original, in its place. */
export async function resendEmail(
  ctx: ServiceContext,
  actor: Actor,
  emailId: string,
  input: ResendInput,
): Promise<OutboxItem> {
  const newId = await inTicketTransaction(ctx, async ({ manager, lockTicket }) => {
    const { ticket, row } = await lockSettleable(manager, lockTicket, actor, emailId, 'resent');
    const at = ctx.clock.now();
    const id = await queueResend(
      manager,
      { id: row.id, ticketId: ticket.id },
      { toAddress: row.customer_email, at, actorId: actor.id, note: input.note ?? null },
    );
    await recordEvent(manager, {
      ticketId: ticket.id,
      type: 'email_resent',
      at,
      actorId: actor.id,
      data: {
        emailId: row.id,
        resentAsId: id,
        template: row.template,
        to: row.customer_email,
        previousTo: row.to_address,
        previousStatus: row.status,
        note: input.note ?? null,
      },
    });
    await recordEvent(manager, {
      ticketId: ticket.id,
      type: 'email_queued',
      at,
      actorId: actor.id,
      data: { emailId: id, template: row.template, to: row.customer_email, resentFromId: row.id },
    });
    return id;
  });
  return getOutboxEmail(ctx, actor, newId);
}

/** A person decided the email is not to be sent (it stops holding the ticket's later emails). */
export async function dismissEmail(
  ctx: ServiceContext,
  actor: Actor,
  emailId: string,
  input: DismissInput,
): Promise<OutboxItem> {
  await inTicketTransaction(ctx, async ({ manager, lockTicket }) => {
    const { ticket, row } = await lockSettleable(manager, lockTicket, actor, emailId, 'dismissed');
    const at = ctx.clock.now();
    await manager.query(
      `UPDATE outbox_emails
          SET status = 'dismissed', settled_at = $2, settled_by_id = $3, settled_note = $4
        WHERE id = $1`,
      [row.id, at, actor.id, input.note],
    );
    await recordEvent(manager, {
      ticketId: ticket.id,
      type: 'email_dismissed',
      at,
      actorId: actor.id,
      data: {
        emailId: row.id,
        template: row.template,
        to: row.to_address,
        previousStatus: row.status,
        note: input.note,
      },
    });
  });
  return getOutboxEmail(ctx, actor, emailId);
}
