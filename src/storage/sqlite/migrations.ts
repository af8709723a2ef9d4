import type Database from 'better-sqlite3';

/**
 * The SQLite schema, as an ordered list of migrations. Never edit a migration that has shipped;
 * append a new one with the next version instead. Applied versions are recorded in
 * `schema_migrations`, so `migrate()` only runs the missing ones.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE calls (
        id TEXT PRIMARY KEY,
        revision INTEGER NOT NULL,
        app_id TEXT NOT NULL,
        tenant_id TEXT NOT NULL,
        state TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        doc TEXT NOT NULL
      );
      CREATE INDEX calls_app_id ON calls (app_id);
      CREATE INDEX calls_state ON calls (state);
      CREATE INDEX calls_created_at ON calls (created_at);

      CREATE TABLE outbox (
        id TEXT PRIMARY KEY,
        call_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        url TEXT NOT NULL,
        body TEXT NOT NULL,
        run_at INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        locked_by TEXT,
        locked_at INTEGER,
        created_at INTEGER NOT NULL,
        last_error TEXT,
        UNIQUE (call_id, seq)
      );
      CREATE INDEX outbox_status_run_at ON outbox (status, run_at);

      CREATE TABLE delivery_attempts (
        outbox_id TEXT NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
        attempt INTEGER NOT NULL,
        at INTEGER NOT NULL,
        status INTEGER,
        latency_ms INTEGER NOT NULL,
        excerpt TEXT NOT NULL,
        PRIMARY KEY (outbox_id, attempt)
      );

      CREATE TABLE timers (
        id TEXT PRIMARY KEY,
        call_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        due_at INTEGER NOT NULL,
        payload TEXT NOT NULL
      );
      CREATE INDEX timers_due_at ON timers (due_at);

      CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'outbox: index pending rows only',
    // Claims and nextOutboxRunAt look only at pending rows: a partial index holds just those, stays
    // a few pages deep, and a delivered row leaves it instead of moving within an index of every row.
    sql: `
      DROP INDEX outbox_status_run_at;
      CREATE INDEX outbox_pending_run_at ON outbox (run_at) WHERE status = 'pending';
    `,
  },
  {
    version: 3,
    name: 'fewer b-trees per write; the call chain id in a column',
    // Every index is one more b-tree each insert, update or delete writes. Calls are listed only
    // newest first, so their app and state indexes go (a state change moved the call's entry in
    // calls_state). Timers and delivery attempts become WITHOUT ROWID tables: the row lives in its
    // primary key's b-tree instead of a rowid table plus a separate key index. A timer's `seq` takes
    // the place of its rowid as the tie-break between timers due at the same time (insertion order).
    // The chain id is what signing a notification needs besides app and tenant: as a column it is
    // read without the document.
    sql: `
      DROP INDEX calls_app_id;
      DROP INDEX calls_state;
      ALTER TABLE calls ADD COLUMN call_chain_id TEXT;
      UPDATE calls SET call_chain_id = json_extract(doc, '$.resource.callChainId')
        WHERE json_type(doc, '$.resource.callChainId') = 'text';

      CREATE TABLE timers_v3 (
        id TEXT PRIMARY KEY,
        call_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        due_at INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        payload TEXT NOT NULL
      ) WITHOUT ROWID;
      INSERT INTO timers_v3 (id, call_id, kind, due_at, seq, payload)
        SELECT id, call_id, kind, due_at, rowid, payload FROM timers;
      DROP TABLE timers;
      ALTER TABLE timers_v3 RENAME TO timers;
      CREATE INDEX timers_due_at_seq ON timers (due_at, seq);

      CREATE TABLE delivery_attempts_v3 (
        outbox_id TEXT NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
        attempt INTEGER NOT NULL,
        at INTEGER NOT NULL,
        status INTEGER,
        latency_ms INTEGER NOT NULL,
        excerpt TEXT NOT NULL,
        PRIMARY KEY (outbox_id, attempt)
      ) WITHOUT ROWID;
      INSERT INTO delivery_attempts_v3 SELECT outbox_id, attempt, at, status, latency_ms, excerpt
        FROM delivery_attempts;
      DROP TABLE delivery_attempts;
      ALTER TABLE delivery_attempts_v3 RENAME TO delivery_attempts;
    `,
  },
  {
    version: 4,
    name: 'timers: one row per call',
    // The call document now holds its timers' payloads (extra.timerPayloads) besides their due
    // times (extra.timers), and the store one row per call (id = call id, kind 'call'), due when
    // the call's earliest timer is. Rows of the earlier form (id 'callId:kind') become that.
    sql: `
      UPDATE calls SET doc = json_set(doc, '$.extra.timerPayloads', (
          SELECT json_group_object(t.kind, CASE WHEN json_valid(t.payload) THEN json(t.payload) END)
          FROM timers t WHERE t.call_id = calls.id))
        WHERE id IN (SELECT call_id FROM timers);
      CREATE TEMP TABLE call_next_timer AS
        SELECT call_id, MIN(due_at) AS due_at, MIN(seq) AS seq FROM timers GROUP BY call_id;
      DELETE FROM timers;
      INSERT INTO timers (id, call_id, kind, due_at, seq, payload)
        SELECT call_id, call_id, 'call', due_at, seq, '{}' FROM call_next_timer;
      DROP TABLE call_next_timer;
    `,
  },
];

/**
 * Applies every migration whose version is not yet recorded, each in its own transaction, in
 * version order. Returns the versions applied (empty when the schema is current).
 */
export function runMigrations(
  db: Database.Database,
  opts: { list?: readonly Migration[]; now?: () => number } = {},
): number[] {
  const list = [...(opts.list ?? migrations)].sort((a, b) => a.version - b.version);
  const now = opts.now ?? (() => Date.now());
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  )`);
  const applied = new Set(
    db
      .prepare('SELECT version FROM schema_migrations')
      .pluck()
      .all()
      .map((v) => Number(v)),
  );
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const done: number[] = [];
  for (const m of list) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, now());
    }).immediate();
    done.push(m.version);
  }
  return done;
}
