import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Store } from '../../../src/storage/store.js';
import { attempt, box, freshRow } from './fixtures.js';

const claim = (s: Store, now: number, owner: string) =>
  s.claimOutbox({ now, owner, limit: 10, staleLockMs: 30_000 });

export function registerReleaseLockCases(store: () => Store): void {
  describe('releaseOutboxLocks', () => {
    it("frees every other owner's lock at once, whatever its age, and keeps its own", async () => {
      const s = store();
      await s.apply({ now: 1, outbox: [box('a1', 'A', 1), box('a2', 'A', 1), box('b1', 'B', 1)] });
      await s.apply({ now: 2, outbox: [box('c1', 'C', 1)] });
      assert.deepEqual(
        (await claim(s, 10, 'dead-1')).map((r) => r.id),
        ['a1', 'b1', 'c1'],
      );
      await s.failOutbox('b1', attempt('b1', 1, { status: 503, excerpt: 'down' }), 500);
      await s.apply({ now: 20, outbox: [box('d1', 'D', 20)] });
      await claim(s, 20, 'me');
      await s.apply({ now: 21, outbox: [box('e1', 'E', 21)] });
      await claim(s, 21, 'dead-2');

      assert.equal(await s.releaseOutboxLocks({ exceptOwner: 'me' }), 3);
      assert.deepEqual(await s.getOutbox('a1'), freshRow(box('a1', 'A', 1), 1, 1));
      assert.deepEqual(await s.getOutbox('c1'), freshRow(box('c1', 'C', 1), 1, 2));
      assert.deepEqual(await s.getOutbox('e1'), freshRow(box('e1', 'E', 21), 1, 21));
      assert.deepEqual(await s.getOutbox('d1'), {
        ...freshRow(box('d1', 'D', 20), 1, 20),
        lockedBy: 'me',
        lockedAt: 20,
      });
      // A rescheduled row keeps its attempts, lastError and runAt.
      assert.deepEqual(await s.getOutbox('b1'), {
        ...freshRow(box('b1', 'B', 500), 1, 1),
        attempts: 1,
        lastError: 'down',
      });
      assert.equal(await s.releaseOutboxLocks({ exceptOwner: 'me' }), 0);
    });

    it('freed rows are claimable at once, long before staleLockMs, in per-call order', async () => {
      const s = store();
      await s.apply({ now: 1, outbox: [box('a1', 'A', 1), box('a2', 'A', 1)] });
      await claim(s, 10, 'dead');
      assert.deepEqual(await claim(s, 11, 'me'), []);
      await s.releaseOutboxLocks({ exceptOwner: 'me' });
      assert.deepEqual(await claim(s, 11, 'me'), [
        { ...freshRow(box('a1', 'A', 1), 1, 1), lockedBy: 'me', lockedAt: 11 },
      ]);
      await s.completeOutbox('a1', attempt('a1', 1, { status: 202 }));
      assert.deepEqual(
        (await claim(s, 12, 'me')).map((r) => r.id),
        ['a2'],
      );
    });

    it('counts nothing on a store without locks', async () => {
      const s = store();
      assert.equal(await s.releaseOutboxLocks({ exceptOwner: 'me' }), 0);
      await s.apply({ now: 1, outbox: [box('a1', 'A', 1)] });
      assert.equal(await s.releaseOutboxLocks({ exceptOwner: 'me' }), 0);
      assert.deepEqual(await s.getOutbox('a1'), freshRow(box('a1', 'A', 1), 1, 1));
    });
  });
}
