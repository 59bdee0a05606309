import { InvalidInput } from '../errors';

/** Where a mailbox lives: `imap(s)://user:password@host:port/FOLDER`. */
export interface MailboxAddress {
  secure: boolean;
  host: string;
  port: number;
  username: string;
  /** Empty when the URL names none (PATCH keeps the stored one). */
  password: string;
  folder: string;
}

const bad = (message: string) => InvalidInput.field('url', message);

/** Parses and checks a mailbox URL; errors name `url` and never repeat the password. */
export function parseMailboxUrl(value: string): MailboxAddress {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw bad('must be a URL like imaps://user:password@imap.example.com:993/INBOX');
  }
  if (url.protocol !== 'imap:' && url.protocol !== 'imaps:') {
    throw bad('must start with imap:// or imaps://');
  }
  if (!url.hostname) throw bad('must name the IMAP server');
  if (!url.username) throw bad('must name the user (imaps://user:password@host/FOLDER)');
  if (url.search || url.hash) throw bad('must not have a query or fragment');
  const secure = url.protocol === 'imaps:';
  let username: string;
  let password: string;
  let folder: string;
  try {
    username = decodeURIComponent(url.username);
    password = decodeURIComponent(url.password);
    folder = decodeURIComponent(url.pathname.replace(/^\/+/, '').replace(/\/+$/, ''));
  } catch {
    throw bad('has a badly percent-encoded part');
  }
  if (folder.length > 500) throw bad('names a folder longer than 500 characters');
  return {
    secure,
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : secure ? 993 : 143,
    username,
    password,
    folder: folder || 'INBOX',
  };
}

/** The URL as shown back: everything but the password. */
export function displayMailboxUrl(address: Omit<MailboxAddress, 'password'>): string {
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  const folder = address.folder
    .split('/')
    .map((part) => encodeURIComponent(part))
    .join('/');
  return `${address.secure ? 'imaps' : 'imap'}://${encodeURIComponent(address.username)}@${host}:${address.port}/${folder}`;
}
