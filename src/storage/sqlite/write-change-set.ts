import type Database from 'better-sqlite3';
import { ConflictError, type ChangeSet, type OutboxRow } from '../store.js';
import { callParams } from './rows.js';

export interface WriteChangeSetOptions {
  changes: ChangeSet;
  /** Returns a (cached) prepared statement for the SQL. */
  stmt: (sql: string) => Database.Statement;
  /**
   * Locks outbox rows for a dispatcher as they are inserted: asked for every row (`heldBack`: an
   * earlier row of its call is still pending, so it must not be locked), it answers the owner and
   * lock time, or null to leave the row unlocked.
   */
  lockFor?: (row: { runAt: number }, opts: { heldBack: boolean }) => { owner: string; now: number } | null;
  /** The next timer `seq` (insertion order, the tie-break between timers due at the same time). */
  nextTimerSeq: () => number;
}

/** Bound to the OutboxRow it inserts (better-sqlite3 ignores the row's other fields). */
const INSERT_OUTBOX = `INSERT INTO outbox (id, call_id, seq, url, body, run_at, status, attempts, created_at, locked_by, locked_at)
  VALUES (@id, @callId, @seq, @url, @body, @runAt, @status, @attempts, @createdAt, @lockedBy, @lockedAt)`;

/** A call's last outbox seq (0 without rows) and whether it has a pending row, in one pass over its rows. */
export function callOutbox(
  stmt: WriteChangeSetOptions['stmt'],
  callId: string,
): { lastSeq: number; pending: boolean } {
  const sql = `SELECT MAX(seq) AS seq, MAX(status = 'pending') AS pending FROM outbox WHERE call_id = ?`;
  const r = stmt(sql).get(callId) as { seq: number | null; pending: number | null };
  return { lastSeq: r.seq ?? 0, pending: r.pending === 1 };
}

/**
 * Writes one change set. Must run inside a transaction or savepoint: it throws on the first
 * failing part (ConflictError for a revision mismatch, a SqliteError for a duplicate outbox id)
 * and leaves the rollback to the caller.
 *
 * Order: call saves, outbox rows, timer cancellations, timer inserts (so cancelling and
 * re-adding the same timer id in one change set reschedules it).
 *
 * A call insert (expectedRevision null) stores `record.revision` exactly as given; an update
 * stores `record.revision` as given too (the caller passes the bumped revision).
 *
 * Returns the outbox rows it inserted locked (see `lockFor`).
 */
export function writeChangeSet({ changes, stmt, lockFor, nextTimerSeq }: WriteChangeSetOptions): OutboxRow[] {
  const locked: OutboxRow[] = [];
  for (const save of changes.calls ?? []) {
    const params = callParams(save.record);
    if (save.expectedRevision === null) {
      const r = stmt(
        `INSERT INTO calls (id, revision, app_id, tenant_id, state, created_at, updated_at, doc, call_chain_id)
         VALUES (@id, @revision, @app_id, @tenant_id, @state, @created_at, @updated_at, @doc, @call_chain_id)
         ON CONFLICT (id) DO NOTHING`,
      ).run(params);
      if (r.changes === 0) throw new ConflictError(`call ${save.record.id} already exists`);
    } else {
      const r = stmt(
        // app_id, tenant_id, created_at and call_chain_id never change after the insert, so SET leaves
        // them out (and created_at's index entry is never rewritten).
        `UPDATE calls SET revision = @revision, state = @state, updated_at = @updated_at, doc = @doc
         WHERE id = @id AND revision = @expected`,
      ).run({ ...params, expected: save.expectedRevision });
      if (r.changes === 0) {
        throw new ConflictError(
          `call ${save.record.id} is not at revision ${save.expectedRevision} (changed or missing)`,
        );
      }
    }
  }

  for (const row of changes.outbox ?? []) {
    const prior = callOutbox(stmt, row.callId);
    const seq = prior.lastSeq + 1;
    const lock = lockFor?.(row, { heldBack: prior.pending }) ?? null;
    const inserted: OutboxRow = {
      id: row.id,
      callId: row.callId,
      url: row.url,
      body: row.body,
      runAt: row.runAt,
      seq,
      status: 'pending',
      attempts: 0,
      lockedBy: lock?.owner ?? null,
      lockedAt: lock?.now ?? null,
      createdAt: changes.now,
      lastError: null,
    };
    stmt(INSERT_OUTBOX).run(inserted);
    if (lock) locked.push(inserted);
  }

  for (const id of changes.cancelTimers ?? []) {
    stmt('DELETE FROM timers WHERE id = ?').run(id);
  }

  for (const t of changes.timers ?? []) {
    stmt(
      // A re-armed timer keeps its seq, as a row kept its rowid.
      `INSERT INTO timers (id, call_id, kind, due_at, seq, payload)
       VALUES (@id, @callId, @kind, @dueAt, @seq, @payload)
       ON CONFLICT (id) DO UPDATE SET call_id = excluded.call_id, kind = excluded.kind,
         due_at = excluded.due_at, payload = excluded.payload`,
    ).run({
      id: t.id,
      callId: t.callId,
      kind: t.kind,
      dueAt: t.dueAt,
      seq: nextTimerSeq(),
      payload: t.payload,
    });
  }
  return locked;
}
