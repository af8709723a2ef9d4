import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { CallRecord } from '../../domain/call-document.js';
import type {
  CallOwner,
  ChangeSet,
  DeliveryAttempt,
  ListCallsQuery,
  OutboxHandoff,
  OutboxRow,
  OutboxStatus,
  Store,
  TimerInput,
} from '../store.js';
import { GroupCommit, type GroupCommitStats } from './group-commit.js';
import { runMigrations } from './migrations.js';
import {
  toAttempt,
  toCallRecord,
  toOutboxRow,
  toTimer,
  type AttemptColumns,
  type CallColumns,
  type OutboxColumns,
  type TimerColumns,
} from './rows.js';
import { WalSync } from './wal-sync.js';
import { callOutbox, writeChangeSet } from './write-change-set.js';

export interface SqliteStoreOptions {
  /** A file path (its directory is created if missing) or ':memory:'. */
  file: string;
  /**
   * 'full' (default): a write resolves only after its commit is on disk (the WAL is fsynced off
   * the event loop, shared by every commit made meanwhile). 'normal': synchronous=NORMAL, commits
   * survive a process crash but not a power loss.
   */
  durability?: 'full' | 'normal';
  /** How long a write waits for a lock held by another connection, in ms. Default 5000. */
  busyTimeoutMs?: number;
}

/**
 * The embedded Store backend. better-sqlite3 is synchronous, so every method runs its SQL to
 * completion before returning its promise; `apply` alone is deferred to the group commit.
 * Unknown outbox ids given to completeOutbox/failOutbox are ignored (the row may have been
 * removed by reset() while it was being delivered).
 */
export class SqliteStore implements Store {
  readonly #db: Database.Database;
  readonly #group: GroupCommit<ChangeSet>;
  readonly #statements = new Map<string, Database.Statement>();
  readonly #wal: WalSync | null;
  #closed = false;
  /** Registered handoffs, oldest first: the last one takes the rows. */
  #handoffs: OutboxHandoff[] = [];
  /** Rows the batch being written locked for the handoff's owner (handed over or claimed). */
  #takenInBatch = 0;
  /** The last timer seq given out; read from the table at the first timer insert. */
  #timerSeq: number | undefined;

  constructor(opts: SqliteStoreOptions) {
    const memory = opts.file === ':memory:' || opts.file === '';
    if (!memory) mkdirSync(dirname(opts.file), { recursive: true });
    this.#db = new Database(opts.file);
    if (!memory) this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('foreign_keys = ON');
    this.#db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(opts.busyTimeoutMs ?? 5000))}`);
    // NORMAL in WAL mode: COMMIT does not wait for the disk; 'full' adds our own WAL fsync.
    this.#db.pragma('synchronous = NORMAL');
    const durable = !memory && (opts.durability ?? 'full') === 'full';
    this.#wal = durable ? new WalSync(`${opts.file}-wal`) : null;
    this.#group = new GroupCommit<ChangeSet>({
      db: this.#db,
      run: (changes) => {
        const taken = this.#takenInBatch;
        try {
          return writeChangeSet({
            changes,
            stmt: (sql) => this.#stmt(sql),
            lockFor: (row, o) => this.#lockFor(row, o),
            nextTimerSeq: () => this.#nextTimerSeq(),
          });
        } catch (error) {
          // The change set rolls back: the rows it locked were never inserted.
          this.#takenInBatch = taken;
          throw error;
        }
      },
      afterCommit: (values) => this.#handOver(values as OutboxRow[][]),
      afterBatch: () => {
        this.#takenInBatch = 0;
      },
      sync: this.#wal ? () => this.#wal!.sync() : undefined,
    });
  }

  setOutboxHandoff(handoff: OutboxHandoff): void {
    this.#handoffs = [...this.#handoffs.filter((h) => h.owner !== handoff.owner), handoff];
  }

  clearOutboxHandoff(owner: string): void {
    this.#handoffs = this.#handoffs.filter((h) => h.owner !== owner);
  }

  /** The handoff that takes committed rows now, if any. */
  get #handoff(): OutboxHandoff | null {
    return this.#handoffs.at(-1) ?? null;
  }

  #lockFor(row: { runAt: number }, opts: { heldBack: boolean }): { owner: string; now: number } | null {
    const handoff = this.#handoff;
    if (!handoff) return null;
    const now = handoff.now();
    if (opts.heldBack || row.runAt > now || handoff.available() - this.#takenInBatch <= 0) {
      handoff.later();
      return null;
    }
    this.#takenInBatch += 1;
    return { owner: handoff.owner, now };
  }

  #nextTimerSeq(): number {
    this.#timerSeq ??= Number(this.#stmt('SELECT MAX(seq) FROM timers').pluck().get() ?? 0);
    return ++this.#timerSeq;
  }

  #handOver(locked: OutboxRow[][]): void {
    const rows = locked.flat();
    if (rows.length > 0) this.#handoff?.take(rows);
  }

  /** How many group-commit transactions ran and how many change sets they held. */
  get groupCommitStats(): GroupCommitStats {
    return this.#group.stats;
  }

  async migrate(): Promise<void> {
    this.#open();
    runMigrations(this.#db);
  }

  /** Queued for the group commit; the change set is read when the batch flushes, so do not mutate it. */
  apply(changes: ChangeSet): Promise<void> {
    if (this.#closed) return Promise.reject(closedError());
    return this.#group.enqueue(changes);
  }

  async getCall(id: string): Promise<CallRecord | undefined> {
    this.#open();
    const row = this.#stmt('SELECT * FROM calls WHERE id = ?').get(id) as CallColumns | undefined;
    return row ? toCallRecord(row) : undefined;
  }

  async getCallOwner(id: string): Promise<CallOwner | undefined> {
    this.#open();
    return this.#stmt(
      'SELECT app_id AS appId, tenant_id AS tenantId, call_chain_id AS callChainId FROM calls WHERE id = ?',
    ).get(id) as CallOwner | undefined;
  }

  async listCalls(query: ListCallsQuery = {}): Promise<CallRecord[]> {
    this.#open();
    const rows = this.#stmt(
      `SELECT * FROM calls
       WHERE (@appId IS NULL OR app_id = @appId) AND (@state IS NULL OR state = @state)
       ORDER BY created_at DESC, rowid DESC LIMIT @limit`,
    ).all({ appId: query.appId ?? null, state: query.state ?? null, limit: limitOf(query.limit) });
    return (rows as CallColumns[]).map(toCallRecord);
  }

  async claimOutbox(opts: {
    now: number;
    owner: string;
    limit: number;
    staleLockMs: number;
  }): Promise<OutboxRow[]> {
    this.#open();
    if (opts.limit <= 0) return [];
    const select = this.#stmt(
      `SELECT o.id FROM outbox o
       WHERE o.status = 'pending' AND o.run_at <= @now
         AND (o.locked_by IS NULL OR o.locked_at <= @now - @staleLockMs)
         AND o.seq = (SELECT MIN(p.seq) FROM outbox p WHERE p.call_id = o.call_id AND p.status = 'pending')
       ORDER BY o.run_at, o.rowid -- the pending rows' run_at index order: no sort, LIMIT stops early
       LIMIT @limit`,
    ).pluck();
    const lock = this.#stmt(
      'UPDATE outbox SET locked_by = @owner, locked_at = @now WHERE id = @id RETURNING *',
    );
    // Part of the next group-commit batch: claims share its transaction instead of each committing.
    return this.#group.enqueueWork(
      () => {
        // The handoff's owner has only the slots its dispatcher has free now, less what this
        // batch already handed over to it.
        const handoff = this.#handoff;
        const ours = handoff?.owner === opts.owner ? handoff : null;
        const limit = ours ? Math.min(opts.limit, ours.available() - this.#takenInBatch) : opts.limit;
        const ids = limit > 0 ? select.all({ now: opts.now, staleLockMs: opts.staleLockMs, limit }) : [];
        if (ours) {
          this.#takenInBatch += ids.length;
          // Capped below what was asked and filled: more rows may be waiting for a slot.
          if (limit < opts.limit && ids.length === Math.max(limit, 0)) ours.later();
        }
        return ids.map((id) =>
          toOutboxRow(lock.get({ id, owner: opts.owner, now: opts.now }) as OutboxColumns),
        );
      },
      { durable: false },
    );
  }

  async releaseOutboxLocks(opts: { exceptOwner: string }): Promise<number> {
    this.#open();
    const r = this.#stmt(
      `UPDATE outbox SET locked_by = NULL, locked_at = NULL
       WHERE locked_by IS NOT NULL AND locked_by <> @exceptOwner`,
    ).run({ exceptOwner: opts.exceptOwner });
    await this.#group.durable();
    return r.changes;
  }

  /**
   * Delivery bookkeeping does not wait for the WAL fsync: a result lost to a power cut only means
   * the notification is sent again (at least once), and the dispatcher's slot is free at once.
   */
  async completeOutbox(id: string, attempt: DeliveryAttempt): Promise<void> {
    this.#open();
    await this.#finishAttempt(id, attempt, () =>
      this.#stmt(
        // Attempt numbers run 1, 2, 3... (a number recorded again replaces its entry): the highest
        // one is the number of attempts logged.
        `UPDATE outbox SET status = 'delivered', locked_by = NULL, locked_at = NULL,
           attempts = MAX(attempts, @attempt)
         WHERE id = @id RETURNING call_id`,
      )
        .pluck()
        .get({ id, attempt: attempt.attempt }),
    );
  }

  async failOutbox(id: string, attempt: DeliveryAttempt, nextRunAt: number | null): Promise<void> {
    this.#open();
    await this.#finishAttempt(id, attempt, () =>
      this.#stmt(
        `UPDATE outbox SET locked_by = NULL, locked_at = NULL, last_error = @error,
           status = CASE WHEN @nextRunAt IS NULL THEN 'failed' ELSE 'pending' END,
           run_at = COALESCE(@nextRunAt, run_at),
           attempts = MAX(attempts, @attempt)
         WHERE id = @id RETURNING call_id`,
      )
        .pluck()
        .get({ id, error: attempt.excerpt, nextRunAt, attempt: attempt.attempt }),
    );
  }

  async replayOutbox(id: string, now: number): Promise<boolean> {
    this.#open();
    const r = this.#stmt(
      `UPDATE outbox SET status = 'pending', run_at = @now, locked_by = NULL, locked_at = NULL
       WHERE id = @id AND status = 'failed'`,
    ).run({ id, now });
    await this.#group.durable();
    return r.changes > 0;
  }

  async retargetOutbox(callId: string, url: string): Promise<void> {
    this.#open();
    this.#stmt(`UPDATE outbox SET url = ? WHERE call_id = ? AND status = 'pending'`).run(url, callId);
    await this.#group.durable();
  }

  async getOutbox(id: string): Promise<OutboxRow | undefined> {
    this.#open();
    const row = this.#stmt('SELECT * FROM outbox WHERE id = ?').get(id) as OutboxColumns | undefined;
    return row ? toOutboxRow(row) : undefined;
  }

  async listOutbox(query: { callId?: string; status?: OutboxStatus; limit?: number }): Promise<OutboxRow[]> {
    this.#open();
    const rows = this.#stmt(
      `SELECT * FROM outbox
       WHERE (@callId IS NULL OR call_id = @callId) AND (@status IS NULL OR status = @status)
       ORDER BY call_id, seq LIMIT @limit`,
    ).all({ callId: query.callId ?? null, status: query.status ?? null, limit: limitOf(query.limit) });
    return (rows as OutboxColumns[]).map(toOutboxRow);
  }

  async listAttempts(outboxId: string): Promise<DeliveryAttempt[]> {
    this.#open();
    const rows = this.#stmt('SELECT * FROM delivery_attempts WHERE outbox_id = ? ORDER BY attempt').all(
      outboxId,
    );
    return (rows as AttemptColumns[]).map(toAttempt);
  }

  async nextOutboxRunAt(): Promise<number | null> {
    this.#open();
    const v = this.#stmt(`SELECT MIN(run_at) FROM outbox WHERE status = 'pending'`).pluck().get();
    return typeof v === 'number' ? v : null;
  }

  async dueTimers(now: number, limit: number): Promise<TimerInput[]> {
    this.#open();
    const rows = this.#stmt(
      'SELECT id, call_id, kind, due_at, payload FROM timers WHERE due_at <= ? ORDER BY due_at, seq LIMIT ?',
    ).all(now, limitOf(limit));
    return (rows as TimerColumns[]).map(toTimer);
  }

  async nextTimerDueAt(): Promise<number | null> {
    this.#open();
    const v = this.#stmt('SELECT MIN(due_at) FROM timers').pluck().get();
    return typeof v === 'number' ? v : null;
  }

  async getMeta(key: string): Promise<string | undefined> {
    this.#open();
    const v = this.#stmt('SELECT value FROM meta WHERE key = ?').pluck().get(key);
    return typeof v === 'string' ? v : undefined;
  }

  async setMeta(key: string, value: string): Promise<void> {
    this.#open();
    this.#stmt(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ).run(key, value);
    await this.#group.durable();
  }

  async reset(): Promise<void> {
    this.#open();
    this.#group.flush();
    this.#db
      .transaction(() => {
        for (const table of ['delivery_attempts', 'outbox', 'timers', 'calls']) {
          this.#stmt(`DELETE FROM ${table}`).run();
        }
      })
      .immediate();
    await this.#group.durable();
  }

  /** Commits any queued change sets, then closes the database. Calling it again does nothing. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#group.flush();
    this.#closed = true;
    await this.#group.drain();
    await this.#wal?.close();
    this.#statements.clear();
    this.#db.close();
  }

  /**
   * Runs `update` on the row (it answers the row's call id, or undefined for an unknown id) and
   * records the attempt, together; no-op for unknown ids.
   */
  #finishAttempt(id: string, attempt: DeliveryAttempt, update: () => unknown): Promise<void> {
    // Part of the next group-commit batch, without waiting for its fsync (see completeOutbox).
    return this.#group.enqueueWork(
      () => {
        const callId = update();
        if (typeof callId !== 'string') return;
        this.#stmt(
          `INSERT INTO delivery_attempts (outbox_id, attempt, at, status, latency_ms, excerpt)
           VALUES (@outboxId, @attempt, @at, @status, @latencyMs, @excerpt)
           ON CONFLICT (outbox_id, attempt) DO UPDATE SET at = excluded.at, status = excluded.status,
             latency_ms = excluded.latency_ms, excerpt = excluded.excerpt`,
        ).run({
          outboxId: id,
          attempt: attempt.attempt,
          at: attempt.at,
          status: attempt.status,
          latencyMs: attempt.latencyMs,
          excerpt: attempt.excerpt,
        });
        // The call's next row (held back behind this one) may be claimable now.
        if (this.#handoff && callOutbox((sql) => this.#stmt(sql), callId).pending) this.#handoff.later();
      },
      { durable: false },
    );
  }

  #stmt(sql: string): Database.Statement {
    let s = this.#statements.get(sql);
    if (!s) {
      s = this.#db.prepare(sql);
      this.#statements.set(sql, s);
    }
    return s;
  }

  #open(): void {
    if (this.#closed) throw closedError();
  }
}

function closedError(): Error {
  return new Error('SqliteStore is closed');
}

/** SQLite reads LIMIT -1 as "no limit". */
function limitOf(limit: number | undefined): number {
  return limit === undefined ? -1 : Math.max(0, Math.trunc(limit));
}
