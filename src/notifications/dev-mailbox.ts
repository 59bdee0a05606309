import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * The development mailbox: with SMTP_URL unset, OwnIt sends to this in-process SMTP server and
 * shows what arrived at /dev/mailbox, so a new user sees the emails without installing anything.
 * It keeps the last 200 messages in memory.
 */
export interface CaughtEmail {
  id: number;
  receivedAt: string;
  from: string;
  to: string;
  subject: string;
  messageId: string;
  inReplyTo: string;
  text: string;
  html: string;
}

export interface DevMailbox {
  smtpUrl: string;
  messages(): CaughtEmail[];
  close(): Promise<void>;
}

const KEEP = 200;

export async function startDevMailbox(port: number): Promise<DevMailbox> {
  const caught: CaughtEmail[] = [];
  let nextId = 1;
  const server = new SMTPServer({
    size: 10 * 1024 * 1024,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          caught.unshift({
            id: nextId++,
            receivedAt: new Date().toISOString(),
            from: mail.from?.text ?? '',
            to: Array.isArray(mail.to)
              ? mail.to.map((a) => a.text).join(', ')
              : (mail.to?.text ?? ''),
            subject: mail.subject ?? '',
            messageId: mail.messageId ?? '',
            inReplyTo: mail.inReplyTo ?? '',
            text: mail.text ?? '',
            html: typeof mail.html === 'string' ? mail.html : '',
          });
          caught.length = Math.min(caught.length, KEEP);
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // A client's broken connection must never become an uncaught error in the whole process.
  server.on('error', () => undefined);
  const address = server.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    smtpUrl: `smtp://127.0.0.1:${actualPort}`,
    messages: () => caught,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
