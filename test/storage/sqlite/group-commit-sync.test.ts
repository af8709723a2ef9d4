import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { GroupCommit } from '../../../src/storage/sqlite/group-commit.js';

/** A sync the test finishes by hand, recording how many ran. */
function manualSync() {
  const pending: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  return {
    pending,
    sync: () => new Promise<void>((resolve, reject) => pending.push({ resolve, reject })),
  };
}

const turn = () => new Promise((r) => setImmediate(r));

function setup(sync: () => Promise<void>) {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (v TEXT PRIMARY KEY)');
  const group = new GroupCommit<string>({
    db,
    run: (v) => db.prepare('INSERT INTO t (v) VALUES (?)').run(v),
    sync,
  });
  return { db, group };
}

describe('GroupCommit with a durable sync', () => {
  it('resolves items only after a sync that started after their commit', async () => {
    const s = manualSync();
    const { db, group } = setup(s.sync);
    let done = false;
    const a = group.enqueue('a').then(() => (done = true));
    await turn();
    await turn();
    assert.equal(db.prepare('SELECT count(*) FROM t').pluck().get(), 1, 'committed');
    assert.equal(done, false, 'not acknowledged before the sync');
    assert.equal(s.pending.length, 1);
    s.pending[0]!.resolve();
    await a;
    assert.equal(done, true);
  });

  it('batches committed while a sync runs share the next sync', async () => {
    const s = manualSync();
    const { group } = setup(s.sync);
    const first = group.enqueue('a');
    await turn();
    await turn();
    const second = group.enqueue('b');
    await turn();
    const third = group.enqueue('c');
    await turn();
    assert.equal(s.pending.length, 1, 'one sync in flight');
    s.pending[0]!.resolve();
    await first;
    await turn();
    assert.equal(s.pending.length, 2, 'the second and third batch wait for one more sync');
    s.pending[1]!.resolve();
    await Promise.all([second, third]);
  });

  it('a failed sync rejects the items it covered, and later items get a fresh sync', async () => {
    const s = manualSync();
    const { group } = setup(s.sync);
    const a = group.enqueue('a');
    await turn();
    await turn();
    s.pending[0]!.reject(new Error('EIO'));
    await assert.rejects(a, /EIO/);
    const b = group.enqueue('b');
    await turn();
    await turn();
    s.pending[1]!.resolve();
    await b;
  });

  it('durable() waits for everything committed before it; drain() for the running sync', async () => {
    const s = manualSync();
    const { group } = setup(s.sync);
    let durable = false;
    const d = group.durable().then(() => (durable = true));
    await turn();
    assert.equal(durable, false);
    s.pending[0]!.resolve();
    await d;
    const drained = group.drain();
    await drained;
    assert.equal(s.pending.length, 1);
  });

  it('enqueueWork shares the batch, returns its value, and waits for the sync only when durable', async () => {
    const s = manualSync();
    const { db, group } = setup(s.sync);
    let durableDone = false;
    const durable = group.enqueue('a').then(() => (durableDone = true));
    const count = group.enqueueWork(() => db.prepare('SELECT count(*) FROM t').pluck().get(), {
      durable: false,
    });
    assert.equal(await count, 1, 'runs after the earlier item, in the same transaction');
    assert.deepEqual(group.stats, { batches: 1, items: 2 });
    assert.equal(durableDone, false);
    s.pending[0]!.resolve();
    await durable;
  });

  it('enqueueWork that throws rolls back alone', async () => {
    const { db, group } = setup(() => Promise.resolve());
    const bad = group.enqueueWork(
      () => {
        db.prepare('INSERT INTO t (v) VALUES (?)').run('x');
        throw new Error('no');
      },
      { durable: false },
    );
    const good = group.enqueue('y');
    await assert.rejects(bad, /no/);
    await good;
    assert.deepEqual(db.prepare('SELECT v FROM t').pluck().all(), ['y']);
  });
});
