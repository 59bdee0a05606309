import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server in the test process (smtp-server), with a switchable behaviour, that parses
 * what it receives with mailparser.
 */
export type PeerMode = 'accept' | 'defer' | 'reject' | 'hang';

export interface SmtpPeer {
  url: string;
  port: number;
  received: ParsedMail[];
  mode: PeerMode;
  waitFor(count: number, timeoutMs?: number): Promise<ParsedMail[]>;
  close(): Promise<void>;
}

export async function startSmtpPeer(port = 0): Promise<SmtpPeer> {
  const peer = { received: [] as ParsedMail[], mode: 'accept' as PeerMode };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (peer.mode === 'defer') {
        callback(Object.assign(new Error('mailbox busy, try later'), { responseCode: 451 }));
      } else if (peer.mode === 'reject') {
        callback(Object.assign(new Error('no such user here'), { responseCode: 550 }));
      } else {
        callback();
      }
    },
    onData(stream, _session, callback) {
      const hang = peer.mode === 'hang';
      simpleParser(stream)
        .then((mail) => {
          if (hang) return; // body received, final reply never sent
          peer.received.push(mail);
          callback(null, 'queued as TEST');
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  const address = server.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return Object.assign(peer, {
    url: `smtp://127.0.0.1:${actualPort}`,
    port: actualPort,
    async waitFor(count: number, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (peer.received.length < count) {
        if (Date.now() > until)
          throw new Error(`expected ${count} emails, got ${peer.received.length}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return peer.received;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
      }),
  });
}
