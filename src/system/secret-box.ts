import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';

/**
 * Encrypts secrets we must be able to use again (mailbox passwords, webhook signing secrets)
 * with AES-256-GCM. The key is SECRETS_KEY (any string of 32+ characters, hashed to 256 bits);
 * without it, one generated on first start and kept in the database, like the link secret.
 * Format: v1.<iv>.<tag>.<ciphertext>, each base64url.
 */
export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  static fromPassphrase(passphrase: string): SecretBox {
    return new SecretBox(createHash('sha256').update(passphrase, 'utf8').digest());
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', iv, cipher.getAuthTag(), body].map(part).join('.');
  }

  /** Throws when the value was sealed under another key or was tampered with. */
  open(sealed: string): string {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || body === undefined) {
      throw new Error('not a sealed secret');
    }
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([
      decipher.update(Buffer.from(body, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  }
}

const part = (value: string | Buffer): string =>
  typeof value === 'string' ? value : value.toString('base64url');

const KEY = 'secrets_key';
const boxes = new WeakMap<DataSource, Promise<SecretBox>>();

/**
 * The install's secret box: SECRETS_KEY when configured, else the key kept in the settings table
 * (generated once; concurrent first starts agree on one through ON CONFLICT).
 */
export function secretBoxOf(
  dataSource: DataSource,
  configured: string | undefined,
): Promise<SecretBox> {
  if (configured) return Promise.resolve(SecretBox.fromPassphrase(configured));
  let box = boxes.get(dataSource);
  if (!box) {
    box = (async () => {
      await dataSource.query(
        `INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`,
        [KEY, randomBytes(32).toString('base64url')],
      );
      const rows: Array<{ value: string }> = await dataSource.query(
        `SELECT value FROM settings WHERE key = $1`,
        [KEY],
      );
      return SecretBox.fromPassphrase(rows[0]!.value);
    })();
    box.catch(() => boxes.delete(dataSource));
    boxes.set(dataSource, box);
  }
  return box;
}
