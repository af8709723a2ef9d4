// Notification throughput: how fast the dispatcher drains a backlog into a local receiver.
// 1. End to end: Switchboard runs with probe.mjs holding the dispatcher's start() (nothing is
//    delivered) while `--calls` calls are created and their ring timers run (each noAnswer call
//    leaves 2 rows: establishing, ringing). SIGUSR2 starts the dispatcher; the receiver's stamps
//    give the drain rate, the server's /proc stat its CPU. Concurrency: the built-in 16 (`start`
//    has no option for it).
// 2. The same outbox drained again by an in-process OutboxDispatcher with other concurrencies
//    and with the store's durability 'full' (WAL fsync before a delivery is recorded, as
//    `switchboard start` runs) and 'normal' (no fsync), to show what bounds the rate.
//    Each sweep run drains the first --sweep-rows rows.
// Usage: node bench/notifications/throughput.mjs [--calls 10000] [--sweep 1,4,16,64]
//        [--sweep-rows 4000] [--profile <dir>]
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { printTopSelf, profilesIn } from './cpu-profile.mjs';
import { drainOnce } from './dispatcher-sweep.mjs';
import * as lib from '../lib.mjs';

const { values: o } = parseArgs({
  options: {
    calls: { type: 'string', default: '10000' },
    sweep: { type: 'string', default: '1,4,16,64' },
    'sweep-rows': { type: 'string', default: '4000' },
    profile: { type: 'string' },
  },
});
const calls = Number(o.calls);
const expected = calls * 2;

const tmp = lib.tempDir();
const children = [];
try {
  const receiver = await lib.startReceiver({ outFile: join(tmp.dir, 'receipts.json') });
  children.push(receiver.child);
  const profile = lib.profileArgs(o.profile);
  const profileDir = profile.profileDir;
  const nodeArgs = [...['--import', lib.PROBE], ...profile.nodeArgs];
  const sb = await lib.startSwitchboard({
    dir: tmp.dir,
    worldFile: lib.writeWorld(tmp.dir, { action: 'noAnswer' }),
    nodeArgs,
    env: { SB_BENCH_PROBE_OUT: join(tmp.dir, 'probe.json'), SB_BENCH_HOLD_OUTBOX: '1' },
  });
  children.push(sb.child);
  const made = await lib.createCalls({
    url: sb.url,
    headers: await lib.authHeaders(sb.url),
    body: lib.callBody(`${receiver.url}/callback`, { ringingTimeoutInSeconds: 115 }),
    count: calls,
  });

  // Every ring timer has run: the backlog is complete (counted read-only; WAL allows it).
  const Database = (await import('better-sqlite3')).default;
  const pendingRows = () => {
    const db = new Database(lib.dbFile(tmp.dir), { readonly: true });
    const n = db.prepare(`SELECT COUNT(*) FROM outbox WHERE status = 'pending'`).pluck().get();
    db.close();
    return n;
  };
  await lib.waitFor(() => pendingRows() >= expected, {
    timeoutMs: 90_000,
    everyMs: 250,
    what: 'ring timers',
  });
  const backlog = pendingRows();

  const stats = async () => (await fetch(`${receiver.url}/__stats`)).json();
  const cpuStart = lib.procSample(sb.child.pid);
  sb.child.kill('SIGUSR2');
  await lib.waitFor(async () => (await stats()).count >= backlog, {
    timeoutMs: 90_000,
    everyMs: 20,
    what: 'the backlog to drain',
  });
  const cpuEnd = lib.procSample(sb.child.pid);
  await lib.stopProcess(sb.child);

  const { releasedAt } = lib.readJson(join(tmp.dir, 'probe.json'));
  const { mono } = await (async () => {
    await lib.stopProcess(receiver.child);
    return lib.readJson(join(tmp.dir, 'receipts.json'));
  })();
  const lastAt = Math.max(...mono);
  const drainSeconds = (lastAt - releasedAt) / 1e9;
  const perSecond = [];
  for (const t of mono) {
    const s = Math.floor((t - releasedAt) / 1e9);
    perSecond[s] = (perSecond[s] ?? 0) + 1;
  }

  console.log(`machine: ${lib.machine()}`);
  console.log(
    `backlog: ${made.created} calls created (${made.rate.toFixed(0)}/s, ${made.failed} failed) ` +
      `with the dispatcher held; ${backlog} pending rows (establishing + ringing per call)`,
  );
  console.log(
    `end to end (switchboard start, default concurrency 256, durability full): ${mono.length} delivered in ` +
      `${drainSeconds.toFixed(2)} s = ${(mono.length / drainSeconds).toFixed(0)} notifications/s; ` +
      `server CPU ${lib.cpuPercent(cpuStart, cpuEnd).toFixed(0)}% of one core`,
  );
  console.log(`  per second since release: ${perSecond.map((n) => n ?? 0).join(', ')}`);
  if (profileDir) for (const file of profilesIn(profileDir)) printTopSelf(file, 20);

  // The same outbox, drained by an in-process dispatcher (receiver restarted on the same port).
  const port = new URL(receiver.url).port;
  const again = await lib.startReceiver({ outFile: join(tmp.dir, 'receipts2.json'), port });
  children.push(again.child);
  for (const durability of ['full', 'normal']) {
    for (const concurrency of o.sweep.split(',').map(Number)) {
      const r = await drainOnce({
        file: lib.dbFile(tmp.dir),
        rows: Number(o['sweep-rows']),
        concurrency,
        durability,
      });
      console.log(
        `in-process dispatcher, durability ${durability.padEnd(6)} concurrency ${String(concurrency).padStart(3)}: ` +
          `${r.delivered} delivered (${r.failed} failed) in ${r.seconds.toFixed(2)} s = ${r.rate.toFixed(0)}/s`,
      );
    }
  }
} finally {
  for (const child of children) await lib.stopProcess(child);
  tmp.remove();
}
