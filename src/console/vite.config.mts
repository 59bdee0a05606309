import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { firstPageSize } from './build/first-page-size.mts';

const FIRST_PAGE_LIMIT_KB = 300;

/**
 * The agent console: built into dist/console and served by the API at /. Vite 8 compiles TSX
 * itself with oxc (no React plugin: its peer dependencies do not fit the lock).
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: resolve(import.meta.dirname, '../../dist/console'),
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      // Mantine marks its files "use client" for React Server Components; meaningless here.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  plugins: [firstPageSize(FIRST_PAGE_LIMIT_KB)],
  server: { port: 3121, proxy: { '/api': 'http://127.0.0.1:3120' } },
});
