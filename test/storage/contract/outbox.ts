import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Store } from '../../../src/storage/store.js';
import { attempt, box, freshRow } from './fixtures.js';

export function registerOutboxCases(store: () => Store): void {
  describe('outbox rows', () => {
    it('assigns seq 1, 2, 3... per call, across change sets, and stamps createdAt with now', async () => {
      const s = store();
      await s.apply({ now: 100, outbox: [box('a1', 'A', 100), box('b1', 'B', 100), box('a2', 'A', 150)] });
      await s.apply({ now: 200, outbox: [box('a3', 'A', 200)] });
      assert.deepEqual(await s.getOutbox('a1'), freshRow(box('a1', 'A', 100), 1, 100));
      assert.deepEqual(await s.getOutbox('a2'), freshRow(box('a2', 'A', 150), 2, 100));
      assert.deepEqual(await s.getOutbox('a3'), freshRow(box('a3', 'A', 200), 3, 200));
      assert.deepEqual(await s.getOutbox('b1'), freshRow(box('b1', 'B', 100), 1, 100));
      assert.equal(await s.getOutbox('zz'), undefined);
    });

    it('listOutbox orders by call then seq and filters by callId, status and limit', async () => {
      const s = store();
      await s.apply({ now: 1, outbox: [box('b1', 'B'), box('a1', 'A'), box('b2', 'B'), box('a2', 'A')] });
      await s.completeOutbox('a1', attempt('a1', 1, { status: 202 }));
      const ids = (rows: { id: string }[]): string[] => rows.map((r) => r.id);
      assert.deepEqual(ids(await s.listOutbox({})), ['a1', 'a2', 'b1', 'b2']);
      assert.deepEqual(ids(await s.listOutbox({ callId: 'B' })), ['b1', 'b2']);
      assert.deepEqual(ids(await s.listOutbox({ status: 'pending' })), ['a2', 'b1', 'b2']);
      assert.deepEqual(ids(await s.listOutbox({ status: 'delivered' })), ['a1']);
      assert.deepEqual(ids(await s.listOutbox({ callId: 'A', status: 'pending' })), ['a2']);
      assert.deepEqual(ids(await s.listOutbox({ limit: 3 })), ['a1', 'a2', 'b1']);
      assert.deepEqual(ids(await s.listOutbox({ status: 'failed' })), []);
    });

    it('completeOutbox records the attempt, marks the row delivered and clears the lock', async () => {
      const s = store();
      await s.apply({ now: 1, outbox: [box('o1', 'A', 1)] });
      await s.claimOutbox({ now: 5, owner: 'w1', limit: 10, staleLockMs: 1_000 });
      const ok = attempt('o1', 1, { status: 202, excerpt: '', latencyMs: 3 });
      await s.completeOutbox('o1', ok);
      assert.deepEqual(await s.getOutbox('o1'), {
        ...freshRow(box('o1', 'A', 1), 1, 1),
        status: 'delivered',
        attempts: 1,
      });
      assert.deepEqual(await s.listAttempts('o1'), [ok]);
    });

    it('failOutbox reschedules with nextRunAt, or marks failed with null; attempts counts the log', async () => {
      const s = store();
      await s.apply({ now: 1, outbox: [box('o1', 'A', 1)] });
      await s.claimOutbox({ now: 5, owner: 'w1', limit: 10, staleLockMs: 1_000 });
      const first = attempt('o1', 1, { status: null, excerpt: 'connect ECONNREFUSED' });
      await s.failOutbox('o1', first, 2_000);
      assert.deepEqual(await s.getOutbox('o1'), {
        ...freshRow(box('o1', 'A', 2_000), 1, 1),
        attempts: 1,
        lastError: 'connect ECONNREFUSED',
      });
      await s.claimOutbox({ now: 2_000, owner: 'w2', limit: 10, staleLockMs: 1_000 });
      const second = attempt('o1', 2, { status: 503, excerpt: 'Service Unavailable' });
      await s.failOutbox('o1', second, null);
      assert.deepEqual(await s.getOutbox('o1'), {
        ...freshRow(box('o1', 'A', 2_000), 1, 1),
        status: 'failed',
        attempts: 2,
        lastError: 'Service Unavailable',
      });
      assert.deepEqual(await s.listAttempts('o1'), [first, second]);
    });

    it('listAttempts orders by attempt number and is empty for unknown rows', async () => {
      const s = store();
      await s.apply({ now: 1, outbox: [box('o1', 'A'), box('o2', 'B')] });
      await s.failOutbox('o1', attempt('o1', 2), 10);
      await s.failOutbox('o2', attempt('o2', 1), 10);
      await s.failOutbox('o1', attempt('o1', 1), 20);
      assert.deepEqual(await s.listAttempts('o1'), [attempt('o1', 1), attempt('o1', 2)]);
      assert.deepEqual(await s.listAttempts('o2'), [attempt('o2', 1)]);
      assert.equal((await s.getOutbox('o1'))?.attempts, 2);
      assert.deepEqual(await s.listAttempts('nope'), []);
    });

    it('complete/fail of an unknown id resolve and record nothing', async () => {
      const s = store();
      await s.completeOutbox('ghost', attempt('ghost', 1));
      await s.failOutbox('ghost', attempt('ghost', 1), 5);
      await s.failOutbox('ghost', attempt('ghost', 1), null);
      assert.deepEqual(await s.listAttempts('ghost'), []);
      assert.equal(await s.getOutbox('ghost'), undefined);
    });

    it('replayOutbox puts a failed row back to pending at now; false for any other row', async () => {
      const s = store();
      await s.apply({ now: 1, outbox: [box('o1', 'A', 1), box('o2', 'B', 1)] });
      await s.failOutbox('o1', attempt('o1', 1), null);
      assert.equal(await s.replayOutbox('o1', 9_000), true);
      assert.deepEqual(await s.getOutbox('o1'), {
        ...freshRow(box('o1', 'A', 9_000), 1, 1),
        attempts: 1,
        lastError: 'boom 1',
      });
      assert.equal(await s.replayOutbox('o1', 9_500), false);
      assert.equal((await s.getOutbox('o1'))?.runAt, 9_000);
      assert.equal(await s.replayOutbox('o2', 9_000), false);
      assert.equal(await s.replayOutbox('ghost', 9_000), false);
      await s.completeOutbox('o2', attempt('o2', 1, { status: 200 }));
      assert.equal(await s.replayOutbox('o2', 9_000), false);
      assert.equal((await s.getOutbox('o2'))?.status, 'delivered');
    });

    it('retargetOutbox changes the url of the pending rows of that call only', async () => {
      const s = store();
      await s.apply({ now: 1, outbox: [box('a1', 'A'), box('a2', 'A'), box('a3', 'A'), box('b1', 'B')] });
      await s.completeOutbox('a1', attempt('a1', 1, { status: 200 }));
      await s.failOutbox('a2', attempt('a2', 1), null);
      await s.retargetOutbox('A', 'https://moved.example.com/cb');
      const urls = (await s.listOutbox({})).map((r) => [r.id, r.url]);
      assert.deepEqual(urls, [
        ['a1', 'https://bot.example.com/A'],
        ['a2', 'https://bot.example.com/A'],
        ['a3', 'https://moved.example.com/cb'],
        ['b1', 'https://bot.example.com/B'],
      ]);
    });

    it('nextOutboxRunAt is the earliest runAt among pending rows, or null', async () => {
      const s = store();
      assert.equal(await s.nextOutboxRunAt(), null);
      await s.apply({ now: 1, outbox: [box('a1', 'A', 500), box('b1', 'B', 300), box('c1', 'C', 400)] });
      assert.equal(await s.nextOutboxRunAt(), 300);
      await s.completeOutbox('b1', attempt('b1', 1, { status: 200 }));
      assert.equal(await s.nextOutboxRunAt(), 400);
      await s.failOutbox('c1', attempt('c1', 1), null);
      assert.equal(await s.nextOutboxRunAt(), 500);
      await s.failOutbox('a1', attempt('a1', 1), 700);
      assert.equal(await s.nextOutboxRunAt(), 700);
      await s.completeOutbox('a1', attempt('a1', 2, { status: 200 }));
      assert.equal(await s.nextOutboxRunAt(), null);
    });
  });
}
