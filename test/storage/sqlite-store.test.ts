import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.js';
import { migrations, runMigrations } from '../../src/storage/sqlite/migrations.js';
import { ConflictError } from '../../src/storage/store.js';
import { makeCallRecord } from './call-record.js';
import { attempt, box, freshRow } from './contract/fixtures.js';
import { runStoreContract } from './store-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'switchboard-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const tempFile = (): string => join(dir, `store-${++n}.db`);

/** A new database file migrated up to `version` (for migration tests), and its open connection. */
function databaseAt(version: number): { file: string; db: Database.Database } {
  const file = tempFile();
  const db = new Database(file);
  runMigrations(db, { list: migrations.filter((m) => m.version <= version) });
  return { file, db };
}

/** Inserts a calls row the way version 1 laid it out, with `doc` as its document. */
function insertCallRow(db: Database.Database, id: string, doc: unknown, state = 'establishing'): void {
  db.prepare(
    `INSERT INTO calls (id, revision, app_id, tenant_id, state, created_at, updated_at, doc)
     VALUES (?, 1, 'app-1', 'tenant-1', ?, 1, 1, ?)`,
  ).run(id, state, JSON.stringify(doc));
}

/** Opens a store on `file`, migrated unless told not to, runs `run` with it and closes it. */
async function withStore(
  file: string,
  run: (store: SqliteStore) => Promise<void>,
  opts: { migrate?: boolean } = {},
): Promise<void> {
  const store = new SqliteStore({ file });
  try {
    if (opts.migrate ?? true) await store.migrate();
    await run(store);
  } finally {
    await store.close();
  }
}

/** Runs `read` on a read-only connection to `file`. */
function readDatabase(file: string, read: (db: Database.Database) => void): void {
  const db = new Database(file, { readonly: true });
  try {
    read(db);
  } finally {
    db.close();
  }
}

runStoreContract('sqlite :memory:', async () => new SqliteStore({ file: ':memory:' }));
runStoreContract('sqlite file', async () => new SqliteStore({ file: tempFile() }));
runStoreContract(
  'sqlite file, durability normal',
  async () => new SqliteStore({ file: tempFile(), durability: 'normal' }),
);

describe('SqliteStore', () => {
  it('migrating twice is a no-op and records each version once', async () => {
    const db = new Database(':memory:');
    try {
      assert.deepEqual(
        runMigrations(db),
        migrations.map((m) => m.version),
      );
      assert.deepEqual(runMigrations(db), []);
      const rows = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
      assert.deepEqual(
        rows,
        migrations.map((m) => ({ version: m.version, name: m.name })),
      );
    } finally {
      db.close();
    }
  });

  it('migration 2 keeps the outbox and indexes only its pending rows', async () => {
    const { file, db } = databaseAt(1);
    db.prepare(
      `INSERT INTO outbox (id, call_id, seq, url, body, run_at, status, attempts, created_at)
       VALUES ('p1', 'C', 1, 'http://127.0.0.1:1/cb', '{}', 5, 'pending', 0, 1),
              ('d1', 'D', 1, 'http://127.0.0.1:1/cb', '{}', 3, 'delivered', 1, 1)`,
    ).run();
    db.close();

    await withStore(file, async (store) => {
      assert.equal(await store.nextOutboxRunAt(), 5);
      assert.deepEqual(
        (await store.claimOutbox({ now: 10, owner: 'o', limit: 10, staleLockMs: 1_000 })).map((r) => r.id),
        ['p1'],
      );
      assert.deepEqual(
        (await store.listOutbox({ status: 'delivered' })).map((r) => r.id),
        ['d1'],
      );
    });
    readDatabase(file, (check) => {
      const indexes = check
        .prepare(
          `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'outbox' AND sql IS NOT NULL`,
        )
        .pluck()
        .all();
      assert.deepEqual(indexes, ['outbox_pending_run_at']);
      const plan = check
        .prepare(`EXPLAIN QUERY PLAN SELECT MIN(run_at) FROM outbox WHERE status = 'pending'`)
        .all() as { detail: string }[];
      assert.deepEqual(
        plan.map((p) => p.detail),
        ['SEARCH outbox USING COVERING INDEX outbox_pending_run_at'],
      );
    });
  });

  it('migration 3 keeps timers in due-then-insertion order, delivery attempts and call owners', async () => {
    const { file, db } = databaseAt(2);
    for (const [id, chain] of [
      ['chained', 'chain-9'],
      ['numbered', 9],
    ] as const) {
      const record = makeCallRecord({ id });
      record.doc.resource.callChainId = chain;
      insertCallRow(db, id, record.doc);
    }
    db.prepare(
      `INSERT INTO timers (id, call_id, kind, due_at, payload)
       VALUES ('c:z', 'c', 'z', 50, '{"type":"call"}'), ('c:a', 'c', 'a', 50, '{"type":"call"}'),
              ('d:m', 'd', 'm', 20, '{"type":"meetingJoin"}')`,
    ).run();
    db.prepare(
      `INSERT INTO outbox (id, call_id, seq, url, body, run_at, status, attempts, created_at)
       VALUES ('o1', 'c', 1, 'http://127.0.0.1:1/cb', '{}', 5, 'delivered', 2, 1)`,
    ).run();
    db.prepare(
      `INSERT INTO delivery_attempts (outbox_id, attempt, at, status, latency_ms, excerpt)
       VALUES ('o1', 1, 6, 500, 3, 'boom'), ('o1', 2, 9, 202, 1, '')`,
    ).run();
    db.close();

    const migrated = new Database(file);
    runMigrations(migrated, { list: migrations.filter((m) => m.version === 3) });
    migrated.close();
    await withStore(
      file,
      async (store) => {
        // A timer added after the migration, due with the two older ones, comes after them.
        await store.apply({
          timers: [{ id: 'e:b', callId: 'e', kind: 'b', dueAt: 50, payload: '{}' }],
          now: 1,
        });
        assert.deepEqual(
          (await store.dueTimers(60, 10)).map((t) => [t.id, t.dueAt, t.payload]),
          [
            ['d:m', 20, '{"type":"meetingJoin"}'],
            ['c:z', 50, '{"type":"call"}'],
            ['c:a', 50, '{"type":"call"}'],
            ['e:b', 50, '{}'],
          ],
        );
        assert.equal(await store.nextTimerDueAt(), 20);
        assert.deepEqual(await store.getCallOwner('chained'), {
          appId: 'app-1',
          tenantId: 'tenant-1',
          callChainId: 'chain-9',
        });
        assert.equal((await store.getCallOwner('numbered'))?.callChainId, null);
        assert.equal((await store.getCall('chained'))?.doc.resource.callChainId, 'chain-9');
        assert.deepEqual(
          (await store.listAttempts('o1')).map((a) => [a.attempt, a.status, a.excerpt]),
          [
            [1, 500, 'boom'],
            [2, 202, ''],
          ],
        );
      },
      { migrate: false },
    );
    readDatabase(file, (check) => {
      const indexes = check
        .prepare(
          `SELECT tbl_name || '.' || name FROM sqlite_master
           WHERE type = 'index' AND tbl_name IN ('calls', 'timers') AND sql IS NOT NULL ORDER BY 1`,
        )
        .pluck()
        .all();
      assert.deepEqual(indexes, ['calls.calls_created_at', 'timers.timers_due_at_seq']);
    });
  });

  it('migration 4 makes one timer row per call and moves the payloads into the call document', async () => {
    const { file, db } = databaseAt(3);
    const record = makeCallRecord({ id: 'c' });
    record.doc.extra = { timers: { ringTimeout: 90, 'farEnd:p': 40 } };
    insertCallRow(db, 'c', record.doc, 'ringing');
    db.prepare(
      `INSERT INTO timers (id, call_id, kind, due_at, seq, payload)
       VALUES ('c:ringTimeout', 'c', 'ringTimeout', 90, 1, '{"type":"call"}'),
              ('c:farEnd:p', 'c', 'farEnd:p', 40, 2, '{"type":"farEnd","participantId":"p","step":"answer"}'),
              ('d:meetingJoin', 'd', 'meetingJoin', 70, 3, '{"type":"meetingJoin"}')`,
    ).run();
    db.close();

    await withStore(file, async (store) => {
      assert.deepEqual(await store.dueTimers(1_000, 10), [
        { id: 'c', callId: 'c', kind: 'call', dueAt: 40, payload: '{}' },
        { id: 'd', callId: 'd', kind: 'call', dueAt: 70, payload: '{}' },
      ]);
      const { doc } = (await store.getCall('c'))!;
      assert.deepEqual(doc.extra, {
        timers: { ringTimeout: 90, 'farEnd:p': 40 },
        timerPayloads: {
          ringTimeout: { type: 'call' },
          'farEnd:p': { type: 'farEnd', participantId: 'p', step: 'answer' },
        },
      });
      assert.deepEqual({ ...doc, extra: record.doc.extra }, record.doc);
    });
  });

  it('a re-armed timer keeps its place among timers due at the same time', async () => {
    await withStore(':memory:', async (store) => {
      const timer = (id: string, dueAt: number) => ({ id, callId: 'c', kind: id, dueAt, payload: '{}' });
      await store.apply({ timers: [timer('first', 10), timer('second', 30)], now: 1 });
      await store.apply({ timers: [timer('first', 30)], now: 2 });
      assert.deepEqual(
        (await store.dueTimers(30, 10)).map((t) => [t.id, t.dueAt]),
        [
          ['first', 30],
          ['second', 30],
        ],
      );
    });
  });

  it('creates the parent directory and uses WAL for a file', async () => {
    const file = join(dir, 'nested', 'deeper', 'switchboard.db');
    const store = new SqliteStore({ file });
    await store.migrate();
    await store.close();
    readDatabase(file, (db) => {
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    });
  });

  it('a closed and reopened file store keeps calls, outbox rows, attempts, timers and meta', async () => {
    const file = tempFile();
    const first = new SqliteStore({ file });
    await first.migrate();
    const calls = [makeCallRecord({ id: 'c1', createdAt: 1 }), makeCallRecord({ id: 'c2', createdAt: 2 })];
    await first.apply({
      now: 10,
      calls: calls.map((record) => ({ record, expectedRevision: null })),
      outbox: [box('o1', 'c1', 10), box('o2', 'c1', 10)],
      timers: [{ id: 't1', callId: 'c2', kind: 'ringTimeout', dueAt: 99, payload: '{}' }],
    });
    await first.failOutbox('o1', attempt('o1', 1), 500);
    await first.setMeta('signingKey', 'secret-ish');
    const inFlight = first.apply({ now: 11, outbox: [box('o3', 'c2', 11)] });
    await first.close();
    await inFlight;

    const second = new SqliteStore({ file });
    try {
      await second.migrate();
      assert.deepEqual(await second.listCalls(), [calls[1], calls[0]]);
      assert.deepEqual(await second.listOutbox({}), [
        { ...freshRow(box('o1', 'c1', 500), 1, 10), attempts: 1, lastError: 'boom 1' },
        freshRow(box('o2', 'c1', 10), 2, 10),
        freshRow(box('o3', 'c2', 11), 1, 11),
      ]);
      assert.deepEqual(await second.listAttempts('o1'), [attempt('o1', 1)]);
      assert.equal(await second.nextTimerDueAt(), 99);
      assert.equal(await second.getMeta('signingKey'), 'secret-ish');
    } finally {
      await second.close();
    }
  });

  it('group commit: applies of one turn share one transaction; a conflict rolls back only its own', async () => {
    await withStore(tempFile(), async (store) => {
      await store.apply({
        now: 1,
        calls: [{ record: makeCallRecord({ id: 'taken' }), expectedRevision: null }],
      });
      const before = store.groupCommitStats;
      const ok = store.apply({
        now: 2,
        calls: [{ record: makeCallRecord({ id: 'fresh' }), expectedRevision: null }],
        outbox: [box('o-fresh', 'fresh', 2)],
      });
      const conflicting = store.apply({
        now: 2,
        calls: [{ record: makeCallRecord({ id: 'taken' }), expectedRevision: null }],
        outbox: [box('o-taken', 'taken', 2)],
      });
      const [okResult, conflictResult] = await Promise.allSettled([ok, conflicting]);
      assert.equal(okResult?.status, 'fulfilled');
      assert.ok(conflictResult?.status === 'rejected' && conflictResult.reason instanceof ConflictError);
      assert.deepEqual(store.groupCommitStats, { batches: before.batches + 1, items: before.items + 2 });
      assert.equal((await store.getCall('fresh'))?.id, 'fresh');
      assert.deepEqual(
        (await store.listOutbox({})).map((r) => r.id),
        ['o-fresh'],
      );
    });
  });

  it('group commit: change sets of one turn apply in call order (insert then update)', async () => {
    await withStore(':memory:', async (store) => {
      const v2 = makeCallRecord({ id: 'c1', revision: 2, state: 'established' });
      await Promise.all([
        store.apply({ now: 1, calls: [{ record: makeCallRecord({ id: 'c1' }), expectedRevision: null }] }),
        store.apply({ now: 2, calls: [{ record: v2, expectedRevision: 1 }] }),
      ]);
      assert.deepEqual(await store.getCall('c1'), v2);
      assert.equal(store.groupCommitStats.batches, 1);
    });
  });
});
