/**
 * Summarises a V8 .cpuprofile (node --cpu-prof): self time by package / source area and the top
 * functions. Run: node dist/scripts/bench/profile-summary.js FILE.cpuprofile [--top 25]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

const file = process.argv[2];
if (!file) throw new Error('usage: profile-summary FILE.cpuprofile');
const topIndex = process.argv.indexOf('--top');
const top = topIndex >= 0 ? Number(process.argv[topIndex + 1]) : 25;
const profile = JSON.parse(readFileSync(file, 'utf8')) as {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
};
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
profile.samples.forEach((id, i) =>
  self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)),
);
const total = [...self.values()].reduce((a, b) => a + b, 0);

function area(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return url.split('/')[0]!;
  const own = /dist\/(src\/[^/]+)/.exec(url);
  return own ? own[1]! : url;
}

const areas = new Map<string, number>();
const functions = new Map<string, number>();
for (const [id, us] of self) {
  const node = byId.get(id)!;
  const { functionName, url, lineNumber } = node.callFrame;
  const a = area(url, functionName);
  areas.set(a, (areas.get(a) ?? 0) + us);
  const key = `${functionName || '(anonymous)'} ${a}:${lineNumber + 1}`;
  functions.set(key, (functions.get(key) ?? 0) + us);
}
const pct = (us: number) => `${((us / total) * 100).toFixed(1)} %`;
console.log(`total sampled ${(total / 1e6).toFixed(1)} s`);
console.log('\nself time by area:');
for (const [a, us] of [...areas].sort((x, y) => y[1] - x[1]).slice(0, top)) {
  console.log(`  ${pct(us).padStart(7)}  ${a}`);
}
console.log('\ntop functions (self):');
for (const [f, us] of [...functions].sort((x, y) => y[1] - x[1]).slice(0, top)) {
  console.log(`  ${pct(us).padStart(7)}  ${f}`);
}
