import { spawn } from 'node:child_process';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/**
 * A real Dovecot IMAP server (Debian's dovecot-imapd) on a free loopback port, with its own
 * config directory, a passwd-file of users and a maildir, all under a temporary directory.
 * As root, Dovecot insists on unprivileged users for its login and mail processes, so the
 * packaged dovecot/dovenull accounts are used; otherwise everything runs as the current user.
 */
export interface Dovecot {
  host: string;
  port: number;
  /** Adds a user with this password (plain, for the test only). */
  addUser(user: string, password: string): Promise<void>;
  stop(): Promise<void>;
  /** Stops and starts the server on the same port (clients see their connection drop). */
  restart(): Promise<void>;
}

const DOVECOT = process.env.DOVECOT_BIN ?? '/usr/sbin/dovecot';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function accountIds(name: string): Promise<{ uid: number; gid: number } | null> {
  const passwd = await readFile('/etc/passwd', 'utf8');
  const line = passwd.split('\n').find((l) => l.startsWith(`${name}:`));
  if (!line) return null;
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function run(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(DOVECOT, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`dovecot ${args.join(' ')}: ${stderr.trim()}`)),
    );
  });
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`dovecot did not listen on ${port}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startDovecot(): Promise<Dovecot> {
  const dir = await mkdtemp(join(tmpdir(), 'ownit-dovecot-'));
  await chmod(dir, 0o755);
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  const mailOwner = asRoot
    ? ((await accountIds('dovecot')) ?? { uid: 65534, gid: 65534 })
    : { uid: process.getuid!(), gid: process.getgid!() };
  const me = userInfo().username;
  const loginUser = asRoot ? 'dovenull' : me;
  const internalUser = asRoot ? 'dovecot' : me;
  const mailDir = join(dir, 'mail');
  await mkdir(mailDir);
  if (asRoot) await chown(mailDir, mailOwner.uid, mailOwner.gid);
  // One passwd-file per user: Dovecot re-reads a changed passwd-file only when its mtime moves,
  // which a user added within the same second would not do.
  const usersDir = join(dir, 'users');
  await mkdir(usersDir);
  const config = join(dir, 'dovecot.conf');
  await writeFile(
    config,
    `
protocols = imap
listen = 127.0.0.1
base_dir = ${dir}/run
state_dir = ${dir}/state
instance_name = ownit-test-${port}
log_path = ${dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
default_login_user = ${loginUser}
default_internal_user = ${internalUser}
first_valid_uid = ${mailOwner.uid}
last_valid_uid = 0
mail_location = maildir:${mailDir}/%u
mail_uid = ${mailOwner.uid}
mail_gid = ${mailOwner.gid}
passdb {
  driver = passwd-file
  args = scheme=PLAIN ${usersDir}/%u
}
userdb {
  driver = static
  args = uid=${mailOwner.uid} gid=${mailOwner.gid} home=${mailDir}/%u
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
service stats {
  unix_listener stats-writer {
    mode = 0666
  }
}
namespace inbox {
  inbox = yes
  separator = /
}
`,
  );
  const start = async () => {
    await run(['-c', config]);
    await waitForPort(port, 10_000);
  };
  const stop = async () => {
    const pid = Number(
      (await readFile(join(dir, 'run', 'master.pid'), 'utf8').catch(() => '')).trim(),
    );
    if (!pid) return;
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      try {
        process.kill(pid, 0);
      } catch {
        return;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    process.kill(pid, 'SIGKILL');
  };
  await start();
  return {
    host: '127.0.0.1',
    port,
    async addUser(user, password) {
      if (!/^[a-z0-9._-]+$/i.test(user)) throw new Error(`unsafe IMAP user name ${user}`);
      await writeFile(join(usersDir, user), `${user}:{PLAIN}${password}::::::\n`);
    },
    async stop() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
    async restart() {
      await stop();
      await start();
    },
  };
}
