import nodemailer from 'nodemailer';

/** The mailer interface the outbox sends through; nodemailer over SMTP in production. */
export interface OutgoingEmail {
  from: string;
  to: string;
  replyTo?: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  inReplyTo?: string;
  references?: string[];
  headers?: Record<string, string>;
}

export interface SentEmail {
  messageId: string;
  /** The server's final reply, e.g. "250 2.0.0 Ok: queued as 4F2A1". */
  response: string;
}

export interface Mailer {
  send(email: OutgoingEmail): Promise<SentEmail>;
  close(): void;
}

/**
 * - retry: nothing was delivered (connection refused, 4xx): try again later;
 * - permanent: the server refused for good (5xx, bad address): never retry;
 * - ambiguous: the connection died mid-session, after the message may have been accepted:
 *   resending could duplicate it, so a person decides.
 */
export type SendFailureKind = 'retry' | 'permanent' | 'ambiguous';

interface SmtpError {
  code?: string;
  command?: string;
  responseCode?: number;
  response?: string;
  message?: string;
}

/** Only answers to these commands speak about this message; others are about our transport. */
const MESSAGE_COMMANDS = new Set(['RCPT TO', 'DATA']);

export function classifySendError(error: unknown): { kind: SendFailureKind; reason: string } {
  const e = (error ?? {}) as SmtpError;
  const reason = (e.response ?? e.message ?? String(error)).slice(0, 500);
  // A 5xx to RCPT TO or DATA refuses this message for good. A 5xx elsewhere (a wrong password,
  // a relay refusing our MAIL FROM) is our configuration: retry, never fail the whole outbox.
  if (typeof e.responseCode === 'number') {
    const aboutMessage = e.command !== undefined && MESSAGE_COMMANDS.has(e.command);
    return { kind: e.responseCode >= 500 && aboutMessage ? 'permanent' : 'retry', reason };
  }
  if (e.code === 'EMESSAGE') return { kind: 'permanent', reason };
  // nodemailer reports an idle socket timeout inside an established session as "Timeout";
  // connection and greeting timeouts have their own messages and are safe to retry.
  if (e.code === 'ETIMEDOUT' && e.message === 'Timeout') return { kind: 'ambiguous', reason };
  return { kind: 'retry', reason };
}

export function createSmtpMailer(
  smtpUrl: string,
  options: { socketTimeoutMs?: number } = {},
): Mailer {
  const url = new URL(smtpUrl);
  const transport = nodemailer.createTransport({
    pool: true,
    maxConnections: 5,
    host: url.hostname,
    port: Number(url.port || (url.protocol === 'smtps:' ? 465 : 25)),
    secure: url.protocol === 'smtps:',
    ...(url.username
      ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }
      : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: options.socketTimeoutMs ?? 30_000,
  });
  return {
    async send(email) {
      const info = await transport.sendMail({
        from: email.from,
        to: email.to,
        replyTo: email.replyTo,
        subject: email.subject,
        text: email.text,
        html: email.html,
        messageId: email.messageId,
        inReplyTo: email.inReplyTo,
        references: email.references,
        headers: email.headers,
      });
      return { messageId: info.messageId, response: String(info.response ?? '') };
    },
    close() {
      transport.close();
    },
  };
}
