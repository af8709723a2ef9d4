// The OutboxDispatcher alone, in this process, draining an existing outbox (the database a
// Switchboard run left behind) into the receiver: every row is put back to pending and due now,
// then a dispatcher with the given concurrency and store durability delivers them all.
// lookupCall is the one `switchboard start` uses (store.getCall per row).
import Database from 'better-sqlite3';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadOrCreateSigningKeys } from '../../dist/src/auth/signing-keys.js';
import { systemClock } from '../../dist/src/domain/clock.js';
import { OutboxDispatcher } from '../../dist/src/outbox/dispatcher.js';
import { SqliteStore } from '../../dist/src/storage/sqlite/sqlite-store.js';

/**
 * The first `rows` rows (by insertion) become pending again, keeping their runAt (all in the past,
 * so due now, in their original order); the others count as delivered.
 */
function resetOutbox(file, rows) {
  const db = new Database(file);
  db.exec(`UPDATE outbox SET status = 'delivered', locked_by = NULL, locked_at = NULL`);
  db.prepare(
    `UPDATE outbox SET status = 'pending', attempts = 0, last_error = NULL
     WHERE rowid IN (SELECT rowid FROM outbox ORDER BY rowid LIMIT ?)`,
  ).run(rows);
  db.exec('DELETE FROM delivery_attempts');
  const pending = db.prepare(`SELECT COUNT(*) FROM outbox WHERE status = 'pending'`).pluck().get();
  db.close();
  return pending;
}

/** Drains `rows` rows of the outbox of `file` once; returns { rows, delivered, failed, seconds, rate }. */
export async function drainOnce({ file, rows: wanted, concurrency, durability }) {
  const rows = resetOutbox(file, wanted);
  const store = new SqliteStore({ file, durability });
  await store.migrate();
  let delivered = 0;
  let failed = 0;
  const dispatcher = new OutboxDispatcher({
    store,
    clock: systemClock,
    keys: await loadOrCreateSigningKeys({ store, now: Date.now() }),
    issuer: 'https://graph.microsoft.com',
    concurrency,
    lookupCall: async (callId) => {
      const call = await store.getCall(callId);
      if (!call) return undefined;
      const chain = call.doc.resource.callChainId;
      return {
        appId: call.appId,
        tenantId: call.tenantId,
        ...(typeof chain === 'string' ? { callChainId: chain } : {}),
      };
    },
    onEvent: (event) => {
      if (event.type === 'delivered') delivered++;
      else if (event.type !== 'retrying') failed++;
    },
  });
  const started = performance.now();
  dispatcher.start();
  const end = started + 60_000;
  while (delivered + failed < rows && performance.now() < end) await sleep(5);
  const seconds = (performance.now() - started) / 1000;
  await dispatcher.stop();
  await store.close();
  return { rows, delivered, failed, seconds, rate: delivered / seconds };
}
