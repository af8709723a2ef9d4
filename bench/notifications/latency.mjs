// Notification latency, commit to bot receipt, while calls are created at a fixed rate.
// Processes: this one (open-loop create generator), Switchboard (with probe.mjs, which records
// when each change set's store.apply resolved, i.e. committed and fsynced) and receiver.mjs (the
// bot, which records when each notification's body has arrived). Both stamps are CLOCK_MONOTONIC
// (process.hrtime), so commit -> receipt is exact to the microsecond. The outbox row's own
// createdAt (the Switchboard clock, ms) and the attempts log (`at`, `latencyMs`, both ms) are read
// from the database afterwards for a second, store-only view.
// With --in-memory the server keeps its database in memory (no WAL, no fsync, no checkpoints), to
// see how much of the latency the disk accounts for; the store-only lines are then left out.
// Per thread, the report gives the time each busy thread of the server, the bot and this process
// spent waiting for a CPU (run queue, /proc/<pid>/task/<tid>/schedstat) during the window.
// Usage: node bench/notifications/latency.mjs [--rate 1000] [--seconds 10] [--warmup 2]
//        [--connections 64] [--policy answer|noAnswer] [--after-ms 1000] [--profile <dir>]
//        [--in-memory]
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { printTopSelf, profilesIn } from './cpu-profile.mjs';
import * as lib from '../lib.mjs';
import { openLoop } from './open-loop.mjs';
import { summarize } from './latency-report.mjs';

const { values: o } = parseArgs({
  options: {
    rate: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '64' },
    policy: { type: 'string', default: 'answer' },
    'after-ms': { type: 'string', default: '1000' },
    profile: { type: 'string' },
    'in-memory': { type: 'boolean', default: false },
  },
});
const rate = Number(o.rate);
const seconds = Number(o.seconds);
const afterMs = Number(o['after-ms']);
const policy = o.policy === 'noAnswer' ? { action: 'noAnswer' } : { action: 'answer', afterMs };

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
    worldFile: lib.writeWorld(tmp.dir, policy),
    nodeArgs,
    inMemory: o['in-memory'],
    env: { SB_BENCH_PROBE_OUT: join(tmp.dir, 'probe.json') },
  });
  children.push(sb.child);
  const load = {
    url: sb.url,
    path: lib.CALLS_PATH,
    headers: await lib.authHeaders(sb.url),
    // A ring timeout longer than the run, so noAnswer calls do not end meanwhile.
    body: lib.callBody(`${receiver.url}/callback`, { ringingTimeoutInSeconds: 115 }),
    rate,
    connections: Number(o.connections),
    expectStatus: 201,
  };

  const warm = await openLoop({ ...load, seconds: Number(o.warmup) });
  const windowStart = lib.monoNs();
  const pids = { server: sb.child.pid, bot: receiver.child.pid, load: process.pid };
  const threadsStart = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, lib.threadSample(pid)]));
  const cpuStart = lib.procSample(sb.child.pid);
  const run = await openLoop({ ...load, seconds });
  const cpuEnd = lib.procSample(sb.child.pid);
  const threadsEnd = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, lib.threadSample(pid)]));
  const windowEnd = lib.monoNs();

  // Quiescent: the far-end timers of the last calls have run and no receipt came for 2 s.
  const stats = async () => (await fetch(`${receiver.url}/__stats`)).json();
  let last = -1;
  let stableSince = performance.now();
  const settleFrom = performance.now() + (policy.action === 'answer' ? afterMs : 0) + 600;
  await lib.waitFor(
    async () => {
      const { count } = await stats();
      if (count !== last) [last, stableSince] = [count, performance.now()];
      return performance.now() > settleFrom && performance.now() - stableSince > 2000;
    },
    { timeoutMs: 60_000, what: 'notifications to settle' },
  );
  await lib.stopProcess(sb.child);
  await lib.stopProcess(receiver.child);

  // An in-memory database is gone with the server: no store view then.
  let rows = null;
  let attempts = [];
  if (!o['in-memory']) {
    const db = new Database(lib.dbFile(tmp.dir), { readonly: true });
    rows = db
      .prepare(
        `SELECT id, created_at AS createdAt, status, attempts,
           json_extract(body, '$.value[0].resourceData.state') AS state FROM outbox`,
      )
      .all();
    attempts = db
      .prepare('SELECT outbox_id AS id, attempt, at, latency_ms AS ms FROM delivery_attempts')
      .all();
    db.close();
  }

  const report = summarize({
    probe: lib.readJson(join(tmp.dir, 'probe.json')),
    receipts: lib.readJson(join(tmp.dir, 'receipts.json')),
    rows,
    attempts,
    windowStart,
    windowEnd,
  });
  const fmtCreate = (r) =>
    `${r.total} scheduled, ${r.ok} x 201, ${r.unexpected} other, ${r.errors} errors; ` +
    `achieved ${r.achievedRate.toFixed(0)}/s; max outstanding ${r.maxOutstanding}`;
  console.log(`machine: ${lib.machine()}`);
  console.log(
    `load: open loop ${rate} creates/s for ${seconds} s after ${o.warmup} s warm-up, ` +
      `${o.connections} connections, policy ${JSON.stringify(policy)}, beta P2P calls`,
  );
  console.log(`warm-up creates: ${fmtCreate(warm)}`);
  console.log(`measured creates: ${fmtCreate(run)}`);
  console.log(`create latency (from scheduled send): ${lib.fmtMs(lib.percentiles(run.latencies))}`);
  console.log(`server CPU during the window: ${lib.cpuPercent(cpuStart, cpuEnd).toFixed(0)}% of one core`);
  for (const line of report) console.log(line);
  console.log('threads busier than 1% of a CPU during the window, and their wait for one:');
  const names = {
    server: (tid) => (tid === pids.server ? 'server main thread' : `server thread ${tid}`),
    bot: (tid) => (tid === pids.bot ? 'bot main thread' : `bot thread ${tid}`),
    load: (tid) => (tid === pids.load ? 'load generator main thread' : `load generator thread ${tid}`),
  };
  const threadLines = Object.keys(pids).flatMap((k) =>
    lib.runQueueLines(threadsStart[k], threadsEnd[k], names[k]),
  );
  if (threadLines.length === 0) console.log('  (no per-thread scheduler counters on this system)');
  for (const line of threadLines) console.log(`  ${line}`);
  if (profileDir) for (const file of profilesIn(profileDir)) printTopSelf(file, 25);
} finally {
  for (const child of children) await lib.stopProcess(child);
  tmp.remove();
}
