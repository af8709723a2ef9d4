// Shared pieces of the benchmarks: child processes, the world file, tokens, the create-call body,
// closed-loop call creation, CPU profiling options, /proc sampling and percentiles.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { Pool } from 'undici';
import { defaultWorld } from '../dist/src/world/default-world.js';

export const APP = '2891555a-92ff-42e6-80fa-6e1300c6b5c6';
export const TENANT = 'aa67bd4c-8475-432d-bd41-39f255720e0a';
export const JOHN = '112f7296-5fa4-42ca-bae8-6a692b15d4b8';
export const CALLS_PATH = '/beta/communications/calls';
const HERE = new URL('.', import.meta.url).pathname;
export const RECEIVER = join(HERE, 'notifications', 'receiver.mjs');
export const PROBE = join(HERE, 'notifications', 'probe.mjs');
export const CLI = join(HERE, '../bin/switchboard.js');

/** A fresh temp dir and a cleanup that removes it. */
export function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Spawns `node [nodeArgs] script args` and resolves once stdout matches `pattern` (group 1 = url). */
export function startProcess({ script, args = [], nodeArgs = [], env, pattern }) {
  const child = spawn(process.execPath, [...nodeArgs, script, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const onExit = (code) => reject(new Error(`${script} exited ${code}: ${out}`));
    child.stdout.on('data', (d) => {
      out += d;
      const m = pattern.exec(out);
      if (m) {
        child.off('exit', onExit);
        child.stdout.resume();
        resolve({ child, url: m[1] });
      }
    });
    child.once('exit', onExit);
  });
}

/** Sends `signal` and waits for the process to exit (SIGKILL after 20 s). */
export function stopProcess(child, signal = 'SIGTERM') {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill(signal);
  });
}

/** A world file: the default world, every user and phone following `policy`. */
export function writeWorld(dir, policy) {
  const world = defaultWorld();
  world.defaultPolicy = policy;
  world.users = world.users.map(({ policy: _policy, ...user }) => user);
  world.phones = world.phones.map(({ policy: _policy, ...phone }) => phone);
  const file = join(dir, 'world.json');
  writeFileSync(file, JSON.stringify(world));
  return file;
}

/**
 * `--cpu-prof` arguments for the server when a benchmark is given `--profile <dir>`, and the
 * resolved directory (undefined without the option).
 */
export function profileArgs(profile) {
  if (!profile) return { profileDir: undefined, nodeArgs: [] };
  const profileDir = resolve(profile);
  mkdirSync(profileDir, { recursive: true });
  return { profileDir, nodeArgs: ['--cpu-prof', '--cpu-prof-dir', profileDir] };
}

/** Starts Switchboard (bin/switchboard.js start) on a file database in `dir`, or in memory. */
export function startSwitchboard({ dir, worldFile, nodeArgs = [], env, inMemory = false }) {
  const args = [
    'start',
    '--port',
    '0',
    ...(inMemory ? ['--in-memory'] : ['--data', join(dir, 'db')]),
    '--world',
    worldFile,
    '--log-level',
    'warn',
  ];
  return startProcess({ script: CLI, args, nodeArgs, env, pattern: /Switchboard ready at (\S+)/ });
}

export const dbFile = (dir) => join(dir, 'db', 'switchboard.db');

/** The receiver (the bot): records every notification's receipt; writes them to `outFile` on SIGTERM. */
export function startReceiver({ outFile, port = 0 }) {
  return startProcess({
    script: RECEIVER,
    args: [outFile, String(port)],
    pattern: /receiver ready at (\S+)/,
  });
}

export const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** Headers with a client-credentials token of the Calling Bot app. */
export async function authHeaders(url) {
  const res = await fetch(`${url}/${TENANT}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: APP,
      client_secret: 'switchboard-dev-secret',
      scope: 'https://graph.microsoft.com/.default',
    }),
  });
  const { access_token: token } = await res.json();
  return { 'content-type': 'application/json', authorization: `Bearer ${token}` };
}

/** A peer-to-peer call to John (beta, so `ringing` is notified too). */
export function callBody(callbackUri, extra = {}) {
  return JSON.stringify({
    '@odata.type': '#microsoft.graph.call',
    callbackUri,
    targets: [
      {
        '@odata.type': '#microsoft.graph.invitationParticipantInfo',
        identity: { '@odata.type': '#microsoft.graph.identitySet', user: { id: JOHN, displayName: 'John' } },
      },
    ],
    requestedModalities: ['audio'],
    mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
    ...extra,
  });
}

/** Creates `count` calls as fast as `connections` keep-alive connections allow (closed loop). */
export async function createCalls({ url, headers, body, count, connections = 32 }) {
  const pool = new Pool(url, { connections, pipelining: 1 });
  let next = 0;
  let created = 0;
  let failed = 0;
  const started = performance.now();
  async function worker() {
    while (next < count) {
      next++;
      try {
        const res = await pool.request({ method: 'POST', path: CALLS_PATH, headers, body });
        await res.body.text();
        if (res.statusCode === 201) created++;
        else failed++;
      } catch {
        failed++;
      }
    }
  }
  await Promise.all(Array.from({ length: connections }, worker));
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  return { created, failed, seconds, rate: created / seconds };
}

/**
 * Per-thread scheduler counters of a process, from /proc/<pid>/task/<tid>/schedstat: time run on a
 * CPU, time spent runnable but waiting for one (the run queue), and timeslices, all since the
 * thread started. `threads` is empty where /proc has no schedstat (not Linux, or a kernel built
 * without schedstats).
 */
export function threadSample(pid) {
  const threads = new Map();
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        const [runNs, waitNs, slices] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8')
          .trim()
          .split(' ')
          .map(Number);
        threads.set(Number(tid), { runNs, waitNs, slices });
      } catch {
        // The thread ended between the listing and the read.
      }
    }
  } catch {
    // No /proc: `threads` stays empty.
  }
  return { at: performance.now(), threads };
}

/**
 * Run-queue wait of the threads that ran at least 1% of the window between two threadSample()s
 * of one process, busiest first: `label(tid)` names them. Lines like "name: on CPU 18.5%, waiting
 * for a CPU 21.6% (0.17 ms per timeslice)".
 */
export function runQueueLines(before, after, label) {
  const seconds = (after.at - before.at) / 1000;
  const lines = [];
  for (const [tid, b] of before.threads) {
    const a = after.threads.get(tid);
    if (!a) continue;
    const run = (a.runNs - b.runNs) / 1e9 / seconds;
    if (run < 0.01) continue;
    const wait = (a.waitNs - b.waitNs) / 1e9 / seconds;
    const slices = a.slices - b.slices;
    const perWake = slices > 0 ? (a.waitNs - b.waitNs) / slices / 1e6 : 0;
    lines.push({
      run,
      text:
        `${label(tid)}: on CPU ${(100 * run).toFixed(1)}%, waiting for a CPU ${(100 * wait).toFixed(1)}% ` +
        `(${perWake.toFixed(2)} ms per timeslice)`,
    });
  }
  return lines.sort((x, y) => y.run - x.run).map((l) => l.text);
}

/** CPU ticks (utime + stime), RSS and context switches of a process, from /proc. */
export function procSample(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): utime is field 14, stime field 15.
  const ticks = Number(fields[11]) + Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  return {
    at: performance.now(),
    ticks,
    rssKb: kb('VmRSS'),
    hwmKb: kb('VmHWM'),
    ctx: kb('voluntary_ctxt_switches') + kb('nonvoluntary_ctxt_switches'),
    threads: kb('Threads'),
  };
}

/** CPU use between two samples, in % of one core (CLK_TCK = 100 on Linux). */
export const cpuPercent = (a, b) => (((b.ticks - a.ticks) / 100) * 100) / ((b.at - a.at) / 1000);

/** p50/p90/p99/p99.9/max of numbers (sorted in place). */
export function percentiles(values) {
  values.sort((a, b) => a - b);
  const at = (p) => values[Math.min(values.length - 1, Math.floor(p * values.length))] ?? NaN;
  return { n: values.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), p999: at(0.999), max: at(1) };
}

export const fmtMs = (s) =>
  `n=${s.n} p50 ${s.p50.toFixed(2)} ms, p90 ${s.p90.toFixed(2)}, p99 ${s.p99.toFixed(2)}, p99.9 ${s.p999.toFixed(2)}, max ${s.max.toFixed(2)}`;

export function machine() {
  const mem = (totalmem() / 2 ** 30).toFixed(1);
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  return `${cpus().length} x ${cpus()[0]?.model}, ${mem} GiB RAM, node ${process.version}, load average ${load}`;
}

/** Resolves when `check()` returns true (polled every `everyMs`), or rejects after `timeoutMs`. */
export async function waitFor(check, { timeoutMs, everyMs = 100, what }) {
  const end = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Monotonic ns as a Number (CLOCK_MONOTONIC: the same clock in every process of the machine). */
export const monoNs = () => Number(process.hrtime.bigint());
