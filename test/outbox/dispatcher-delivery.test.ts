import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock, systemClock } from '../../src/domain/clock.js';
import { CALLBACK_USER_AGENT } from '../../src/outbox/callback-auth.js';
import type { OutboxEvent } from '../../src/outbox/events.js';
import type { Store } from '../../src/storage/store.js';
import type { Receiver } from './support/receiver.js';
import {
  APP_ID,
  EventLog,
  ISSUER,
  TENANT_ID,
  addRows,
  makeDispatcher,
  memoryStore,
  notificationBody,
  startReceiver,
} from './support/harness.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('OutboxDispatcher delivery', { timeout: 60_000 }, () => {
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

  it('POSTs the body verbatim with a valid token and the documented headers', async () => {
    await fresh();
    const clock = new ManualClock(Date.now());
    const log = new EventLog();
    const dispatcher = await makeDispatcher({ store, clock, log });
    await addRows(store, { url: () => receiver.url('/api/calls'), rows: [['call-1', 1]], now: clock.now() });

    assert.equal(await dispatcher.runOnce(), 1);
    const [got] = receiver.received;
    assert.ok(got);
    assert.equal(got.path, '/api/calls');
    assert.equal(got.body, notificationBody('call-1', 1));
    assert.equal(got.headers['content-type'], 'application/json');
    assert.equal(got.headers['user-agent'], CALLBACK_USER_AGENT);
    assert.match(String(got.headers['client-request-id']), UUID);
    assert.equal(got.headers['request-id'], got.headers['client-request-id']);
    assert.equal(got.headers['x-microsoft-skype-message-id'], 'call-1-1');
    assert.equal(got.headers['x-microsoft-skype-chain-id'], 'chain-call-1');
    const iat = Math.floor(clock.now() / 1000);
    assert.deepEqual(got.claims, {
      aud: APP_ID,
      iss: ISSUER,
      iat,
      nbf: iat,
      exp: iat + 3600,
      tid: TENANT_ID,
    });

    const row = await store.getOutbox('call-1-1');
    assert.equal(row?.status, 'delivered');
    assert.equal(row?.attempts, 1);
    assert.equal(row?.lockedBy, null);
    const attempts = await store.listAttempts('call-1-1');
    assert.equal(attempts.length, 1);
    assert.deepEqual(
      { ...attempts[0], latencyMs: 0 },
      {
        outboxId: 'call-1-1',
        attempt: 1,
        at: clock.now(),
        status: 202,
        latencyMs: 0,
        excerpt: '',
      },
    );
    assert.deepEqual(
      log.events.map((e) => e.type),
      ['delivered'],
    );
    assert.equal(log.of('delivered')[0]?.row.id, 'call-1-1');
    await dispatcher.stop();
  });

  it('keeps each call in seq order, one notification per call in flight, with two calls interleaved', async () => {
    await fresh();
    const log = new EventLog();
    const dispatcher = await makeDispatcher({ store, clock: systemClock, log });
    dispatcher.start();
    const rows: [string, number][] = [];
    for (let n = 1; n <= 6; n++) rows.push(['A', n], ['B', n]);
    await addRows(store, { url: (callId) => receiver.url(`/bot/${callId}`), rows, now: systemClock.now() });
    dispatcher.kick();
    await log.waitFor('delivered', 12);
    await dispatcher.stop();

    const seqs = ['A-1', 'A-2', 'A-3', 'A-4', 'A-5', 'A-6'];
    assert.deepEqual(receiver.messageIds('/bot/A'), seqs);
    assert.deepEqual(
      receiver.messageIds('/bot/B'),
      seqs.map((id) => id.replace('A', 'B')),
    );
    assert.equal(receiver.maxConcurrentPerCall, 1);
    assert.deepEqual(await store.listOutbox({ status: 'pending' }), []);
  });

  it('reuses keep-alive connections for consecutive notifications', async () => {
    await fresh();
    const clock = new ManualClock(Date.now());
    const dispatcher = await makeDispatcher({ store, clock });
    const rows: [string, number][] = [1, 2, 3, 4, 5].map((n) => ['K', n]);
    await addRows(store, { url: () => receiver.url('/keep'), rows, now: clock.now() });
    for (let i = 0; i < 5; i++) assert.equal(await dispatcher.runOnce(), 1);
    assert.equal(receiver.received.length, 5);
    // undici may open a second connection while the first is being released; never one per POST.
    assert.ok(new Set(receiver.received.map((r) => r.socketId)).size < 5);
    await dispatcher.stop();
  });

  it('signs aud and tid from lookupCall; the bot rejects a token for another app with 401 (failed at once)', async () => {
    await fresh();
    const clock = new ManualClock(Date.now());
    const log = new EventLog();
    const dispatcher = await makeDispatcher({
      store,
      clock,
      log,
      lookupCall: async (callId) =>
        callId === 'mine'
          ? { appId: APP_ID, tenantId: TENANT_ID }
          : { appId: 'another-app', tenantId: TENANT_ID },
    });
    await addRows(store, {
      url: () => receiver.url('/auth'),
      rows: [
        ['mine', 1],
        ['theirs', 1],
      ],
      now: clock.now(),
    });
    assert.equal(await dispatcher.runOnce(), 2);

    assert.deepEqual(receiver.messageIds(), ['mine-1']);
    assert.equal(receiver.received[0]?.headers['x-microsoft-skype-chain-id'], undefined);
    assert.equal(receiver.rejected.length, 1);
    const theirs = await store.getOutbox('theirs-1');
    assert.equal(theirs?.status, 'failed');
    assert.match(String(theirs?.lastError), /^invalid token: .*aud/);
    assert.deepEqual(
      log.of('failed').map((e) => [e.row.id, e.reason, e.attempt.status]),
      [['theirs-1', 'rejected', 401]],
    );
    await dispatcher.stop();
  });

  it('signs with the injected clock: a clock two hours behind gives an expired token, which the bot rejects', async () => {
    await fresh();
    const clock = new ManualClock(Date.now() - 2 * 3600 * 1000);
    const dispatcher = await makeDispatcher({ store, clock });
    await addRows(store, { url: () => receiver.url('/old'), rows: [['X', 1]], now: clock.now() });
    assert.equal(await dispatcher.runOnce(), 1);
    assert.equal(receiver.received.length, 0);
    assert.match(String(receiver.rejected[0]?.reason), /exp/);
    assert.equal((await store.getOutbox('X-1'))?.status, 'failed');
    await dispatcher.stop();
  });

  it('fails a row at once when its call is unknown or its url is not http(s); nothing is sent', async () => {
    await fresh();
    const clock = new ManualClock(Date.now());
    const log = new EventLog();
    const dispatcher = await makeDispatcher({
      store,
      clock,
      log,
      lookupCall: async (callId) => (callId === 'gone' ? undefined : { appId: APP_ID, tenantId: TENANT_ID }),
    });
    await addRows(store, { url: () => receiver.url('/x'), rows: [['gone', 1]], now: clock.now() });
    await addRows(store, { url: () => 'ftp://bot.example.com/cb', rows: [['ftp', 1]], now: clock.now() });
    assert.equal(await dispatcher.runOnce(), 2);

    assert.equal(receiver.received.length + receiver.rejected.length, 0);
    assert.deepEqual(
      log
        .of('failed')
        .map((e) => [e.row.id, e.reason, e.attempt.status])
        .sort(),
      [
        ['ftp-1', 'invalid-url', null],
        ['gone-1', 'unknown-call', null],
      ],
    );
    assert.match(String((await store.getOutbox('gone-1'))?.lastError), /no call gone is known/);
    assert.equal((await store.listOutbox({ status: 'failed' })).length, 2);
    await dispatcher.stop();
  });

  it('a listener that throws (or rejects) never breaks delivery', async () => {
    await fresh();
    const seen: string[] = [];
    const throwing = (event: OutboxEvent): void => {
      seen.push(event.type);
      throw new Error('listener bug');
    };
    const rejecting = async (event: OutboxEvent): Promise<void> => {
      seen.push(event.type);
      throw new Error('async listener bug');
    };
    const listener = (event: OutboxEvent): Promise<void> | void =>
      seen.length % 2 === 0 ? throwing(event) : rejecting(event);
    const dispatcher = await makeDispatcher({ store, clock: systemClock, onEvent: listener });
    dispatcher.start();
    await addRows(store, {
      url: () => receiver.url('/l'),
      rows: [
        ['L', 1],
        ['L', 2],
        ['M', 1],
      ],
      now: Date.now(),
    });
    dispatcher.kick();
    await receiver.waitFor(3);
    await dispatcher.stop();
    assert.deepEqual(seen, ['delivered', 'delivered', 'delivered']);
    assert.deepEqual(receiver.messageIds().sort(), ['L-1', 'L-2', 'M-1']);
    assert.equal((await store.listOutbox({ status: 'delivered' })).length, 3);
  });
});
