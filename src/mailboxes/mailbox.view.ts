import { displayMailboxUrl } from './mailbox-url';

export const MAILBOX_STATES = ['connecting', 'connected', 'error', 'disabled'] as const;
export type MailboxState = (typeof MAILBOX_STATES)[number];

export interface MailboxRow {
  id: string;
  team_id: string;
  agent_id: string;
  secure: boolean;
  host: string;
  port: number;
  username: string;
  password_encrypted: string;
  folder: string;
  processed_folder: string;
  enabled: boolean;
  state: MailboxState;
  last_poll_at: Date | null;
  last_success_at: Date | null;
  last_error: string | null;
  last_error_at: Date | null;
  messages_processed: number;
  created_at: Date;
  updated_at: Date;
}

const iso = (value: Date | null) => (value ? value.toISOString() : null);

/** A mailbox as the API shows it: never the password. */
export function mailboxView(row: MailboxRow) {
  return {
    id: row.id,
    teamId: row.team_id,
    url: displayMailboxUrl(row),
    host: row.host,
    port: row.port,
    secure: row.secure,
    username: row.username,
    folder: row.folder,
    processedFolder: row.processed_folder,
    enabled: row.enabled,
    state: row.enabled ? row.state : 'disabled',
    lastPollAt: iso(row.last_poll_at),
    lastSuccessAt: iso(row.last_success_at),
    lastError: row.last_error,
    lastErrorAt: iso(row.last_error_at),
    messagesProcessed: row.messages_processed,
    /** The integration agent that acts for this mailbox on the timeline. */
    agentId: row.agent_id,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export const MAILBOX_COLUMNS = `m.id, m.team_id, m.agent_id, m.secure, m.host, m.port, m.username,
  m.password_encrypted, m.folder, m.processed_folder, m.enabled, m.state, m.last_poll_at,
  m.last_success_at, m.last_error, m.last_error_at, m.created_at, m.updated_at,
  (SELECT count(*)::int FROM mailbox_messages mm WHERE mm.mailbox_id = m.id AND mm.status = 'done') AS messages_processed`;
