import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConflictError, type Store } from '../../../src/storage/store.js';
import { makeCallRecord } from '../call-record.js';
import { box, freshRow } from './fixtures.js';

const timer = (id: string, callId: string, dueAt: number) => ({
  id,
  callId,
  kind: 'ringTimeout',
  dueAt,
  payload: '{}',
});

export function registerApplyCases(store: () => Store): void {
  describe('apply atomicity', () => {
    it('commits calls, outbox rows, timers and cancellations of one change set together', async () => {
      const s = store();
      await s.apply({ now: 1, timers: [timer('t-old', 'c0', 50)] });
      await s.apply({
        now: 10,
        calls: [{ record: makeCallRecord({ id: 'c1' }), expectedRevision: null }],
        outbox: [box('o1', 'c1', 10)],
        timers: [timer('t1', 'c1', 100)],
        cancelTimers: ['t-old'],
      });
      assert.equal((await s.getCall('c1'))?.id, 'c1');
      assert.equal((await s.getOutbox('o1'))?.seq, 1);
      assert.deepEqual(await s.dueTimers(1_000, 10), [timer('t1', 'c1', 100)]);
    });

    it('a conflicting call save rolls back every other part of the same change set', async () => {
      const s = store();
      await s.apply({
        now: 1,
        calls: [{ record: makeCallRecord({ id: 'c1' }), expectedRevision: null }],
        outbox: [box('o1', 'c1')],
        timers: [timer('t-keep', 'c1', 5)],
      });
      await assert.rejects(
        s.apply({
          now: 2,
          calls: [
            { record: makeCallRecord({ id: 'c2' }), expectedRevision: null },
            { record: makeCallRecord({ id: 'c1', revision: 9 }), expectedRevision: 8 },
          ],
          outbox: [box('o2', 'c1'), box('o3', 'c2')],
          timers: [timer('t-new', 'c2', 7)],
          cancelTimers: ['t-keep'],
        }),
        ConflictError,
      );
      assert.equal(await s.getCall('c2'), undefined);
      assert.equal((await s.getCall('c1'))?.revision, 1);
      assert.equal(await s.getOutbox('o2'), undefined);
      assert.equal(await s.getOutbox('o3'), undefined);
      assert.deepEqual(
        (await s.listOutbox({})).map((r) => r.id),
        ['o1'],
      );
      assert.deepEqual(await s.dueTimers(100, 10), [timer('t-keep', 'c1', 5)]);
      await s.apply({ now: 3, outbox: [box('o4', 'c1')] });
      assert.equal((await s.getOutbox('o4'))?.seq, 2);
    });

    it('a duplicate outbox id rejects the change set and rolls back its call save', async () => {
      const s = store();
      await s.apply({
        now: 1,
        calls: [{ record: makeCallRecord({ id: 'c1' }), expectedRevision: null }],
        outbox: [box('o1', 'c1')],
      });
      await assert.rejects(
        s.apply({
          now: 2,
          calls: [
            { record: makeCallRecord({ id: 'c1', revision: 2, state: 'established' }), expectedRevision: 1 },
          ],
          outbox: [box('o1', 'c1')],
        }),
      );
      assert.equal((await s.getCall('c1'))?.revision, 1);
      assert.deepEqual(await s.listOutbox({}), [freshRow(box('o1', 'c1'), 1, 1)]);
    });

    it('concurrent applies are isolated: one conflicting does not undo the others', async () => {
      const s = store();
      await s.apply({ now: 1, calls: [{ record: makeCallRecord({ id: 'taken' }), expectedRevision: null }] });
      const results = await Promise.allSettled([
        s.apply({
          now: 2,
          calls: [{ record: makeCallRecord({ id: 'a' }), expectedRevision: null }],
          outbox: [box('oa', 'a')],
        }),
        s.apply({
          now: 2,
          calls: [{ record: makeCallRecord({ id: 'taken' }), expectedRevision: null }],
          outbox: [box('ox', 'taken')],
        }),
        s.apply({
          now: 2,
          calls: [{ record: makeCallRecord({ id: 'b' }), expectedRevision: null }],
          outbox: [box('ob', 'b')],
        }),
      ]);
      assert.deepEqual(
        results.map((r) => r.status),
        ['fulfilled', 'rejected', 'fulfilled'],
      );
      const rejected = results[1];
      assert.ok(rejected?.status === 'rejected' && rejected.reason instanceof ConflictError);
      assert.equal((await s.getCall('a'))?.id, 'a');
      assert.equal((await s.getCall('b'))?.id, 'b');
      assert.deepEqual(
        (await s.listOutbox({})).map((r) => r.id),
        ['oa', 'ob'],
      );
    });

    it('an empty change set resolves', async () => {
      await store().apply({ now: 1 });
      await store().apply({ now: 1, calls: [], outbox: [], timers: [], cancelTimers: [] });
      assert.deepEqual(await store().listCalls(), []);
    });
  });

  describe('close', () => {
    it('commits an apply still in flight, and close twice resolves', async () => {
      const s = store();
      const pending = s.apply({
        now: 1,
        calls: [{ record: makeCallRecord({ id: 'c1' }), expectedRevision: null }],
      });
      await s.close();
      await pending;
      await s.close();
    });

    it('every later call rejects', async () => {
      const s = store();
      await s.close();
      await assert.rejects(s.getCall('c1'), /closed/);
      await assert.rejects(s.apply({ now: 1 }), /closed/);
      await assert.rejects(s.listCalls(), /closed/);
      await assert.rejects(s.claimOutbox({ now: 1, owner: 'w', limit: 1, staleLockMs: 1 }), /closed/);
      await assert.rejects(s.getMeta('k'), /closed/);
      await assert.rejects(s.setMeta('k', 'v'), /closed/);
    });
  });
}
