/**
 * Message-IDs that make every customer email of a ticket one thread: the acknowledgement is the
 * thread root, every later email replies to it. Replies from the customer carry these ids in
 * In-Reply-To/References, which is how inbound mail finds its ticket.
 */
export function mailDomain(mailFrom: string): string {
  const at = mailFrom.lastIndexOf('@');
  return at >= 0 ? mailFrom.slice(at + 1) : 'localhost';
}

export function threadRootId(ticketId: string, domain: string): string {
  return `<ticket-${ticketId}@${domain}>`;
}

export function emailMessageId(outboxId: string, domain: string): string {
  return `<email-${outboxId}@${domain}>`;
}

/** The ticket a Message-ID of ours belongs to, if it is one of ours. */
export function ticketIdFromMessageId(messageId: string): string | null {
  const match = /<ticket-([0-9a-f-]{36})@[^>]+>/i.exec(messageId);
  return match?.[1] ?? null;
}

/** Reply address carrying a signed reply token: support+r-<token>@domain. */
export function replyAddress(mailFrom: string, replyToken: string): string {
  const at = mailFrom.lastIndexOf('@');
  return `${mailFrom.slice(0, at)}+r-${replyToken}@${mailFrom.slice(at + 1)}`;
}

export function replyTokenFromAddress(address: string): string | null {
  const match = /\+r-([A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{24})@/.exec(address);
  return match?.[1] ?? null;
}
