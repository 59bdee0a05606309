import { ImapFlow } from 'imapflow';
import type { ServiceContext } from '../context';
import type { Logger } from '../logger';
import {
  claimMailboxMessage,
  processClaimedMessage,
  type MailboxIdentity,
} from './mailbox-messages';
import type { MailboxState } from './mailbox.view';

export interface MailboxConnectionSettings {
  secure: boolean;
  host: string;
  port: number;
  username: string;
  password: string;
  folder: string;
  processedFolder: string;
}

export interface MailboxWatchSettings {
  /** Poll this often even while IDLE (the fallback when IDLE is missing or silently dead). */
  pollMs: number;
  /** First reconnect delay; doubles on each failure up to maxBackoffMs. */
  minBackoffMs: number;
  maxBackoffMs: number;
  /** A claim older than this belongs to a worker that died. */
  staleClaimMs: number;
  connectTimeoutMs: number;
  /** Enter IMAP IDLE after this much quiet (imapflow's default of 15 s delays new mail). */
  idleAfterMs: number;
}

export const DEFAULT_MAILBOX_WATCH: MailboxWatchSettings = {
  pollMs: 60_000,
  minBackoffMs: 2_000,
  maxBackoffMs: 300_000,
  staleClaimMs: 300_000,
  connectTimeoutMs: 20_000,
  idleAfterMs: 1_000,
};

/** Told of each failed poll or connection (the metrics seam: mailbox poll errors). */
export type MailboxErrorObserver = (error: { mailboxId: string; reason: string }) => void;

/** An IMAP error in words an admin can act on; never the password. */
export function describeImapError(error: unknown, settings: MailboxConnectionSettings): string {
  const e = (error ?? {}) as {
    authenticationFailed?: boolean;
    code?: string;
    responseText?: string;
    serverResponseCode?: string;
    message?: string;
  };
  if (e.authenticationFailed || e.serverResponseCode === 'AUTHENTICATIONFAILED') {
    return `authentication failed for ${settings.username}${e.responseText ? `: ${e.responseText}` : ''}`;
  }
  const where = `${settings.host}:${settings.port}`;
  switch (e.code) {
    case 'ECONNREFUSED':
      return `connection refused by ${where}`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `${settings.host} does not resolve`;
    case 'ETIMEDOUT':
    case 'CONNECT_TIMEOUT':
    case 'GREETING_TIMEOUT':
      return `no answer from ${where} (timed out)`;
    case 'NoConnection':
    case 'EConnectionClosed':
      return `connection to ${where} closed`;
  }
  if (e.serverResponseCode === 'NONEXISTENT') return `folder ${settings.folder} does not exist`;
  const text = e.responseText ?? e.message ?? String(error);
  return text.replaceAll(settings.password, '***').slice(0, 500);
}

/**
 * One connection to one mailbox: select the folder, process what is there, then IDLE (with a
 * poll every pollMs as the fallback) and process each new arrival; mark each message \Seen and
 * move it to the processed folder (created if missing). On any failure it records the state in
 * words and reconnects with exponential backoff until stopped.
 */
export class MailboxWatcher {
  private stopped = false;
  private client: ImapFlow | undefined;
  private wake: (() => void) | undefined;
  private readonly loop: Promise<void>;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly mailbox: MailboxIdentity,
    private readonly connection: MailboxConnectionSettings,
    private readonly settings: MailboxWatchSettings,
    private readonly logger: Logger,
    private readonly onError?: MailboxErrorObserver,
  ) {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    const client = this.client;
    if (client) await client.logout().catch(() => client.close());
    await this.loop;
  }

  private async run(): Promise<void> {
    let backoff = this.settings.minBackoffMs;
    let failing = false;
    while (!this.stopped) {
      try {
        // While failing, the state keeps saying why until a connection succeeds.
        if (!failing) await this.record('connecting', {});
        await this.session(() => {
          backoff = this.settings.minBackoffMs;
          failing = false;
        });
      } catch (error) {
        if (this.stopped) break;
        failing = true;
        // A wrong password is not retried quickly: servers lock accounts that keep failing.
        if ((error as { authenticationFailed?: boolean }).authenticationFailed) {
          backoff = this.settings.maxBackoffMs;
        }
        const reason = describeImapError(error, this.connection);
        this.logger.warn({ mailboxId: this.mailbox.id, reason }, 'mailbox connection failed');
        this.onError?.({ mailboxId: this.mailbox.id, reason });
        await this.record('error', { error: reason }).catch(() => undefined);
      } finally {
        const client = this.client;
        this.client = undefined;
        if (client) await client.logout().catch(() => client.close());
      }
      if (this.stopped) break;
      await this.sleep(backoff);
      backoff = Math.min(backoff * 2, this.settings.maxBackoffMs);
    }
  }

  private async session(connected: () => void): Promise<void> {
    const client = new ImapFlow({
      host: this.connection.host,
      port: this.connection.port,
      secure: this.connection.secure,
      auth: { user: this.connection.username, pass: this.connection.password },
      logger: false,
      connectionTimeout: this.settings.connectTimeoutMs,
      greetingTimeout: this.settings.connectTimeoutMs,
      maxIdleTime: this.settings.pollMs,
      autoIdleDelay: this.settings.idleAfterMs,
    });
    this.client = client;
    let closed = false;
    client.on('error', () => undefined);
    client.on('close', () => {
      closed = true;
      this.wake?.();
    });
    client.on('exists', () => this.wake?.());
    await client.connect();
    await client.mailboxOpen(this.connection.folder);
    await ensureFolder(client, this.connection.processedFolder);
    connected();
    while (!this.stopped) {
      await this.processAll(client);
      await this.record('connected', { success: true });
      if (closed) throw Object.assign(new Error('connection closed'), { code: 'NoConnection' });
      await this.sleep(this.settings.pollMs);
      if (closed && !this.stopped) {
        throw Object.assign(new Error('connection closed'), { code: 'NoConnection' });
      }
    }
  }

  private async processAll(client: ImapFlow): Promise<void> {
    const mailbox = client.mailbox;
    if (!mailbox) throw new Error('no folder selected');
    const uidValidity = mailbox.uidValidity.toString();
    const uids = (await client.search({ all: true }, { uid: true })) || [];
    for (const uid of uids) {
      if (this.stopped) return;
      const claim = await claimMailboxMessage(
        this.ctx,
        this.mailbox.id,
        uidValidity,
        uid,
        this.settings.staleClaimMs,
      );
      if (claim === 'busy') continue;
      if (claim === 'claimed') {
        const message = await client.fetchOne(String(uid), { source: true }, { uid: true });
        if (!message || !message.source) continue;
        await processClaimedMessage(this.ctx, this.mailbox, { uidValidity, uid }, message.source);
      }
      await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
      await client.messageMove(String(uid), this.connection.processedFolder, { uid: true });
    }
  }

  private async record(
    state: MailboxState,
    what: { error?: string; success?: boolean },
  ): Promise<void> {
    const now = this.ctx.clock.now();
    await this.ctx.dataSource.query(
      `UPDATE mailboxes SET state = $2,
         last_poll_at = CASE WHEN $2 = 'connecting' THEN last_poll_at ELSE $3::timestamptz END,
         last_success_at = CASE WHEN $4::boolean THEN $3::timestamptz ELSE last_success_at END,
         last_error = CASE WHEN $5::text IS NOT NULL THEN $5::text WHEN $4::boolean THEN NULL ELSE last_error END,
         last_error_at = CASE WHEN $5::text IS NOT NULL THEN $3::timestamptz WHEN $4::boolean THEN NULL ELSE last_error_at END
       WHERE id = $1`,
      [this.mailbox.id, state, now, what.success ?? false, what.error ?? null],
    );
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}

async function ensureFolder(client: ImapFlow, path: string): Promise<void> {
  const folders = await client.list();
  if (folders.some((folder) => folder.path === path)) return;
  try {
    await client.mailboxCreate(path);
  } catch (error) {
    // Another worker created it between our LIST and CREATE.
    if ((error as { serverResponseCode?: string }).serverResponseCode !== 'ALREADYEXISTS')
      throw error;
  }
}
