import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

interface ChunkLike {
  type: 'chunk';
  isEntry: boolean;
  code: string;
  imports: string[];
}

/**
 * Prints the gzipped JavaScript the first page needs (the entry chunk and everything it imports
 * statically; lazy routes are left out) and fails the build above the limit.
 */
export function firstPageSize(limitKb: number): Plugin {
  return {
    name: 'ownit-first-page-size',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = new Map<string, ChunkLike>();
      for (const [name, item] of Object.entries(bundle)) {
        if (item.type === 'chunk') chunks.set(name, item as unknown as ChunkLike);
      }
      const seen = new Set<string>();
      const visit = (name: string) => {
        if (seen.has(name)) return;
        seen.add(name);
        for (const imported of chunks.get(name)?.imports ?? []) visit(imported);
      };
      for (const [name, chunk] of chunks) if (chunk.isEntry) visit(name);
      let gzipped = 0;
      for (const name of seen) gzipped += gzipSync(chunks.get(name)?.code ?? '').length;
      const kb = gzipped / 1024;
      const line = `Console first page JavaScript: ${kb.toFixed(1)} KB gzipped (limit ${limitKb} KB, ${seen.size} chunks)`;
      console.log(`\n${line}`);
      if (kb > limitKb) this.error(line);
    },
  };
}
