import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock, systemClock } from '../../src/domain/clock.js';
import type { Store } from '../../src/storage/store.js';
import { reusablePort } from '../support/ports.js';
import type { Receiver } from './support/receiver.js';
import { EventLog, addRows, makeDispatcher, memoryStore, startReceiver } from './support/harness.js';

describe('OutboxDispatcher retries', { timeout: 60_000 }, () => {
  let receiver: Receiver;
  let store: Store;
  before(async () => {
    receiver = await startReceiver();
  });
  after(() => receiver.close());
  const fresh = async (): Promise<void> => {
    store = await memoryStore();
    receiver.clear();
  };

  it('500 then 200: retried after the backoff delay, then delivered, with both attempts logged', async () => {
    await fresh();
    const clock = new ManualClock(Date.now());
    const t0 = clock.now();
    const log = new EventLog();
    const dispatcher = await makeDispatcher({ store, clock, log, backoff: { baseMs: 1_000 } });
    receiver.script('/r500', [
      { status: 500, body: 'bot is warming up' },
      { status: 200, body: 'ok' },
    ]);
    await addRows(store, { url: () => receiver.url('/r500'), rows: [['A', 1]], now: t0 });
    dispatcher.start();
    dispatcher.kick();
    await log.waitFor('retrying');
    assert.equal(log.of('retrying')[0]?.nextRunAt, t0 + 1_000);
    assert.equal((await store.getOutbox('A-1'))?.lastError, 'bot is warming up');

    clock.advance(1_000);
    dispatcher.kick();
    await log.waitFor('delivered');
    await dispatcher.stop();

    const attempts = await store.listAttempts('A-1');
    assert.deepEqual(
      attempts.map((a) => [a.attempt, a.at, a.status, a.excerpt]),
      [
        [1, t0, 500, 'bot is warming up'],
        [2, t0 + 1_000, 200, 'ok'],
      ],
    );
    assert.equal((await store.getOutbox('A-1'))?.status, 'delivered');
    const ids = receiver.received.map((r) => r.headers['client-request-id']);
    assert.equal(ids.length, 2);
    assert.notEqual(ids[0], ids[1]);
    assert.deepEqual(receiver.messageIds(), ['A-1', 'A-1']);
  });

  it('notices a manual clock moved without kick() within maxIdleMs', async () => {
    await fresh();
    const clock = new ManualClock(Date.now());
    const log = new EventLog();
    const dispatcher = await makeDispatcher({ store, clock, log, maxIdleMs: 5 });
    receiver.script('/r429', [{ status: 429 }]);
    await addRows(store, { url: () => receiver.url('/r429'), rows: [['B', 1]], now: clock.now() });
    dispatcher.start();
    await log.waitFor('retrying');
    clock.advance(10);
    await log.waitFor('delivered');
    await dispatcher.stop();
    assert.deepEqual(
      (await store.listAttempts('B-1')).map((a) => a.status),
      [429, 202],
    );
  });

  it('receiver down for several attempts, then up: everything is delivered, each call in order', async () => {
    await fresh();
    // Nothing listens there until the receiver comes up on it (no other test can take it meanwhile).
    const port = await reusablePort();
    const log = new EventLog();
    const dispatcher = await makeDispatcher({
      store,
      clock: systemClock,
      log,
      backoff: { baseMs: 5, maxMs: 20, maxAttempts: 1_000 },
    });
    const rows: [string, number][] = [
      ['C', 1],
      ['D', 1],
      ['C', 2],
      ['D', 2],
      ['C', 3],
    ];
    await addRows(store, {
      url: (callId) => `http://127.0.0.1:${port}/bot/${callId}`,
      rows,
      now: Date.now(),
    });
    dispatcher.start();
    await log.waitFor('retrying', 6);
    const up = await startReceiver(port);
    try {
      await log.waitFor('delivered', 5);
      await dispatcher.stop();
      assert.deepEqual(up.messageIds('/bot/C'), ['C-1', 'C-2', 'C-3']);
      assert.deepEqual(up.messageIds('/bot/D'), ['D-1', 'D-2']);
      const first = await store.listAttempts('C-1');
      assert.ok(first.length >= 3);
      assert.deepEqual(
        first.map((a) => a.attempt),
        first.map((_, i) => i + 1),
      );
      assert.equal(first.at(-1)?.status, 202);
      assert.equal(first[0]?.status, null);
      assert.match(String(first[0]?.excerpt), /ECONNREFUSED/);
      assert.deepEqual(await store.listOutbox({ status: 'pending' }), []);
    } finally {
      await up.close();
    }
  });

  it('a request that gets no answer within requestTimeoutMs is retried', async () => {
    await fresh();
    const clock = new ManualClock(Date.now());
    const impatient = await makeDispatcher({ store, clock, requestTimeoutMs: 50 });
    receiver.script('/slow', [{ hang: true }]);
    await addRows(store, { url: () => receiver.url('/slow'), rows: [['slow', 1]], now: clock.now() });
    assert.equal(await impatient.runOnce(), 1);
    await impatient.stop();
    const slow = await store.getOutbox('slow-1');
    assert.deepEqual(
      [slow?.status, slow?.runAt, slow?.lastError],
      ['pending', clock.now() + 10, 'no answer within 50 ms (request timed out)'],
    );
    assert.equal((await store.listAttempts('slow-1'))[0]?.status, null);

    clock.advance(10);
    const patient = await makeDispatcher({ store, clock });
    assert.equal(await patient.runOnce(), 1);
    assert.equal((await store.getOutbox('slow-1'))?.status, 'delivered');
    await patient.stop();
  });

  it('a connection reset without an answer is retried', async () => {
    await fresh();
    const clock = new ManualClock(Date.now());
    const dispatcher = await makeDispatcher({ store, clock });
    receiver.script('/reset', [{ reset: true }]);
    await addRows(store, { url: () => receiver.url('/reset'), rows: [['reset', 1]], now: clock.now() });
    assert.equal(await dispatcher.runOnce(), 1);
    const [first] = await store.listAttempts('reset-1');
    assert.equal(first?.status, null);
    assert.match(String(first?.excerpt), /UND_ERR_SOCKET|ECONNRESET/);
    assert.equal((await store.getOutbox('reset-1'))?.status, 'pending');
    clock.advance(10);
    assert.equal(await dispatcher.runOnce(), 1);
    assert.equal((await store.getOutbox('reset-1'))?.status, 'delivered');
    await dispatcher.stop();
  });

  it('400 fails at once (the attempts log keeps the first 200 chars); a replay delivers it', async () => {
    await fresh();
    const clock = new ManualClock(Date.now());
    const log = new EventLog();
    const dispatcher = await makeDispatcher({ store, clock, log });
    const complaint = `bad payload ${'x'.repeat(400)}`;
    receiver.script('/r400', [{ status: 400, body: complaint }]);
    await addRows(store, { url: () => receiver.url('/r400'), rows: [['E', 1]], now: clock.now() });
    assert.equal(await dispatcher.runOnce(), 1);

    const failed = await store.getOutbox('E-1');
    assert.equal(failed?.status, 'failed');
    assert.equal(failed?.lastError, complaint.slice(0, 200));
    assert.deepEqual(
      log.of('failed').map((e) => [e.reason, e.attempt.status]),
      [['rejected', 400]],
    );
    assert.equal(await dispatcher.runOnce(), 0);

    clock.advance(5);
    assert.equal(await store.replayOutbox('E-1', clock.now()), true);
    assert.equal(await dispatcher.runOnce(), 1);
    assert.equal((await store.getOutbox('E-1'))?.status, 'delivered');
    assert.deepEqual(
      (await store.listAttempts('E-1')).map((a) => [a.attempt, a.status]),
      [
        [1, 400],
        [2, 202],
      ],
    );
    await dispatcher.stop();
  });

  it('after maxAttempts retryable failures the row is failed, listed with its attempts, and frees its call', async () => {
    await fresh();
    const clock = new ManualClock(Date.now());
    const t0 = clock.now();
    const log = new EventLog();
    const dispatcher = await makeDispatcher({ store, clock, log, backoff: { baseMs: 10, maxAttempts: 3 } });
    receiver.script('/down', [], { status: 503, body: 'maintenance' });
    await addRows(store, { url: () => receiver.url('/down'), rows: [['F', 1]], now: t0 });
    await addRows(store, { url: () => receiver.url('/up'), rows: [['F', 2]], now: t0 });

    assert.equal(await dispatcher.runOnce(), 1);
    clock.advance(10);
    assert.equal(await dispatcher.runOnce(), 1);
    clock.advance(19);
    assert.equal(await dispatcher.runOnce(), 0);
    clock.advance(1);
    assert.equal(await dispatcher.runOnce(), 1);

    const failed = await store.listOutbox({ status: 'failed' });
    assert.deepEqual(
      failed.map((r) => [r.id, r.attempts, r.lastError]),
      [['F-1', 3, 'maintenance']],
    );
    assert.deepEqual(
      (await store.listAttempts('F-1')).map((a) => [a.attempt, a.at - t0, a.status]),
      [
        [1, 0, 503],
        [2, 10, 503],
        [3, 30, 503],
      ],
    );
    assert.deepEqual(
      log.events.map((e) => e.type),
      ['retrying', 'retrying', 'failed'],
    );
    assert.equal(log.of('failed')[0]?.reason, 'exhausted');

    assert.equal(await dispatcher.runOnce(), 1);
    assert.equal((await store.getOutbox('F-2'))?.status, 'delivered');
    await dispatcher.stop();
  });
});
