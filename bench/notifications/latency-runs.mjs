// Runs latency.mjs several times in a row (each with its own Switchboard, bot and database) and
// prints every run's COMMIT -> receipt percentiles, then the median and range of their p99. On a
// shared machine one run's p99 can be twice the next one's; compare builds by these medians, from
// runs alternating with the baseline.
// Usage: node bench/notifications/latency-runs.mjs [--runs 5] [any latency.mjs option...]
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const HERE = dirname(fileURLToPath(import.meta.url));
const { values: o, tokens } = parseArgs({
  options: { runs: { type: 'string', default: '5' } },
  strict: false,
  tokens: true,
});
// Everything but --runs goes to latency.mjs as given.
const passed = [];
for (const t of tokens) {
  if (t.kind === 'option' && t.name === 'runs') continue;
  if (t.kind === 'option' && t.inlineValue) passed.push(`${t.rawName}=${t.value}`);
  else if (t.kind === 'option') passed.push(t.rawName, ...(t.value === undefined ? [] : [t.value]));
  if (t.kind === 'positional') passed.push(t.value);
}

/** Runs latency.mjs once; resolves with its output. */
function runOnce() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(HERE, 'latency.mjs'), ...passed], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`latency.mjs exited ${code}`)),
    );
  });
}

const LINE =
  /^COMMIT -> receipt \[hrtime\]: n=(\d+) p50 ([\d.]+) ms, p90 ([\d.]+), p99 ([\d.]+), p99\.9 ([\d.]+), max ([\d.]+)/m;
const p99s = [];
let machine = '';
for (let i = 1; i <= Number(o.runs); i++) {
  const out = await runOnce();
  machine ||= /^machine: (.*)$/m.exec(out)?.[1] ?? '';
  const m = LINE.exec(out);
  if (!m) throw new Error(`run ${i}: no COMMIT -> receipt line in:\n${out}`);
  const [, n, p50, p90, p99, p999, max] = m;
  p99s.push(Number(p99));
  console.log(`run ${i}: n=${n} p50 ${p50} ms, p90 ${p90}, p99 ${p99}, p99.9 ${p999}, max ${max}`);
}
const sorted = [...p99s].sort((a, b) => a - b);
const mid = sorted.length / 2;
const median = sorted.length % 2 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2;
console.log(`machine: ${machine}`);
console.log(
  `COMMIT -> receipt p99 over ${sorted.length} runs: median ${median.toFixed(2)} ms, ` +
    `range ${sorted[0].toFixed(2)} to ${sorted.at(-1).toFixed(2)} ms`,
);
