// Top self-time functions of a V8 .cpuprofile (written by `node --cpu-prof`).
// Usage: node bench/notifications/cpu-profile.mjs <file.cpuprofile> [top=25]
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** [{ name, where, selfMs, percent }] sorted by self time, for the `top` heaviest functions. */
export function topSelf(file, top = 25) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const { samples, timeDeltas } = profile;
  let total = 0;
  for (let i = 0; i < samples.length; i++) {
    const dt = timeDeltas[i + 1] ?? 0;
    total += dt;
    const frame = byId.get(samples[i]).callFrame;
    const url = frame.url ? relative(process.cwd(), frame.url.replace('file://', '')) : '';
    const key = `${frame.functionName || '(anonymous)'}\t${url}${url ? `:${frame.lineNumber + 1}` : ''}`;
    self.set(key, (self.get(key) ?? 0) + dt);
  }
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, us]) => {
      const [name, where] = key.split('\t');
      return { name, where, selfMs: us / 1000, percent: (100 * us) / total };
    });
}

/** The .cpuprofile files of a directory. */
export const profilesIn = (dir) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(dir, f));

export function printTopSelf(file, top = 25) {
  console.log(`top self time in ${file}:`);
  for (const f of topSelf(file, top)) {
    console.log(
      `  ${f.percent.toFixed(1).padStart(5)}%  ${f.selfMs.toFixed(0).padStart(7)} ms  ${f.name}  ${f.where}`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  printTopSelf(process.argv[2], Number(process.argv[3] ?? 25));
}
