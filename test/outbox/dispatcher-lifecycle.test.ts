import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock, systemClock } from '../../src/domain/clock.js';
import type { SqliteStore } from '../../src/storage/sqlite/sqlite-store.js';
import type { Receiver } from './support/receiver.js';
import { EventLog, addRows, makeDispatcher, memoryStore, startReceiver } from './support/harness.js';

/** A promise the test resolves when it chooses. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('OutboxDispatcher lifecycle', { timeout: 60_000 }, () => {
  let receiver: Receiver;
  let store: SqliteStore;
  before(async () => {
    receiver = await startReceiver();
  });
  after(() => receiver.close());
  const fresh = async (): Promise<void> => {
    store = await memoryStore();
    receiver.clear();
  };

  it('stop() waits for the delivery in flight to be recorded', async () => {
    await fresh();
    const log = new EventLog();
    const dispatcher = await makeDispatcher({ store, clock: systemClock, log });
    const release = gate();
    receiver.script('/held', [{ until: release.promise, then: { status: 202 } }]);
    await addRows(store, { url: () => receiver.url('/held'), rows: [['A', 1]], now: Date.now() });
    dispatcher.start();
    await receiver.waitFor(1);
    assert.equal(dispatcher.inFlight, 1);

    let stopped = false;
    const stopping = dispatcher.stop().then(() => (stopped = true));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(stopped, false);
    assert.equal((await store.getOutbox('A-1'))?.status, 'pending');

    release.open();
    await stopping;
    assert.equal(dispatcher.inFlight, 0);
    assert.equal(dispatcher.started, false);
    assert.equal((await store.getOutbox('A-1'))?.status, 'delivered');
    assert.equal(log.of('delivered').length, 1);
  });

  it('never has more than `concurrency` deliveries in flight', async () => {
    await fresh();
    const log = new EventLog();
    const dispatcher = await makeDispatcher({ store, clock: systemClock, log, concurrency: 2 });
    const release = gate();
    const calls = ['P', 'Q', 'R', 'S', 'T'];
    for (const c of calls) receiver.script(`/c/${c}`, [{ until: release.promise, then: { status: 202 } }]);
    await addRows(store, {
      url: (c) => receiver.url(`/c/${c}`),
      rows: calls.map((c) => [c, 1]),
      now: Date.now(),
    });
    dispatcher.start();
    await receiver.waitFor(2);
    assert.equal(dispatcher.inFlight, 2);
    release.open();
    await log.waitFor('delivered', calls.length);
    await dispatcher.stop();
    assert.equal(receiver.maxConcurrent, 2);
    assert.deepEqual(receiver.messageIds().sort(), ['P-1', 'Q-1', 'R-1', 'S-1', 'T-1']);
  });

  it('takes over the lock of a crashed owner once it is staleLockMs old', async () => {
    await fresh();
    // Starts 30 s back, so the tokens signed after the takeover are not dated in the future (nbf).
    const clock = new ManualClock(Date.now() - 30_000);
    const dispatcher = await makeDispatcher({ store, clock, staleLockMs: 30_000, owner: 'survivor' });
    await addRows(store, {
      url: () => receiver.url('/stale'),
      rows: [
        ['L', 1],
        ['L', 2],
      ],
      now: clock.now(),
    });
    const [locked] = await store.claimOutbox({
      now: clock.now(),
      owner: 'crashed',
      limit: 10,
      staleLockMs: 30_000,
    });
    assert.equal(locked?.id, 'L-1');

    assert.equal(await dispatcher.runOnce(), 0);
    clock.advance(29_999);
    assert.equal(await dispatcher.runOnce(), 0);
    clock.advance(1);
    assert.equal(await dispatcher.runOnce(), 1);
    assert.equal(await dispatcher.runOnce(), 1);
    assert.deepEqual(receiver.messageIds(), ['L-1', 'L-2']);
    const attempts = await store.listAttempts('L-1');
    assert.deepEqual(
      attempts.map((a) => [a.attempt, a.at, a.status]),
      [[1, clock.now(), 202]],
    );
    await dispatcher.stop();
  });

  it('reports store errors as events and keeps running; stop() still resolves', async () => {
    await fresh();
    const log = new EventLog();
    const dispatcher = await makeDispatcher({ store, clock: systemClock, log, maxIdleMs: 5 });
    await store.close();
    dispatcher.start();
    await log.waitFor('error', 2);
    await dispatcher.stop();
    const [first] = log.of('error');
    assert.equal(first?.during, 'claim');
    assert.match(String(first?.error), /closed/);
  });

  it('start() twice is a no-op, kick() while stopped does nothing, and the options are checked', async () => {
    await fresh();
    const dispatcher = await makeDispatcher({ store, clock: systemClock });
    dispatcher.kick();
    assert.equal(dispatcher.started, false);
    dispatcher.start();
    dispatcher.start();
    assert.equal(dispatcher.started, true);
    await dispatcher.stop();
    await dispatcher.stop();
    await assert.rejects(makeDispatcher({ store, clock: systemClock, concurrency: 0 }), RangeError);
    await assert.rejects(
      makeDispatcher({ store, clock: systemClock, requestTimeoutMs: 30_000, staleLockMs: 30_000 }),
      /requestTimeoutMs must be below staleLockMs/,
    );
    await assert.rejects(
      makeDispatcher({ store, clock: systemClock, backoff: { maxAttempts: 0 } }),
      RangeError,
    );
  });
});
