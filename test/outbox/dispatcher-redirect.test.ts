import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../src/domain/clock.js';
import type { Store } from '../../src/storage/store.js';
import type { Receiver } from './support/receiver.js';
import { EventLog, addRows, makeDispatcher, memoryStore, startReceiver } from './support/harness.js';

describe('OutboxDispatcher redirects', { timeout: 60_000 }, () => {
  let primary: Receiver;
  let secondary: Receiver;
  let store: Store;
  let clock: ManualClock;
  before(async () => {
    primary = await startReceiver();
    secondary = await startReceiver();
  });
  after(async () => {
    await primary.close();
    await secondary.close();
  });
  const fresh = async (): Promise<void> => {
    store = await memoryStore();
    clock = new ManualClock(Date.now());
    primary.clear();
    secondary.clear();
  };

  it('307 to another host: the call is retargeted, the new URL gets this and the later rows', async () => {
    await fresh();
    const log = new EventLog();
    const dispatcher = await makeDispatcher({ store, clock, log });
    const moved = secondary.url('/region-2/api/calls');
    primary.script('/api/calls/A', [{ status: 307, headers: { location: moved } }]);
    await addRows(store, {
      url: (c) => primary.url(`/api/calls/${c}`),
      rows: [
        ['A', 1],
        ['A', 2],
        ['B', 1],
      ],
      now: clock.now(),
    });

    assert.equal(await dispatcher.runOnce(), 2);
    assert.deepEqual(
      log.of('redirected').map((e) => [e.row.id, e.location, e.attempt.status]),
      [['A-1', moved, 307]],
    );
    const a1 = await store.getOutbox('A-1');
    assert.deepEqual([a1?.status, a1?.url, a1?.runAt, a1?.attempts], ['pending', moved, clock.now(), 1]);
    assert.equal((await store.getOutbox('A-2'))?.url, moved);
    assert.equal((await store.getOutbox('B-1'))?.url, primary.url('/api/calls/B'));

    assert.equal(await dispatcher.runOnce(), 1);
    assert.equal(await dispatcher.runOnce(), 1);
    assert.deepEqual(secondary.messageIds(), ['A-1', 'A-2']);
    // A-1 and B-1 belong to different calls and go out side by side: only per-call order is kept.
    assert.deepEqual([...primary.messageIds()].sort(), ['A-1', 'B-1']);
    assert.deepEqual(
      (await store.listAttempts('A-1')).map((a) => [a.attempt, a.status, a.excerpt]),
      [
        [1, 307, `redirected to ${moved}`],
        [2, 202, ''],
      ],
    );
    await dispatcher.stop();
  });

  it('302 with a relative Location resolves against the row url', async () => {
    await fresh();
    const dispatcher = await makeDispatcher({ store, clock });
    primary.script('/old/C', [{ status: 302, body: 'moved', headers: { location: '../new/C?x=1' } }]);
    await addRows(store, {
      url: (c) => primary.url(`/old/${c}`),
      rows: [
        ['C', 1],
        ['C', 2],
      ],
      now: clock.now(),
    });
    assert.equal(await dispatcher.runOnce(), 1);
    assert.equal((await store.getOutbox('C-2'))?.url, primary.url('/new/C?x=1'));
    assert.equal((await store.listAttempts('C-1'))[0]?.excerpt, 'moved');
    assert.equal(await dispatcher.runOnce(), 1);
    assert.equal(await dispatcher.runOnce(), 1);
    assert.deepEqual(
      primary.received.map((r) => [r.path, r.headers['x-microsoft-skype-message-id']]),
      [
        ['/old/C', 'C-1'],
        ['/new/C?x=1', 'C-1'],
        ['/new/C?x=1', 'C-2'],
      ],
    );
    await dispatcher.stop();
  });

  it('a redirect counts as an attempt: a redirect loop ends failed after maxAttempts', async () => {
    await fresh();
    const log = new EventLog();
    const dispatcher = await makeDispatcher({ store, clock, log, backoff: { maxAttempts: 3 } });
    primary.script('/ping', [], { status: 307, headers: { location: '/pong' } });
    primary.script('/pong', [], { status: 307, headers: { location: '/ping' } });
    await addRows(store, { url: () => primary.url('/ping'), rows: [['D', 1]], now: clock.now() });
    for (let i = 0; i < 3; i++) assert.equal(await dispatcher.runOnce(), 1);
    assert.equal(await dispatcher.runOnce(), 0);
    const row = await store.getOutbox('D-1');
    assert.deepEqual([row?.status, row?.attempts], ['failed', 3]);
    assert.deepEqual(
      log.events.map((e) => e.type),
      ['redirected', 'redirected', 'redirected', 'failed'],
    );
    assert.equal(log.of('failed')[0]?.reason, 'exhausted');
    await dispatcher.stop();
  });

  it('a 307 without a Location is rejected at once', async () => {
    await fresh();
    const log = new EventLog();
    const dispatcher = await makeDispatcher({ store, clock, log });
    primary.script('/nowhere', [{ status: 307 }]);
    await addRows(store, { url: () => primary.url('/nowhere'), rows: [['E', 1]], now: clock.now() });
    assert.equal(await dispatcher.runOnce(), 1);
    assert.equal((await store.getOutbox('E-1'))?.status, 'failed');
    assert.deepEqual(
      log.of('failed').map((e) => [e.reason, e.attempt.status]),
      [['rejected', 307]],
    );
    await dispatcher.stop();
  });
});
