import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Store } from '../../../src/storage/store.js';
import { attempt, box, freshRow } from './fixtures.js';

const claim = (s: Store, now: number, owner = 'w1', limit = 10, staleLockMs = 1_000) =>
  s.claimOutbox({ now, owner, limit, staleLockMs });
const ids = (rows: { id: string }[]): string[] => rows.map((r) => r.id);

export function registerClaimCases(store: () => Store): void {
  describe('claimOutbox', () => {
    it('claims due rows (runAt <= now), locks them and returns the locked rows', async () => {
      const s = store();
      await s.apply({ now: 1, outbox: [box('a1', 'A', 100), box('b1', 'B', 101)] });
      assert.deepEqual(await claim(s, 99), []);
      const claimed = await claim(s, 100, 'worker-7');
      assert.deepEqual(claimed, [
        { ...freshRow(box('a1', 'A', 100), 1, 1), lockedBy: 'worker-7', lockedAt: 100 },
      ]);
      assert.deepEqual(await s.getOutbox('a1'), claimed[0]);
      assert.deepEqual(await s.getOutbox('b1'), freshRow(box('b1', 'B', 101), 1, 1));
    });

    it('returns at most one row per call: its lowest pending seq', async () => {
      const s = store();
      await s.apply({
        now: 1,
        outbox: [box('a1', 'A', 10), box('a2', 'A', 10), box('b1', 'B', 10), box('a3', 'A', 10)],
      });
      assert.deepEqual(ids(await claim(s, 50)), ['a1', 'b1']);
    });

    it('a call whose lowest pending row is locked yields nothing until the lock goes stale', async () => {
      const s = store();
      await s.apply({ now: 1, outbox: [box('a1', 'A', 10), box('a2', 'A', 10)] });
      assert.deepEqual(ids(await claim(s, 100, 'w1', 10, 1_000)), ['a1']);
      assert.deepEqual(await claim(s, 200, 'w2', 10, 1_000), []);
      assert.deepEqual(await claim(s, 1_099, 'w2', 10, 1_000), []);
      const reclaimed = await claim(s, 1_100, 'w2', 10, 1_000);
      assert.deepEqual(reclaimed, [
        { ...freshRow(box('a1', 'A', 10), 1, 1), lockedBy: 'w2', lockedAt: 1_100 },
      ]);
    });

    it('a lowest pending row that is not yet due holds back the later rows of its call', async () => {
      const s = store();
      await s.apply({ now: 1, outbox: [box('a1', 'A', 500), box('a2', 'A', 10), box('b1', 'B', 10)] });
      assert.deepEqual(ids(await claim(s, 100)), ['b1']);
      assert.deepEqual(ids(await claim(s, 500)), ['a1']);
    });

    it('orders by runAt, then creation order, and honours limit', async () => {
      const s = store();
      await s.apply({ now: 1, outbox: [box('c1', 'C', 300)] });
      await s.apply({ now: 2, outbox: [box('d1', 'D', 200)] });
      await s.apply({ now: 3, outbox: [box('a1', 'A', 100)] });
      await s.apply({ now: 4, outbox: [box('b1', 'B', 200)] });
      assert.deepEqual(ids(await claim(s, 1_000, 'w1', 3)), ['a1', 'd1', 'b1']);
      assert.deepEqual(ids(await claim(s, 1_000, 'w1', 3)), ['c1']);
      assert.deepEqual(await claim(s, 1_000, 'w1', 3), []);
    });

    it('limit 0 claims nothing', async () => {
      const s = store();
      await s.apply({ now: 1, outbox: [box('a1', 'A', 1)] });
      assert.deepEqual(await claim(s, 10, 'w1', 0), []);
      assert.equal((await s.getOutbox('a1'))?.lockedBy, null);
    });

    it('delivering the head row frees the next seq of the call', async () => {
      const s = store();
      await s.apply({ now: 1, outbox: [box('a1', 'A', 1), box('a2', 'A', 1)] });
      await claim(s, 10);
      await s.completeOutbox('a1', attempt('a1', 1, { status: 202 }));
      assert.deepEqual(ids(await claim(s, 11)), ['a2']);
    });

    it('a rescheduled head row keeps the later rows waiting; a failed one lets them go', async () => {
      const s = store();
      await s.apply({ now: 1, outbox: [box('a1', 'A', 1), box('a2', 'A', 1)] });
      await claim(s, 10);
      await s.failOutbox('a1', attempt('a1', 1), 100);
      assert.deepEqual(await claim(s, 50), []);
      assert.deepEqual(ids(await claim(s, 100)), ['a1']);
      await s.failOutbox('a1', attempt('a1', 2), null);
      assert.deepEqual(ids(await claim(s, 101)), ['a2']);
    });

    it('a replayed row is claimable again', async () => {
      const s = store();
      await s.apply({ now: 1, outbox: [box('a1', 'A', 1)] });
      await claim(s, 10);
      await s.failOutbox('a1', attempt('a1', 1), null);
      assert.deepEqual(await claim(s, 20), []);
      await s.replayOutbox('a1', 30);
      assert.deepEqual(await claim(s, 29), []);
      assert.deepEqual(ids(await claim(s, 30)), ['a1']);
    });
  });
}
