import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { GroupCommit } from '../../../src/storage/sqlite/group-commit.js';

function setup(run: (db: Database.Database, item: string) => void) {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (v TEXT PRIMARY KEY)');
  const group = new GroupCommit<string>({ db, run: (item) => run(db, item) });
  const values = (): string[] => db.prepare('SELECT v FROM t ORDER BY v').pluck().all() as string[];
  return { db, group, values };
}

const insert = (db: Database.Database, v: string): void => {
  if (v.startsWith('bad')) {
    db.prepare('INSERT INTO t (v) VALUES (?)').run(`${v}-partial`);
    throw new Error(`rejected ${v}`);
  }
  db.prepare('INSERT INTO t (v) VALUES (?)').run(v);
};

describe('GroupCommit', () => {
  it('flushes one turn of items in one transaction, rolling back a failing item alone', async () => {
    const { db, group, values } = setup(insert);
    const results = await Promise.allSettled([group.enqueue('a'), group.enqueue('bad1'), group.enqueue('b')]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    assert.deepEqual(values(), ['a', 'b']);
    assert.deepEqual(group.stats, { batches: 1, items: 3 });
    assert.equal(db.inTransaction, false);
    db.close();
  });

  it('items of later turns go into later batches', async () => {
    const { db, group, values } = setup(insert);
    await group.enqueue('a');
    await Promise.all([group.enqueue('b'), group.enqueue('c')]);
    assert.deepEqual(values(), ['a', 'b', 'c']);
    assert.deepEqual(group.stats, { batches: 2, items: 3 });
    db.close();
  });

  it('flush() commits queued items right away', async () => {
    const { db, group, values } = setup(insert);
    const p = group.enqueue('a');
    assert.equal(group.pending, 1);
    group.flush();
    assert.equal(group.pending, 0);
    assert.deepEqual(values(), ['a']);
    await p;
    db.close();
  });

  it('when the transaction itself breaks, every item of the batch rejects and nothing is kept', async () => {
    const { db, group, values } = setup((d, item) => {
      if (item === 'breaker') d.exec('ROLLBACK');
      else insert(d, item);
    });
    const results = await Promise.allSettled([
      group.enqueue('a'),
      group.enqueue('breaker'),
      group.enqueue('b'),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['rejected', 'rejected', 'rejected'],
    );
    assert.deepEqual(values(), []);
    assert.equal(db.inTransaction, false);
    await group.enqueue('c');
    assert.deepEqual(values(), ['c']);
    db.close();
  });
});
