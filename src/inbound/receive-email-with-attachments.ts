import { simpleParser } from 'mailparser';
import type { Actor } from '../actor';
import type { ServiceContext } from '../context';
import {
  parseInboundEmail,
  receiveInboundEmail,
  type InboundEmailQuery,
  type InboundEmailResult,
} from './inbound-email';
import { keepInboundAttachments, type KeptAttachments } from '../attachments/attachments.service';

export type InboundEmailOutcome = InboundEmailResult & { attachments?: KeptAttachments };

/**
 * The inbound email pipeline (matching, limits and loop guards stay in inbound-email.ts), plus
 * the message's attachments kept on the ticket it reached. Every entry point for inbound mail
 * (the gateway route, IMAP mailboxes) comes through here. Idempotent: a repeated message
 * returns the same ticket and keeps its attachments once.
 */
export async function receiveEmailWithAttachments(
  ctx: ServiceContext,
  actor: Actor,
  raw: Buffer,
  query: InboundEmailQuery,
): Promise<InboundEmailOutcome> {
  const outcome = await receiveInboundEmail(ctx, actor, raw, query);
  if (!('ticketId' in outcome) || typeof outcome.ticketId !== 'string') return outcome;
  const mail = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true });
  if (mail.attachments.length === 0) return outcome;
  const { messageId } = await parseInboundEmail(raw);
  const attachments = await keepInboundAttachments(
    ctx,
    {
      ticketId: outcome.ticketId,
      eventId: 'eventId' in outcome && typeof outcome.eventId === 'string' ? outcome.eventId : null,
      messageId,
    },
    mail.attachments.map((a) => ({
      filename: a.filename,
      declaredType: a.contentType,
      bytes: a.content,
    })),
  );
  return { ...outcome, attachments };
}
