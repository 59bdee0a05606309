import { randomUUID } from 'node:crypto';
import type { ServiceContext } from '../context';
import type { Logger } from '../logger';
import {
  MailboxWatcher,
  type MailboxErrorObserver,
  type MailboxWatchSettings,
} from '../mailboxes/mailbox-watcher';
import { secretBoxOf } from '../system/secret-box';

export interface MailboxSupervisorSettings extends MailboxWatchSettings {
  /** How often the mailbox list is read and leases renewed. */
  checkMs: number;
  /** A worker holds a mailbox this long without renewing before another may take it. */
  leaseMs: number;
}

export interface MailboxSupervisor {
  /** Disconnects every mailbox and gives up the leases, so another worker takes over at once. */
  stop(): Promise<void>;
}

interface LeasedMailbox {
  id: string;
  team_id: string;
  agent_id: string;
  agent_name: string;
  secure: boolean;
  host: string;
  port: number;
  username: string;
  password_encrypted: string;
  folder: string;
  processed_folder: string;
  updated_at: Date;
}

/**
 * Keeps one IMAP connection per enabled mailbox across all workers: a worker connects to a
 * mailbox only while it holds that mailbox's lease in Postgres (renewed every check), so two
 * workers never watch the same mailbox. A mailbox changed by an admin (updated_at) is reconnected.
 */
export function startMailboxSupervisor(
  ctx: ServiceContext,
  settings: MailboxSupervisorSettings,
  logger: Logger,
  onError?: MailboxErrorObserver,
): MailboxSupervisor {
  const me = randomUUID();
  const watching = new Map<string, { watcher: MailboxWatcher; version: number }>();
  let stopped = false;
  let running: Promise<void> | undefined;

  const check = async () => {
    const now = ctx.clock.now();
    const leased: LeasedMailbox[] = await ctx.dataSource
      .query(
        `UPDATE mailboxes m SET lease_owner = $1, lease_expires_at = $3
         FROM agents a
        WHERE a.id = m.agent_id AND m.enabled
          AND (m.lease_owner = $1 OR m.lease_owner IS NULL OR m.lease_expires_at < $2)
       RETURNING m.id, m.team_id, m.agent_id, a.name AS agent_name, m.secure, m.host, m.port,
                 m.username, m.password_encrypted, m.folder, m.processed_folder, m.updated_at`,
        [me, now, new Date(now.getTime() + settings.leaseMs)],
      )
      .then(
        (result: unknown) =>
          (Array.isArray(result) && Array.isArray(result[0])
            ? result[0]
            : result) as LeasedMailbox[],
      );
    const held = new Map(leased.map((row) => [row.id, row]));
    for (const [id, current] of watching) {
      const row = held.get(id);
      if (!row || row.updated_at.getTime() !== current.version) {
        watching.delete(id);
        await current.watcher.stop();
      }
    }
    if (stopped) return;
    const box = await secretBoxOf(ctx.dataSource, ctx.settings.secretsKey);
    for (const row of leased) {
      if (watching.has(row.id)) continue;
      let password: string;
      try {
        password = box.open(row.password_encrypted);
      } catch {
        await ctx.dataSource.query(
          `UPDATE mailboxes SET state = 'error', last_error = $2, last_error_at = $3 WHERE id = $1`,
          [
            row.id,
            'the stored password cannot be decrypted: was SECRETS_KEY changed? Set the password again',
            now,
          ],
        );
        continue;
      }
      const watcher = new MailboxWatcher(
        ctx,
        { id: row.id, teamId: row.team_id, agentId: row.agent_id, agentName: row.agent_name },
        {
          secure: row.secure,
          host: row.host,
          port: row.port,
          username: row.username,
          password,
          folder: row.folder,
          processedFolder: row.processed_folder,
        },
        settings,
        logger,
        onError,
      );
      watching.set(row.id, { watcher, version: row.updated_at.getTime() });
    }
  };

  const pass = () => {
    if (running || stopped) return;
    running = check()
      .catch((error: unknown) => logger.error({ err: error }, 'mailbox check failed; retrying'))
      .finally(() => {
        running = undefined;
      });
  };
  pass();
  const timer = setInterval(pass, settings.checkMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      await Promise.all([...watching.values()].map(({ watcher }) => watcher.stop()));
      watching.clear();
      await ctx.dataSource
        .query(
          `UPDATE mailboxes SET lease_owner = NULL, lease_expires_at = NULL WHERE lease_owner = $1`,
          [me],
        )
        .catch(() => undefined);
    },
  };
}
