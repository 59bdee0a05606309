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
  attachments?: Array<{ filename: string; contentType: string; content: Buffer }>;
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
 * - ambiguous: the session died without a final answer (timed out, or the connection dropped),
 *   possibly after the server took the message: resent once later with the same Message-ID,
 *   then a person decides.
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
  // A connection closed by the server mid-session (refused connections are ESOCKET): it may have
  // come after the message's final dot, which RFC 5321 servers may already have queued.
  if (e.code === 'ECONNECTION' && e.message === 'Connection closed unexpectedly') {
    return { kind: 'ambiguous', reason };
  }
  return { kind: 'retry', reason };
}

/**
 * Waiting times close to RFC 5321 §4.5.3.2: a server may take minutes to answer, above all
 * after the message's final dot (10 minutes), when it may be scanning or relaying it. Giving up
 * sooner turns a slow but working server into ambiguous email.
 */
export const SMTP_TIMEOUTS = {
  connectionMs: 30_000,
  greetingMs: 5 * 60_000,
  socketMs: 10 * 60_000,
};

export function createSmtpMailer(
  smtpUrl: string,
  options: { socketTimeoutMs?: number; greetingTimeoutMs?: number } = {},
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
    connectionTimeout: SMTP_TIMEOUTS.connectionMs,
    greetingTimeout: options.greetingTimeoutMs ?? SMTP_TIMEOUTS.greetingMs,
    socketTimeout: options.socketTimeoutMs ?? SMTP_TIMEOUTS.socketMs,
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
        attachments: email.attachments,
      });
      return { messageId: info.messageId, response: String(info.response ?? '') };
    },
    close() {
      transport.close();
    },
  };
}
