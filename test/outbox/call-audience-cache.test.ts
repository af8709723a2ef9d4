import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cachedCallLookup } from '../../src/outbox/call-audience-cache.js';
import type { CallRecord } from '../../src/domain/call-document.js';
import { SqliteStore } from '../../src/storage/sqlite/sqlite-store.js';
import { makeCallRecord } from '../storage/call-record.js';

/** An in-memory store holding `records`, counting the owner look-ups made through it. */
async function countingStore(records: CallRecord[]) {
  const store = new SqliteStore({ file: ':memory:' });
  await store.migrate();
  await store.apply({ now: 1, calls: records.map((record) => ({ record, expectedRevision: null })) });
  const loads: string[] = [];
  return {
    loads,
    getCallOwner: (id: string) => {
      loads.push(id);
      return store.getCallOwner(id);
    },
  };
}

describe('cachedCallLookup', () => {
  it('loads a call once and answers its app, tenant and chain id from then on', async () => {
    const record = makeCallRecord({ id: 'c1', appId: 'app-1', tenantId: 'tenant-1' });
    record.doc.resource.callChainId = 'chain-1';
    const store = await countingStore([record]);
    const lookup = cachedCallLookup(store);
    const expected = { appId: 'app-1', tenantId: 'tenant-1', callChainId: 'chain-1' };
    assert.deepEqual(await lookup('c1'), expected);
    assert.deepEqual(await lookup('c1'), expected);
    assert.deepEqual(store.loads, ['c1']);
  });

  it('leaves out a chain id that is missing or not a string', async () => {
    const missing = makeCallRecord({ id: 'c1', appId: 'app-1', tenantId: 'tenant-1' });
    const numeric = makeCallRecord({ id: 'c2', appId: 'app-2', tenantId: 'tenant-2' });
    numeric.doc.resource.callChainId = 42;
    const lookup = cachedCallLookup(await countingStore([missing, numeric]));
    assert.deepEqual(await lookup('c1'), { appId: 'app-1', tenantId: 'tenant-1' });
    assert.deepEqual(await lookup('c2'), { appId: 'app-2', tenantId: 'tenant-2' });
  });

  it('does not remember unknown calls', async () => {
    const store = await countingStore([]);
    const lookup = cachedCallLookup(store);
    assert.equal(await lookup('nope'), undefined);
    assert.equal(await lookup('nope'), undefined);
    assert.deepEqual(store.loads, ['nope', 'nope']);
  });

  it('forgets the oldest call when full', async () => {
    const store = await countingStore(['a', 'b', 'c'].map((id) => makeCallRecord({ id })));
    const lookup = cachedCallLookup(store, 2);
    await lookup('a');
    await lookup('b');
    await lookup('c');
    await lookup('b');
    await lookup('a');
    assert.deepEqual(store.loads, ['a', 'b', 'c', 'a']);
  });
});
