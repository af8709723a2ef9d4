import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { GroupCommit, type GroupCommitOptions } from '../../../src/storage/sqlite/group-commit.js';

const turn = () => new Promise((r) => setImmediate(r));

/**
 * Items insert `v` into t and return `value:v`; an item named bad* inserts then throws; `orphan`
 * breaks a deferred foreign key, so the COMMIT of its batch fails; `breaker` ends the transaction
 * under the batch.
 */
function setup(opts: { db?: Database.Database; hooks?: Partial<GroupCommitOptions<string>> } = {}) {
  const db = opts.db ?? new Database(':memory:');
  db.exec('CREATE TABLE IF NOT EXISTS t (v TEXT PRIMARY KEY)');
  db.exec(`CREATE TABLE IF NOT EXISTS child (p TEXT REFERENCES t (v) DEFERRABLE INITIALLY DEFERRED)`);
  db.pragma('foreign_keys = ON');
  const log: string[] = [];
  const commits: unknown[][] = [];
  let batches = 0;
  const group = new GroupCommit<string>({
    db,
    run: (item) => {
      if (item === 'breaker') {
        db.exec('ROLLBACK');
        return 'value:breaker';
      }
      if (item === 'orphan') {
        db.prepare('INSERT INTO child (p) VALUES (?)').run('nobody');
        return 'value:orphan';
      }
      db.prepare('INSERT INTO t (v) VALUES (?)').run(item);
      if (item.startsWith('bad')) throw new Error(`rejected ${item}`);
      return `value:${item}`;
    },
    afterCommit: (values) => {
      commits.push(values);
      log.push(`afterCommit ${values.join(',')}`);
    },
    afterBatch: () => {
      batches += 1;
      log.push('afterBatch');
    },
    ...opts.hooks,
  });
  const values = (): string[] => db.prepare('SELECT v FROM t ORDER BY v').pluck().all() as string[];
  return { db, group, log, commits, batches: () => batches, values };
}

const dir = mkdtempSync(join(tmpdir(), 'switchboard-group-hooks-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('GroupCommit afterCommit and afterBatch', () => {
  it('afterCommit gets the values of the committed enqueue items only, in queue order', async () => {
    const { db, group, commits, values } = setup();
    const results = await Promise.allSettled([
      group.enqueue('a'),
      group.enqueueWork(() => 'work value', { durable: false }),
      group.enqueue('bad1'),
      group.enqueueWork(() => 'durable work value', { durable: true }),
      group.enqueue('b'),
    ]);
    assert.deepEqual(
      results.map((r) => (r.status === 'fulfilled' ? r.value : 'rejected')),
      [undefined, 'work value', 'rejected', 'durable work value', undefined],
    );
    assert.deepEqual(commits, [['value:a', 'value:b']]);
    assert.deepEqual(values(), ['a', 'b']);
    db.close();
  });

  it('runs afterCommit, then afterBatch, before any promise of the batch settles', async () => {
    const { db, group, log } = setup();
    const a = group.enqueue('a').then(() => log.push('a resolved'));
    const work = group.enqueueWork(() => 1, { durable: false }).then(() => log.push('work resolved'));
    const bad = group.enqueue('bad1').catch(() => log.push('bad1 rejected'));
    await Promise.all([a, work, bad]);
    assert.deepEqual(log.slice(0, 2), ['afterCommit value:a', 'afterBatch']);
    assert.deepEqual(log.slice(2).sort(), ['a resolved', 'bad1 rejected', 'work resolved']);
    db.close();
  });

  it('is called once per batch, each time with that batch’s values', async () => {
    const { db, group, commits, batches } = setup();
    await group.enqueue('a');
    await Promise.all([group.enqueue('b'), group.enqueue('c')]);
    await group.enqueue('d');
    assert.deepEqual(commits, [['value:a'], ['value:b', 'value:c'], ['value:d']]);
    assert.equal(batches(), 3);
    assert.deepEqual(group.stats, { batches: 3, items: 4 });
    db.close();
  });

  it('does not call afterCommit when COMMIT fails, but still runs afterBatch', async () => {
    const { db, group, log, commits, batches, values } = setup();
    const results = await Promise.allSettled([group.enqueue('a'), group.enqueue('orphan')]);
    assert.deepEqual(
      results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'fulfilled')),
      ['SqliteError: FOREIGN KEY constraint failed', 'SqliteError: FOREIGN KEY constraint failed'],
    );
    assert.deepEqual(commits, []);
    assert.equal(batches(), 1);
    assert.deepEqual(log, ['afterBatch']);
    assert.deepEqual(values(), []);
    assert.equal(db.inTransaction, false);

    await group.enqueue('c');
    assert.deepEqual(commits, [['value:c']]);
    assert.equal(batches(), 2);
    db.close();
  });

  it('does not call afterCommit when the transaction breaks mid-batch, but still runs afterBatch', async () => {
    const { db, group, log, commits, batches, values } = setup();
    const results = await Promise.allSettled([group.enqueue('a'), group.enqueue('breaker')]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['rejected', 'rejected'],
    );
    assert.deepEqual(commits, []);
    assert.equal(batches(), 1);
    assert.deepEqual(log, ['afterBatch']);
    assert.deepEqual(values(), []);

    await group.enqueue('c');
    assert.deepEqual(commits, [['value:c']]);
    assert.equal(batches(), 2);
    db.close();
  });

  it('does not call afterCommit when BEGIN fails (the database is locked), but still runs afterBatch', async () => {
    const file = join(dir, 'locked.db');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 0');
    const other = new Database(file);
    other.exec('CREATE TABLE IF NOT EXISTS t (v TEXT PRIMARY KEY)');
    const { group, commits, batches, values } = setup({ db });
    other.exec('BEGIN IMMEDIATE');
    await assert.rejects(group.enqueue('a'), /locked|busy/i);
    assert.deepEqual(commits, []);
    assert.equal(batches(), 1);

    other.exec('ROLLBACK');
    other.close();
    await group.enqueue('b');
    assert.deepEqual(commits, [['value:b']]);
    assert.equal(batches(), 2);
    assert.deepEqual(values(), ['b']);
    db.close();
  });

  it('a throwing afterCommit leaves the batch committed and resolved, and afterBatch still runs', async () => {
    let afterBatch = 0;
    const { db, group, values } = setup({
      hooks: {
        afterCommit: () => {
          throw new Error('hook failed');
        },
        afterBatch: () => void (afterBatch += 1),
      },
    });
    await Promise.all([group.enqueue('a'), group.enqueue('b')]);
    assert.deepEqual(values(), ['a', 'b']);
    assert.equal(afterBatch, 1);
    db.close();
  });

  it('with a sync, afterCommit runs at COMMIT, before the items wait for the sync', async () => {
    const syncs: Array<() => void> = [];
    const { db, group, log } = setup({
      hooks: { sync: () => new Promise<void>((resolve) => syncs.push(resolve)) },
    });
    const a = group.enqueue('a').then(() => log.push('a resolved'));
    await turn();
    await turn();
    assert.deepEqual(log, ['afterCommit value:a', 'afterBatch']);
    assert.equal(syncs.length, 1);
    syncs[0]!();
    await a;
    assert.deepEqual(log, ['afterCommit value:a', 'afterBatch', 'a resolved']);
    db.close();
  });
});
