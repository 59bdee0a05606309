import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const SOURCES = join(ROOT, 'src/console');
const BUILT = join(ROOT, 'dist/console/index.html');

function newestChange(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestChange(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * The browser tests need the built console: build it when it is missing or older than its
 * sources (a few seconds), so `npm test` works on a fresh clone and never tests a stale build.
 */
export function ensureConsoleBuilt(): void {
  if (existsSync(BUILT) && statSync(BUILT).mtimeMs >= newestChange(SOURCES)) return;
  execFileSync(
    process.execPath,
    [
      join(ROOT, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      'src/console/vite.config.mts',
      '--logLevel',
      'warn',
    ],
    { cwd: ROOT, stdio: 'inherit' },
  );
}
