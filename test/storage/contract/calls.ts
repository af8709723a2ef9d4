import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConflictError, type Store } from '../../../src/storage/store.js';
import { makeCallRecord } from '../call-record.js';

export function registerCallCases(store: () => Store): void {
  describe('calls', () => {
    it('migrate() again is harmless', async () => {
      await store().migrate();
      await store().apply({
        now: 1,
        calls: [{ record: makeCallRecord({ id: 'c1' }), expectedRevision: null }],
      });
      await store().migrate();
      assert.equal((await store().getCall('c1'))?.id, 'c1');
    });

    it('inserts a call and reads back exactly what was saved, revision as given', async () => {
      const record = makeCallRecord({
        id: 'c1',
        revision: 7,
        createdAt: 10,
        updatedAt: 20,
        state: 'ringing',
      });
      await store().apply({ now: 10, calls: [{ record, expectedRevision: null }] });
      assert.deepEqual(await store().getCall('c1'), record);
    });

    it('getCall of an unknown id is undefined', async () => {
      assert.equal(await store().getCall('nope'), undefined);
    });

    it('getCallOwner answers app, tenant and a string callChainId, or undefined', async () => {
      const chained = makeCallRecord({ id: 'c1', appId: 'app-1', tenantId: 'tenant-1' });
      chained.doc.resource.callChainId = 'chain-1';
      const plain = makeCallRecord({ id: 'c2', appId: 'app-2', tenantId: 'tenant-2' });
      await store().apply({
        now: 1,
        calls: [chained, plain].map((record) => ({ record, expectedRevision: null })),
      });
      assert.deepEqual(await store().getCallOwner('c1'), {
        appId: 'app-1',
        tenantId: 'tenant-1',
        callChainId: 'chain-1',
      });
      assert.deepEqual(await store().getCallOwner('c2'), {
        appId: 'app-2',
        tenantId: 'tenant-2',
        callChainId: null,
      });
      assert.equal(await store().getCallOwner('nope'), undefined);
    });

    it('inserting an existing id throws ConflictError and keeps the stored call', async () => {
      const first = makeCallRecord({ id: 'c1', appId: 'first' });
      await store().apply({ now: 1, calls: [{ record: first, expectedRevision: null }] });
      await assert.rejects(
        store().apply({
          now: 2,
          calls: [{ record: makeCallRecord({ id: 'c1', appId: 'second' }), expectedRevision: null }],
        }),
        ConflictError,
      );
      assert.deepEqual(await store().getCall('c1'), first);
    });

    it('updates when the expected revision matches, storing the record revision', async () => {
      await store().apply({
        now: 1,
        calls: [{ record: makeCallRecord({ id: 'c1' }), expectedRevision: null }],
      });
      const next = makeCallRecord({ id: 'c1', revision: 2, state: 'established', updatedAt: 5_000 });
      await store().apply({ now: 5_000, calls: [{ record: next, expectedRevision: 1 }] });
      assert.deepEqual(await store().getCall('c1'), next);
      const third = makeCallRecord({ id: 'c1', revision: 3, state: 'terminated', updatedAt: 6_000 });
      await store().apply({ now: 6_000, calls: [{ record: third, expectedRevision: 2 }] });
      assert.deepEqual(await store().getCall('c1'), third);
    });

    it('a stale expected revision throws ConflictError and changes nothing', async () => {
      await store().apply({
        now: 1,
        calls: [{ record: makeCallRecord({ id: 'c1' }), expectedRevision: null }],
      });
      const v2 = makeCallRecord({ id: 'c1', revision: 2, state: 'established' });
      await store().apply({ now: 2, calls: [{ record: v2, expectedRevision: 1 }] });
      await assert.rejects(
        store().apply({
          now: 3,
          calls: [
            { record: makeCallRecord({ id: 'c1', revision: 2, state: 'terminated' }), expectedRevision: 1 },
          ],
        }),
        ConflictError,
      );
      assert.deepEqual(await store().getCall('c1'), v2);
    });

    it('updating a call that does not exist throws ConflictError', async () => {
      await assert.rejects(
        store().apply({
          now: 1,
          calls: [{ record: makeCallRecord({ id: 'ghost', revision: 2 }), expectedRevision: 1 }],
        }),
        ConflictError,
      );
      assert.equal(await store().getCall('ghost'), undefined);
    });

    it('listCalls is newest first (createdAt, then insertion order) and an update keeps the place', async () => {
      const s = store();
      await s.apply({
        now: 1,
        calls: [{ record: makeCallRecord({ id: 'old', createdAt: 100 }), expectedRevision: null }],
      });
      await s.apply({
        now: 1,
        calls: [{ record: makeCallRecord({ id: 'new', createdAt: 300 }), expectedRevision: null }],
      });
      await s.apply({
        now: 1,
        calls: [{ record: makeCallRecord({ id: 'tie-a', createdAt: 200 }), expectedRevision: null }],
      });
      await s.apply({
        now: 1,
        calls: [{ record: makeCallRecord({ id: 'tie-b', createdAt: 200 }), expectedRevision: null }],
      });
      const ids = async (): Promise<string[]> => (await s.listCalls()).map((c) => c.id);
      assert.deepEqual(await ids(), ['new', 'tie-b', 'tie-a', 'old']);
      await s.apply({
        now: 2,
        calls: [
          { record: makeCallRecord({ id: 'tie-a', createdAt: 200, revision: 2 }), expectedRevision: 1 },
        ],
      });
      assert.deepEqual(await ids(), ['new', 'tie-b', 'tie-a', 'old']);
      assert.deepEqual(await s.listCalls({}), await s.listCalls());
    });

    it('listCalls filters by appId and state, together, and honours limit', async () => {
      const s = store();
      const rows = [
        makeCallRecord({ id: 'a1', appId: 'A', state: 'established', createdAt: 1 }),
        makeCallRecord({ id: 'a2', appId: 'A', state: 'terminated', createdAt: 2 }),
        makeCallRecord({ id: 'b1', appId: 'B', state: 'established', createdAt: 3 }),
        makeCallRecord({ id: 'a3', appId: 'A', state: 'established', createdAt: 4 }),
      ];
      await s.apply({ now: 5, calls: rows.map((record) => ({ record, expectedRevision: null })) });
      const ids = (list: { id: string }[]): string[] => list.map((c) => c.id);
      assert.deepEqual(ids(await s.listCalls({ appId: 'A' })), ['a3', 'a2', 'a1']);
      assert.deepEqual(ids(await s.listCalls({ state: 'established' })), ['a3', 'b1', 'a1']);
      assert.deepEqual(ids(await s.listCalls({ appId: 'A', state: 'established' })), ['a3', 'a1']);
      assert.deepEqual(ids(await s.listCalls({ limit: 2 })), ['a3', 'b1']);
      assert.deepEqual(ids(await s.listCalls({ appId: 'A', limit: 1 })), ['a3']);
      assert.deepEqual(ids(await s.listCalls({ appId: 'C' })), []);
      assert.deepEqual(await s.listCalls({ appId: 'B' }), [rows[2]]);
    });
  });
}
