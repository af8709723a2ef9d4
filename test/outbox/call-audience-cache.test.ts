import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cachedCallLookup } from '../../src/outbox/call-audience-cache.js';
import type { CallRecord } from '../../src/domain/call-document.js';
import { makeCallRecord } from '../storage/call-record.js';

function countingStore(records: CallRecord[]) {
  const loads: string[] = [];
  return {
    loads,
    getCall: async (id: string) => {
      loads.push(id);
      return records.find((r) => r.id === id);
    },
  };
}

describe('cachedCallLookup', () => {
  it('loads a call once and answers its app, tenant and chain id from then on', async () => {
    const record = makeCallRecord({ id: 'c1', appId: 'app-1', tenantId: 'tenant-1' });
    record.doc.resource.callChainId = 'chain-1';
    const store = countingStore([record]);
    const lookup = cachedCallLookup(store);
    const expected = { appId: 'app-1', tenantId: 'tenant-1', callChainId: 'chain-1' };
    assert.deepEqual(await lookup('c1'), expected);
    assert.deepEqual(await lookup('c1'), expected);
    assert.deepEqual(store.loads, ['c1']);
  });

  it('does not remember unknown calls', async () => {
    const store = countingStore([]);
    const lookup = cachedCallLookup(store);
    assert.equal(await lookup('nope'), undefined);
    assert.equal(await lookup('nope'), undefined);
    assert.deepEqual(store.loads, ['nope', 'nope']);
  });

  it('forgets the oldest call when full', async () => {
    const store = countingStore(['a', 'b', 'c'].map((id) => makeCallRecord({ id })));
    const lookup = cachedCallLookup(store, 2);
    await lookup('a');
    await lookup('b');
    await lookup('c');
    await lookup('b');
    await lookup('a');
    assert.deepEqual(store.loads, ['a', 'b', 'c', 'a']);
  });
});
