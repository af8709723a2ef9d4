// CPU and memory of a Switchboard holding established calls idle. Every target answers at once
// (world defaultPolicy answer, afterMs 0), so each call goes establishing -> ringing (500 ms) ->
// established and then only its 45-minute keepAlive timer remains. Once every call is established
// and no notification came for a few seconds, the server's /proc/<pid>/stat (utime + stime) and
// /proc/<pid>/status (VmRSS) are sampled every second for --sample seconds. A first sample with
// no calls gives the baseline.
// Usage: node bench/notifications/idle.mjs [--calls 10000] [--sample 30] [--profile <dir>]
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { printTopSelf, profilesIn } from './cpu-profile.mjs';
import * as lib from '../lib.mjs';

const { values: o } = parseArgs({
  options: {
    calls: { type: 'string', default: '10000' },
    sample: { type: 'string', default: '30' },
    profile: { type: 'string' },
  },
});
const calls = Number(o.calls);

/** Samples `pid` every second for `seconds`: average and busiest second of CPU, RSS range. */
async function sampleIdle(pid, seconds) {
  const samples = [lib.procSample(pid)];
  for (let i = 0; i < seconds; i++) {
    await sleep(1000);
    samples.push(lib.procSample(pid));
  }
  const [first, last] = [samples[0], samples.at(-1)];
  const perSecond = samples.slice(1).map((s, i) => lib.cpuPercent(samples[i], s));
  const rss = samples.map((s) => s.rssKb / 1024);
  return {
    cpu: lib.cpuPercent(first, last),
    busiest: Math.max(...perSecond),
    ticks: last.ticks - first.ticks,
    rssStart: rss[0],
    rssEnd: rss.at(-1),
    rssMax: Math.max(...rss),
    hwm: last.hwmKb / 1024,
    ctxPerSecond: (last.ctx - first.ctx) / seconds,
    threads: last.threads,
  };
}

const fmt = (s, seconds) =>
  `CPU ${s.cpu.toFixed(2)}% of one core over ${seconds} s (${s.ticks} ticks of 10 ms; busiest second ` +
  `${s.busiest.toFixed(0)}%), RSS ${s.rssStart.toFixed(1)} -> ${s.rssEnd.toFixed(1)} MB ` +
  `(max ${s.rssMax.toFixed(1)}, peak VmHWM ${s.hwm.toFixed(1)}), ` +
  `${s.ctxPerSecond.toFixed(1)} context switches/s, ${s.threads} threads`;

const tmp = lib.tempDir();
const children = [];
try {
  const receiver = await lib.startReceiver({ outFile: join(tmp.dir, 'receipts.json') });
  children.push(receiver.child);
  const { profileDir, nodeArgs } = lib.profileArgs(o.profile);
  const sb = await lib.startSwitchboard({
    dir: tmp.dir,
    worldFile: lib.writeWorld(tmp.dir, { action: 'answer', afterMs: 0 }),
    nodeArgs,
  });
  children.push(sb.child);
  const pid = sb.child.pid;
  const headers = await lib.authHeaders(sb.url);
  await sleep(2000);
  const baseline = await sampleIdle(pid, 5);

  const made = await lib.createCalls({
    url: sb.url,
    headers,
    body: lib.callBody(`${receiver.url}/callback`),
    count: calls,
  });
  const started = performance.now();
  const stats = async () => (await fetch(`${receiver.url}/__stats`)).json();
  await lib.waitFor(async () => (await stats()).count >= calls * 3, {
    timeoutMs: 150_000,
    everyMs: 500,
    what: 'every call to be established and notified',
  });
  const settledAfter = (performance.now() - started) / 1000;
  // Quiescent: no notification for 3 s.
  let last = -1;
  await lib.waitFor(
    async () => {
      const { count } = await stats();
      const quiet = count === last;
      last = count;
      return quiet;
    },
    { timeoutMs: 60_000, everyMs: 3000, what: 'quiescence' },
  );
  const db = new Database(lib.dbFile(tmp.dir), { readonly: true });
  const states = db.prepare('SELECT state, COUNT(*) AS n FROM calls GROUP BY state').all();
  // The calls' armed timers (kind -> due time in each call document; the timers table holds one
  // row per call, due with its earliest).
  const timers = db
    .prepare(
      `SELECT t.key AS kind, COUNT(*) AS n, MIN(t.value) AS due
       FROM calls, json_each(calls.doc, '$.extra.timers') AS t GROUP BY t.key`,
    )
    .all();
  const outbox = db.prepare('SELECT status, COUNT(*) AS n FROM outbox GROUP BY status').all();
  db.close();
  const idle = await sampleIdle(pid, Number(o.sample));
  await lib.stopProcess(sb.child);

  console.log(`machine: ${lib.machine()}`);
  console.log(`baseline, no calls: ${fmt(baseline, 5)}`);
  console.log(
    `created ${made.created} calls (${made.rate.toFixed(0)}/s, ${made.failed} failed); every call ` +
      `established and notified ${settledAfter.toFixed(1)} s after the last create`,
  );
  console.log(`calls by state: ${states.map((s) => `${s.state} ${s.n}`).join(', ')}`);
  console.log(
    `timers armed: ${timers.map((t) => `${t.kind} ${t.n} (first due in ${((t.due - Date.now()) / 60_000).toFixed(1)} min)`).join(', ')}`,
  );
  console.log(`outbox rows: ${outbox.map((r) => `${r.status} ${r.n}`).join(', ')}`);
  console.log(`idle with ${calls} established calls: ${fmt(idle, Number(o.sample))}`);
  if (profileDir) for (const file of profilesIn(profileDir)) printTopSelf(file, 20);
} finally {
  for (const child of children) await lib.stopProcess(child);
  tmp.remove();
}
