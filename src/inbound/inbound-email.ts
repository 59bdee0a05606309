import { createHash } from 'node:crypto';
import { simpleParser, type AddressObject, type EmailAddress, type ParsedMail } from 'mailparser';
import { z } from 'zod';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../actor';
import { emailAddress, storableText, uuid } from '../common-input';
import type { ServiceContext } from '../context';
import { Customer } from '../customers/customer.entity';
import { inTransaction } from '../db/transaction';
import { Forbidden, InvalidInput } from '../errors';
import { requireTeamForField } from '../team-admin/teams.service';
import { logCustomerMessage } from '../lifecycle/ticket-lifecycle';
import { createTicket } from '../lifecycle/tickets.service';
import { replyTokenFromAddress, ticketIdFromMessageId } from '../notifications/email-threading';
import { OutboxEmail } from '../notifications/outbox-email.entity';
import { verifyTicketToken } from '../notifications/signed-links';
import {
  forgetInboundEmail,
  logInboundEmail,
  reserveNewTicket,
  settleNewTicket,
} from './inbound-log';

/**
 * Customer mail that an email gateway posts as raw RFC 822 messages, or an IMAP mailbox hands
 * over (both come through receive-email-with-attachments.ts). A reply finds its ticket by the
 * signed token in our Reply-To address, or by one of our Message-IDs in its thread headers, and
 * either only when the sender is the ticket's customer (or an address we emailed on that
 * ticket): ticket ids are in every status link, so a thread id is no secret. Anything else is a
 * new concern from its sender, within the per-sender and per-domain limits. Every message is
 * logged with how it was matched (inbound-log.ts). The inbound Message-ID makes a gateway's
 * retry a no-op on either path.
 */

export const inboundEmailQuery = z.strictObject({ teamId: uuid.optional() });
export type InboundEmailQuery = z.output<typeof inboundEmailQuery>;

/** Limits of the fields the message lands in (see tickets.input.ts and customers.input.ts). */
const MAX_SUBJECT = 300;
const MAX_DESCRIPTION = 20_000;
const MAX_MESSAGE = 50_000;
const MAX_NAME = 200;
const NO_TEXT = '(no text)';

export interface InboundEmail {
  /** The Message-ID, or a digest of the raw message when it has none. */
  messageId: string;
  from: { address: string; name: string };
  subject: string;
  /** The text with quoted history stripped. */
  text: string;
  /** To, Cc, Delivered-To and X-Original-To addresses, as written (reply tokens are case-sensitive). */
  recipients: string[];
  /** In-Reply-To first, then References from the newest back. */
  threadIds: string[];
  /** Why this is machine mail (auto-reply, bounce) that must not reopen or open a ticket. */
  automated: string | null;
}

export type InboundEmailResult =
  | {
      result: 'matched';
      ticketId: string;
      eventId: string;
      matchedBy: 'reply_token' | 'thread';
    }
  | { result: 'ignored'; matchedBy: 'ignored'; reason: string }
  | {
      result: 'created';
      matchedBy: 'new_ticket';
      ticketId: string;
      customerId: string;
      /** False when the same message was posted before and that ticket is returned. */
      created: boolean;
      /** Why a thread id or reply token in it was not honoured, if one was. */
      reason?: string;
    };

export async function receiveInboundEmail(
  ctx: ServiceContext,
  actor: Actor,
  raw: Buffer,
  query: InboundEmailQuery,
): Promise<InboundEmailResult> {
  const email = await parseInboundEmail(raw);
  const sender = { messageId: email.messageId, address: email.from.address };
  const ignore = async (reason: string): Promise<InboundEmailResult> => {
    await logInboundEmail(ctx, actor, sender, { matchedBy: 'ignored', reason, ticketId: null });
    return { result: 'ignored', matchedBy: 'ignored', reason };
  };
  // Out-of-office replies and bounces would reopen tickets, open new ones for mailer daemons and
  // answer them with acknowledgements: a mail loop. They are acknowledged and dropped.
  if (email.automated) return ignore(email.automated);
  const staff: unknown[] = await ctx.dataSource.query(
    `SELECT 1 FROM agents WHERE lower(email) = $1 LIMIT 1`,
    [email.from.address],
  );
  if (staff.length > 0) return ignore('sent by a staff member, not a customer');
  const match = await matchTicket(ctx, email);
  if (match.ticketId) {
    // Logged first: an integration may write to a ticket its own gateway matched (ticket-access).
    const logged = await logInboundEmail(ctx, actor, sender, {
      matchedBy: match.by,
      reason: null,
      ticketId: match.ticketId,
    });
    try {
      const { event } = await logCustomerMessage(ctx, actor, match.ticketId, {
        body: clip(email.text || NO_TEXT, MAX_MESSAGE),
        channel: 'email',
        messageId: email.messageId,
      });
      return {
        result: 'matched',
        ticketId: match.ticketId,
        eventId: event.id,
        matchedBy: match.by,
      };
    } catch (error) {
      await forgetInboundEmail(ctx, logged);
      throw error;
    }
  }

  const teamId = query.teamId ?? actor.teamId;
  if (!teamId) {
    throw InvalidInput.field(
      'teamId',
      'is required for a message that matches no ticket: pass ?teamId= or give the integration a team',
    );
  }
  if (actor.role === 'integration' && actor.teamId !== null && teamId !== actor.teamId) {
    throw new Forbidden('An integration opens tickets only in its own team.');
  }
  // Checked before anything is written, so a bad team leaves nothing behind.
  await requireTeamForField(ctx.dataSource.manager, teamId, 'teamId');
  const slot = await reserveNewTicket(ctx, actor, sender, match.refused);
  if (slot.kind === 'limited')
    return { result: 'ignored', matchedBy: 'ignored', reason: slot.reason };
  try {
    const customer = await inTransaction(ctx.dataSource, (manager) =>
      findOrCreateCustomer(manager, email.from),
    );
    const { ticket, created } = await createTicket(
      ctx,
      actor,
      {
        customerId: customer.id,
        subject: email.subject,
        description: clip(email.text || NO_TEXT, MAX_DESCRIPTION),
        channel: 'email',
        teamId,
      },
      idempotencyKeyOf(email.messageId),
      { acknowledgement: 'hourly_per_sender' },
    );
    await settleNewTicket(ctx, slot.id, ticket.id);
    return {
      result: 'created',
      matchedBy: 'new_ticket',
      ticketId: ticket.id,
      customerId: customer.id,
      created,
      ...(match.refused ? { reason: match.refused } : {}),
    };
  } catch (error) {
    if (slot.kind === 'reserved') await forgetInboundEmail(ctx, slot.id);
    throw error;
  }
}

export async function parseInboundEmail(raw: Buffer): Promise<InboundEmail> {
  let mail: ParsedMail;
  try {
    mail = await simpleParser(raw, {
      skipImageLinks: true,
      skipTextToHtml: true,
      skipTextLinks: true,
    });
  } catch (error) {
    // A message we cannot read (e.g. thousands of nested multiparts: mailparser's EMAXLEN) is
    // the sender's problem: a 4xx tells the gateway to bounce it rather than retry forever.
    throw InvalidInput.field(
      'body',
      `is not a message we can read (${(error as Error).message.slice(0, 200)})`,
    );
  }
  return {
    messageId: safeMessageId(mail.messageId) ?? `<sha256-${sha256(raw)}@inbound>`,
    from: senderOf(mail),
    subject: subjectOf(mail.subject),
    text: stripQuotedHistory(withoutNul(mail.text ?? '')),
    recipients: recipientsOf(mail),
    threadIds: threadIdsOf(mail),
    automated: automationOf(mail),
  };
}

/** A Message-ID as printable ASCII, or none (it is stored as text and in JSON). */
function safeMessageId(value: string | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed && /^<?[\x21-\x7e]{1,900}>?$/.test(trimmed) ? trimmed : null;
}

/** RFC 3834 and common practice: the marks of an auto-reply or a delivery report. */
function automationOf(mail: ParsedMail): string | null {
  const header = (name: string) => {
    const value = mail.headers.get(name);
    return typeof value === 'string'
      ? value.toLowerCase()
      : value
        ? JSON.stringify(value).toLowerCase()
        : '';
  };
  const autoSubmitted = header('auto-submitted');
  if (autoSubmitted && !autoSubmitted.includes('no')) return `Auto-Submitted: ${autoSubmitted}`;
  if (/\b(bulk|junk|list|auto_reply)\b/.test(header('precedence')))
    return `Precedence: ${header('precedence')}`;
  if (header('x-autoreply') || header('x-autorespond')) return 'X-Autoreply';
  if (header('content-type').includes('multipart/report')) return 'delivery report';
  const from = (mail.from?.value?.[0]?.address ?? '').toLowerCase();
  if (/^(mailer-daemon|postmaster)@/.test(from)) return `from ${from}`;
  return null;
}

function senderOf(mail: ParsedMail): { address: string; name: string } {
  const sender = flatten(mail.from?.value ?? [])[0];
  const parsed = emailAddress.safeParse(sender?.address ?? '');
  if (!sender || !parsed.success) {
    throw InvalidInput.field('From', "must name the sender's email address");
  }
  const name = oneLine(sender.name ?? '') || parsed.data;
  return { address: parsed.data, name: clip(name, MAX_NAME) };
}

function subjectOf(subject: string | undefined): string {
  return clip(oneLine(subject ?? ''), MAX_SUBJECT) || '(no subject)';
}

function recipientsOf(mail: ParsedMail): string[] {
  const objects: AddressObject[] = [mail.to, mail.cc, mail.headers.get('delivered-to')]
    .flatMap((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]))
    .filter((value): value is AddressObject => typeof value === 'object' && 'value' in value);
  const addresses = flatten(objects.flatMap((object) => object.value)).map((a) => a.address ?? '');
  const originalTo = mail.headers.get('x-original-to');
  for (const value of [originalTo].flat()) {
    if (typeof value === 'string') addresses.push(value.trim());
  }
  return addresses.filter((address) => address.length > 0);
}

function flatten(addresses: EmailAddress[]): EmailAddress[] {
  return addresses.flatMap((a) => (a.group ? flatten(a.group) : [a]));
}

function threadIdsOf(mail: ParsedMail): string[] {
  const ids = (value: string | string[] | undefined): string[] =>
    [value ?? []].flat().flatMap((v) => v.match(/<[^<>\s]+>/g) ?? []);
  return [...new Set([...ids(mail.inReplyTo), ...ids(mail.references).reverse()])];
}

type TicketMatch =
  | { ticketId: string; by: 'reply_token' | 'thread'; refused: null }
  | { ticketId: null; refused: string | null };

/**
 * The signed reply address first, then our thread ids; each is honoured only when the sender is
 * on that ticket. A forged or misused token matches nothing; a refused match says why.
 */
async function matchTicket(ctx: ServiceContext, email: InboundEmail): Promise<TicketMatch> {
  const manager = ctx.dataSource.manager;
  let refused: string | null = null;
  const candidates: Array<{ ticketId: string | null; by: 'reply_token' | 'thread' }> = [];
  for (const address of email.recipients) {
    const token = replyTokenFromAddress(address);
    const ticketId = token ? verifyTicketToken(ctx.settings.linkSecret, 'reply', token) : null;
    if (ticketId) candidates.push({ ticketId, by: 'reply_token' });
  }
  for (const messageId of email.threadIds) {
    const ticketId =
      ticketIdFromMessageId(messageId) ?? (await ticketOfCustomerEmail(manager, messageId));
    if (ticketId) candidates.push({ ticketId, by: 'thread' });
  }
  for (const { ticketId, by } of candidates) {
    const found = ticketId ? await senderOnTicket(manager, ticketId, email.from.address) : null;
    if (!found) continue;
    if (found.senderOnTicket) return { ticketId: found.id, by, refused: null };
    refused ??=
      by === 'reply_token'
        ? `the reply address names ${found.ref}, but the sender is not that ticket's customer`
        : `the thread ids name ${found.ref}, but the sender is not that ticket's customer`;
  }
  return { ticketId: null, refused };
}

/**
 * The ticket, and whether the address is on it: the customer's current address, or one we sent
 * that ticket's customer emails to (the customer's address before a change).
 */
async function senderOnTicket(
  manager: EntityManager,
  ticketId: string,
  address: string,
): Promise<{ id: string; ref: string; senderOnTicket: boolean } | null> {
  const [row]: Array<{ id: string; ref: string; sender_on_ticket: boolean }> = await manager.query(
    `SELECT t.id, t.ref,
            EXISTS (SELECT 1 FROM customers c WHERE c.id = t.customer_id AND lower(c.email) = $2)
         OR EXISTS (SELECT 1 FROM outbox_emails o
                     WHERE o.ticket_id = t.id AND o.customer_id IS NOT NULL
                       AND lower(o.to_address) = $2) AS sender_on_ticket
       FROM tickets t WHERE t.id = $1`,
    [ticketId, address.toLowerCase()],
  );
  return row ? { id: row.id, ref: row.ref, senderOnTicket: row.sender_on_ticket } : null;
}

/** <email-<outbox id>@domain>: the ticket of that email, if it went to a customer. */
async function ticketOfCustomerEmail(
  manager: EntityManager,
  messageId: string,
): Promise<string | null> {
  const outboxId =
    /^<email-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})@[^>]+>$/i.exec(
      messageId,
    )?.[1];
  if (!outboxId) return null;
  // Staff mail (deadline warnings, handoffs) may name a ticket too; a reply to it is not the customer's.
  const row = await manager
    .getRepository(OutboxEmail)
    .createQueryBuilder('o')
    .select(['o.id', 'o.ticketId'])
    .where('o.id = :id AND o.ticket_id IS NOT NULL AND o.customer_id IS NOT NULL', {
      id: outboxId.toLowerCase(),
    })
    .getOne();
  return row?.ticketId ?? null;
}

/**
 * The customer with this address (the earliest, if several share it), or a new one. Serialised
 * per address, so two messages from a new sender arriving together make one customer.
 */
async function findOrCreateCustomer(
  manager: EntityManager,
  sender: { address: string; name: string },
): Promise<Customer> {
  await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
    `customer-email:${sender.address}`,
  ]);
  const repo = manager.getRepository(Customer);
  const existing = await repo
    .createQueryBuilder('c')
    .where('lower(c.email) = :email', { email: sender.address })
    .orderBy('c.created_at', 'ASC')
    .addOrderBy('c.id', 'ASC')
    .getOne();
  return existing ?? repo.save(repo.create({ name: sender.name, email: sender.address }));
}

/** Ticket idempotency keys are at most 255 characters; a longer Message-ID is digested. */
function idempotencyKeyOf(messageId: string): string {
  const key = `inbound-email:${messageId}`;
  return key.length <= 255 ? key : `inbound-email:sha256:${sha256(messageId)}`;
}

/** Where a client starts quoting the message being answered. */
const ATTRIBUTION: RegExp[] = [
  /^On\b.*\bwrote:$/i,
  /^Am\b.*\bschrieb\b.*:$/i,
  /^-{2,}\s*(Original Message|Ursprüngliche Nachricht)\s*-{2,}$/i,
  /^_{10,}$/,
];
/** An Outlook header block ("From: … / Sent: …") opens the quoted message too. */
const QUOTED_HEADER = /^(From|Von):\s.+/i;
const QUOTED_HEADER_NEXT = /^(Sent|Date|Gesendet|Datum):\s.+/i;

/**
 * The customer's new text without the history their client quoted: lines starting with ">" and
 * everything from an attribution line ("On … wrote:", "Am … schrieb …:", "-----Original
 * Message-----") on. If that leaves nothing, the whole text is kept rather than lose the message.
 */
export function stripQuotedHistory(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let end = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    const next = lines[i + 1]?.trim() ?? '';
    // Clients wrap a long attribution over two lines ("On Tue, 3 Mar 2026 … <a@b>\nwrote:").
    const joined = `${line} ${next}`.trim();
    if (
      ATTRIBUTION.some((pattern) => pattern.test(line) || pattern.test(joined)) ||
      (QUOTED_HEADER.test(line) && QUOTED_HEADER_NEXT.test(next))
    ) {
      end = i;
      break;
    }
  }
  const kept = lines
    .slice(0, end)
    .filter((line) => !line.trimStart().startsWith('>'))
    .join('\n')
    .trim();
  return kept.length > 0 ? kept : text.trim();
}

function oneLine(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f\s]+/g, ' ').trim();
}

function withoutNul(value: string): string {
  return storableText(value);
}

/** Cut to `max` characters; storableText mends a surrogate pair the cut may have split. */
function clip(value: string, max: number): string {
  return storableText(value.length <= max ? value : `${value.slice(0, max - 1)}…`);
}

function sha256(value: Buffer | string): string {
  return createHash('sha256').update(value).digest('hex');
}
