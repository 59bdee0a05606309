import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server in the test process (smtp-server), with a switchable behaviour, that parses
 * what it receives with mailparser.
 */
export type PeerMode = 'accept' | 'defer' | 'reject' | 'hang' | 'slow' | 'drop-after-data';

export interface SmtpPeer {
  url: string;
  port: number;
  /**
   * What the peer took responsibility for, in arrival order; with 'drop-after-data' the message
   * is kept (a server that queued it and crashed before answering) and the connection cut.
   */
  received: ParsedMail[];
  mode: PeerMode;
  /** 'slow': how long the final answer to the message takes. */
  slowMs: number;
  /** When set, the mode applies only to recipients matching it; others are accepted. */
  only: RegExp | null;
  waitFor(count: number, timeoutMs?: number): Promise<ParsedMail[]>;
  close(): Promise<void>;
}

interface PeerConnection {
  id: string;
  _socket?: { destroy(): void };
}

/** smtp-server keeps its open sessions in a Set it does not type. */
function connectionsOf(server: SMTPServer): PeerConnection[] {
  const connections = (server as unknown as { connections?: Set<PeerConnection> }).connections;
  return connections ? [...connections] : [];
}

export async function startSmtpPeer(port = 0): Promise<SmtpPeer> {
  const peer = {
    received: [] as ParsedMail[],
    mode: 'accept' as PeerMode,
    slowMs: 1_000,
    only: null as RegExp | null,
  };
  const modeFor = (recipients: string[]): PeerMode =>
    !peer.only || recipients.some((r) => peer.only!.test(r)) ? peer.mode : 'accept';
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const mode = modeFor([address.address]);
      if (mode === 'defer') {
        callback(Object.assign(new Error('mailbox busy, try later'), { responseCode: 451 }));
      } else if (mode === 'reject') {
        callback(Object.assign(new Error('no such user here'), { responseCode: 550 }));
      } else {
        callback();
      }
    },
    onData(stream, session, callback) {
      const mode = modeFor(session.envelope.rcptTo.map((r) => r.address));
      const slowMs = peer.slowMs;
      simpleParser(stream)
        .then((mail) => {
          if (mode === 'hang') return; // body received, final reply never sent
          peer.received.push(mail);
          if (mode === 'drop-after-data') {
            for (const connection of connectionsOf(server)) {
              if (connection.id === session.id) connection._socket?.destroy();
            }
            return;
          }
          if (mode === 'slow') setTimeout(() => callback(null, 'queued as TEST'), slowMs);
          else callback(null, 'queued as TEST');
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
