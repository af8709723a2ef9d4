import type Database from 'better-sqlite3';

/**
 * Group commit: work items queued in the same event-loop turn are flushed together on
 * setImmediate inside ONE transaction. With a `sync` function (durable file databases), the
 * transaction commits without waiting for the disk and the items resolve only after a `sync`
 * that started after their COMMIT has finished: the fsync runs on libuv's thread pool, so the
 * event loop keeps serving requests, and every batch committed meanwhile shares the next
 * fsync. Without `sync`, items resolve at COMMIT. Each item runs inside
 * its own SAVEPOINT, so an item that throws is rolled back alone and only its promise rejects;
 * every other item resolves once the COMMIT has succeeded. If BEGIN or COMMIT itself fails, the
 * whole batch is rolled back and every item still waiting rejects with that error.
 */
export interface GroupCommitOptions<T> {
  db: Database.Database;
  /** Runs one item's writes; throwing rolls back that item only. */
  run: (item: T) => unknown;
  /**
   * Called right after each COMMIT (before any promise settles) with the values `run` returned
   * for the items that batch committed; not called for a batch that rolled back.
   */
  afterCommit?: (values: unknown[]) => void;
  /** Called when a batch ends, committed or not (after afterCommit). */
  afterBatch?: () => void;
  /** Makes everything committed so far durable (fsync of the WAL), off the event loop. */
  sync?: () => Promise<void>;
}

export interface GroupCommitStats {
  /** Transactions committed (or attempted) by the group commit. */
  batches: number;
  /** Items that were part of those transactions. */
  items: number;
}

interface Waiting {
  /** The item's writes; its return value resolves the item's promise. */
  run: () => unknown;
  /** Resolve only after the WAL fsync (when there is a sync function). */
  durable: boolean;
  /** Queued by enqueue (not enqueueWork): its value goes to afterCommit. */
  isItem: boolean;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

export class GroupCommit<T> {
  readonly #db: Database.Database;
  readonly #run: (item: T) => unknown;
  readonly #afterCommit: ((values: unknown[]) => void) | undefined;
  readonly #afterBatch: (() => void) | undefined;
  #queue: Waiting[] = [];
  #scheduled: NodeJS.Immediate | null = null;
  readonly #stats: GroupCommitStats = { batches: 0, items: 0 };
  readonly #sync: (() => Promise<void>) | undefined;
  /** Committed, waiting for the next sync to start. */
  #awaitingSync: Array<{ resolve: () => void; reject: (err: unknown) => void }> = [];
  #syncing: Promise<void> | null = null;

  constructor(opts: GroupCommitOptions<T>) {
    this.#db = opts.db;
    this.#run = opts.run;
    this.#sync = opts.sync;
    this.#afterCommit = opts.afterCommit;
    this.#afterBatch = opts.afterBatch;
  }

  /** Resolves once everything committed before this call is durable. */
  durable(): Promise<void> {
    if (!this.#sync) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.#awaitingSync.push({ resolve, reject });
      this.#startSync();
    });
  }

  /** Resolves when no sync is running or waiting (close() calls it before closing). */
  async drain(): Promise<void> {
    while (this.#syncing) await this.#syncing;
  }

  readonly #statements = new Map<string, Database.Statement>();

  /** Runs a statement prepared once: savepoints run for every item of every batch. */
  #sql(sql: string): void {
    let statement = this.#statements.get(sql);
    if (!statement) this.#statements.set(sql, (statement = this.#db.prepare(sql)));
    statement.run();
  }

  #startSync(): void {
    if (this.#syncing || this.#awaitingSync.length === 0 || !this.#sync) return;
    const group = this.#awaitingSync;
    this.#awaitingSync = [];
    this.#syncing = this.#sync().then(
      () => group.forEach((w) => w.resolve()),
      (err: unknown) => group.forEach((w) => w.reject(err)),
    );
    void this.#syncing.finally(() => {
      this.#syncing = null;
      this.#startSync();
    });
  }

  /** Queues an item; the promise settles after the batch holding it commits (and is durable). */
  enqueue(item: T): Promise<void> {
    return this.#push(() => this.#run(item), { durable: true, isItem: true }).then(() => undefined);
  }

  /**
   * Queues any work for the next batch (e.g. the outbox's claim and delivery bookkeeping), so it
   * shares that transaction instead of committing on its own. It runs in its own SAVEPOINT like
   * every item; the promise gets its return value after COMMIT, and after the WAL fsync only when
   * `durable`.
   */
  enqueueWork<R>(run: () => R, opts: { durable: boolean }): Promise<R> {
    return this.#push(run, { durable: opts.durable, isItem: false });
  }

  #push<R>(run: () => R, opts: { durable: boolean; isItem: boolean }): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#queue.push({ run, ...opts, resolve: resolve as (value: unknown) => void, reject });
      this.#scheduled ??= setImmediate(() => this.flush());
    });
  }

  get pending(): number {
    return this.#queue.length;
  }

  get stats(): GroupCommitStats {
    return { ...this.#stats };
  }

  /** Commits everything queued so far, now (also called by close()). */
  flush(): void {
    try {
      this.#flush();
    } finally {
      this.#afterBatch?.();
    }
  }

  #flush(): void {
    if (this.#scheduled) clearImmediate(this.#scheduled);
    this.#scheduled = null;
    const batch = this.#queue;
    this.#queue = [];
    if (batch.length === 0) return;
    this.#stats.batches += 1;
    this.#stats.items += batch.length;

    try {
      this.#db.exec('BEGIN IMMEDIATE');
    } catch (err) {
      for (const w of batch) w.reject(err);
      return;
    }
    const committed: Array<{ w: Waiting; value: unknown }> = [];
    let next = 0;
    try {
      for (; next < batch.length; next++) {
        const w = batch[next] as Waiting;
        this.#sql('SAVEPOINT change_set');
        let outcome: { value: unknown } | { err: unknown };
        try {
          outcome = { value: w.run() };
        } catch (err) {
          outcome = { err };
        }
        if ('err' in outcome) {
          this.#sql('ROLLBACK TO change_set');
          this.#sql('RELEASE change_set');
          w.reject(outcome.err);
        } else {
          this.#sql('RELEASE change_set');
          committed.push({ w, value: outcome.value });
        }
      }
      this.#db.exec('COMMIT');
    } catch (err) {
      // The transaction itself broke: nothing of this batch is kept.
      try {
        if (this.#db.inTransaction) this.#db.exec('ROLLBACK');
      } catch {
        // SQLite already ended the transaction on its own; nothing is left to undo.
      }
      for (const { w } of committed) w.reject(err);
      for (const w of batch.slice(next)) w.reject(err);
      return;
    }
    if (this.#afterCommit) {
      const values = committed.filter(({ w }) => w.isItem).map(({ value }) => value);
      try {
        this.#afterCommit(values);
      } catch {
        // The hook is the caller's; the batch is committed whatever it does.
      }
    }
    let waitsForSync = false;
    for (const { w, value } of committed) {
      if (!this.#sync || !w.durable) w.resolve(value);
      else {
        this.#awaitingSync.push({ resolve: () => w.resolve(value), reject: w.reject });
        waitsForSync = true;
      }
    }
    if (waitsForSync) this.#startSync();
  }
}
