// Loaded into the Switchboard child with `node --import probe.mjs bin/switchboard.js start ...`.
// It changes nothing on the delivery path; it only observes:
// - for every store.apply that adds outbox rows, per outbox row id, three CLOCK_MONOTONIC stamps:
//   apply called; the group commit's SQLite COMMIT returned (from then on claimOutbox can see the
//   row); apply resolved (the WAL fsync that followed has finished, and the lifecycle kicks the
//   dispatcher right after);
// - per outbox row id, when its first attempt was handed to the sender thread (a message posted);
// - with SB_BENCH_HOLD_OUTBOX=1, the dispatcher's start() is deferred until the process receives
//   SIGUSR2, so a backlog can pile up while everything else runs; the release time is recorded.
// Everything is written as JSON to SB_BENCH_PROBE_OUT when the process exits.
import { writeFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { OutboxDispatcher } from '../../dist/src/outbox/dispatcher.js';
import { SenderThread } from '../../dist/src/outbox/sender-thread.js';
import { SqliteStore } from '../../dist/src/storage/sqlite/sqlite-store.js';

// Worker threads inherit --import: only the main thread writes the file.
const out = isMainThread ? process.env.SB_BENCH_PROBE_OUT : undefined;
const monoNs = () => Number(process.hrtime.bigint());
const ids = [];
const called = [];
const sqlCommitted = [];
const committed = [];
/** Change sets whose apply was called and whose COMMIT has not run yet (the group commit's queue). */
let queued = [];

// The group commit flushes its whole queue synchronously and ends with db.exec('COMMIT').
const exec = Database.prototype.exec;
Database.prototype.exec = function probedExec(sql) {
  const result = exec.call(this, sql);
  if (sql === 'COMMIT' && queued.length > 0) {
    const at = monoNs();
    for (const entry of queued) entry.sqlCommit = at;
    queued = [];
  }
  return result;
};
let releasedAt = null;

// Which rows reached the dispatcher straight from their COMMIT (the outbox handoff).
const fromCommit = {};
const setHandoff = SqliteStore.prototype.setOutboxHandoff;
SqliteStore.prototype.setOutboxHandoff = function probedSetHandoff(handoff) {
  const take = handoff.take;
  return setHandoff.call(this, {
    ...handoff,
    take: (rows) => {
      for (const row of rows) fromCommit[row.id] = 1;
      take(rows);
    },
  });
};

// When the dispatcher hands each notification's first attempt to the sender thread.
const handed = {};
const send = SenderThread.prototype.send;
SenderThread.prototype.send = function probedSend(request) {
  const id = request.headers['x-microsoft-skype-message-id'];
  handed[id] ??= monoNs();
  return send.call(this, request);
};

const apply = SqliteStore.prototype.apply;
SqliteStore.prototype.apply = function probedApply(changes) {
  const rows = changes.outbox;
  if (!rows || rows.length === 0) return apply.call(this, changes);
  const entry = { at: monoNs(), sqlCommit: null };
  queued.push(entry);
  return apply.call(this, changes).then(() => {
    const done = monoNs();
    for (const row of rows) {
      ids.push(row.id);
      called.push(entry.at);
      sqlCommitted.push(entry.sqlCommit ?? done);
      committed.push(done);
    }
  });
};

if (process.env.SB_BENCH_HOLD_OUTBOX === '1') {
  const start = OutboxDispatcher.prototype.start;
  OutboxDispatcher.prototype.start = function heldStart() {
    process.once('SIGUSR2', () => {
      releasedAt = monoNs();
      start.call(this);
    });
  };
}

if (out)
  process.on('exit', () =>
    writeFileSync(
      out,
      JSON.stringify({ ids, called, sqlCommitted, committed, handed, fromCommit, releasedAt }),
    ),
  );
