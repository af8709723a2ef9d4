import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../src/domain/clock.js';
import type { SqliteStore } from '../../src/storage/sqlite/sqlite-store.js';
import type { OutboxHandoff, OutboxRow, Store } from '../../src/storage/store.js';
import type { Receiver } from './support/receiver.js';
import {
  EventLog,
  addRows,
  makeDispatcher,
  memoryStore,
  notificationBody,
  startReceiver,
} from './support/harness.js';

/** `store` with some of its methods replaced; every other one is the store's own. */
function overriding(store: Store, overrides: Partial<Store>): Store {
  return new Proxy<Store>(store, {
    get(target, prop) {
      if (prop in overrides) return overrides[prop as keyof Store];
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * The store as the dispatcher sees it, counting its claims and recording what they returned and what is handed to it: for
 * each handed-over row, the row given to `take` and the row as stored at that moment (read
 * synchronously, between the COMMIT and the start of its delivery).
 */
function spyStore(store: SqliteStore) {
  const claimed: string[] = [];
  const counts = { claims: 0 };
  const handoffs: string[] = [];
  const taken: { row: OutboxRow; stored: Promise<OutboxRow | undefined> }[] = [];
  const wrapHandoff = (handoff: OutboxHandoff): OutboxHandoff => ({
    owner: handoff.owner,
    now: () => handoff.now(),
    available: () => handoff.available(),
    later: () => handoff.later(),
    take: (rows) => {
      // getOutbox runs its SELECT before it first awaits: this is the row right after COMMIT.
      for (const row of rows) taken.push({ row, stored: store.getOutbox(row.id) });
      handoff.take(rows);
    },
  });
  const spy = overriding(store, {
    claimOutbox: async (opts) => {
      counts.claims += 1;
      const rows = await store.claimOutbox(opts);
      claimed.push(...rows.map((r) => r.id));
      return rows;
    },
    setOutboxHandoff: (handoff) => {
      handoffs.push(handoff.owner);
      store.setOutboxHandoff(wrapHandoff(handoff));
    },
    clearOutboxHandoff: (owner) => {
      handoffs.push(`cleared ${owner}`);
      store.clearOutboxHandoff(owner);
    },
  });
  return { spy, claimed, counts, handoffs, taken };
}

describe('OutboxDispatcher outbox handoff', { timeout: 60_000 }, () => {
  let receiver: Receiver;
  before(async () => {
    receiver = await startReceiver();
  });
  after(() => receiver.close());

  it('delivers a row committed after start() through the handoff, without claiming it', async () => {
    receiver.clear();
    const store = await memoryStore();
    const { spy, claimed, handoffs, taken } = spyStore(store);
    const clock = new ManualClock(Date.now());
    const log = new EventLog();
    const dispatcher = await makeDispatcher({ store: spy, clock, log, owner: 'handoff-owner' });
    dispatcher.start();
    assert.deepEqual(handoffs, ['handoff-owner']);

    await addRows(store, { url: () => receiver.url('/handoff'), rows: [['H', 1]], now: clock.now() });
    // No kick(): the commit itself hands the row to the dispatcher.
    await log.waitFor('delivered');

    assert.equal(taken.length, 1);
    const [first] = taken;
    const locked: OutboxRow = {
      id: 'H-1',
      callId: 'H',
      seq: 1,
      url: receiver.url('/handoff'),
      body: notificationBody('H', 1),
      runAt: clock.now(),
      status: 'pending',
      attempts: 0,
      lockedBy: 'handoff-owner',
      lockedAt: clock.now(),
      createdAt: clock.now(),
      lastError: null,
    };
    assert.deepEqual(first!.row, locked);
    assert.deepEqual(await first!.stored, locked);
    assert.equal(claimed.includes('H-1'), false, 'the row never came from claimOutbox');

    assert.deepEqual(receiver.messageIds('/handoff'), ['H-1']);
    const stored = await store.getOutbox('H-1');
    assert.deepEqual(stored, { ...locked, status: 'delivered', attempts: 1, lockedBy: null, lockedAt: null });
    assert.deepEqual(
      (await store.listAttempts('H-1')).map((a) => [a.attempt, a.at, a.status]),
      [[1, clock.now(), 202]],
    );
    assert.deepEqual(
      log.events.map((e) => e.type),
      ['delivered'],
    );

    await dispatcher.stop();
    assert.deepEqual(handoffs, ['handoff-owner', 'cleared handoff-owner']);
    await store.close();
  });

  it('two dispatchers on one store: when the one started last stops, the other takes rows at their COMMIT again', async () => {
    receiver.clear();
    const store = await memoryStore();
    const { spy, claimed, handoffs, taken } = spyStore(store);
    const clock = new ManualClock(Date.now());
    const log = new EventLog();
    // A 60 s idle timer: a row that needed a claim would not be delivered within the test.
    const first = await makeDispatcher({ store: spy, clock, log, owner: 'first', maxIdleMs: 60_000 });
    const second = await makeDispatcher({ store: spy, clock, log, owner: 'second', maxIdleMs: 60_000 });
    first.start();
    second.start();
    await addRows(store, { url: () => receiver.url('/two'), rows: [['A', 1]], now: clock.now() });
    await log.waitFor('delivered');
    await second.stop();
    await addRows(store, { url: () => receiver.url('/two'), rows: [['B', 1]], now: clock.now() });
    await log.waitFor('delivered', 2);

    assert.deepEqual(handoffs, ['first', 'second', 'cleared second']);
    assert.deepEqual(
      taken.map((t) => [t.row.id, t.row.lockedBy]),
      [
        ['A-1', 'second'],
        ['B-1', 'first'],
      ],
    );
    assert.deepEqual(claimed, [], 'no row came from claimOutbox');
    assert.deepEqual(receiver.messageIds('/two'), ['A-1', 'B-1']);
    await first.stop();
    await store.close();
  });

  it('after stop(), a newly committed row stays unlocked and pending', async () => {
    receiver.clear();
    const store = await memoryStore();
    const { spy, handoffs, taken } = spyStore(store);
    const clock = new ManualClock(Date.now());
    const log = new EventLog();
    const dispatcher = await makeDispatcher({ store: spy, clock, log, owner: 'stopped-owner' });
    dispatcher.start();
    await addRows(store, { url: () => receiver.url('/before-stop'), rows: [['S', 1]], now: clock.now() });
    await log.waitFor('delivered');
    await dispatcher.stop();
    assert.deepEqual(handoffs, ['stopped-owner', 'cleared stopped-owner']);

    await addRows(store, { url: () => receiver.url('/after-stop'), rows: [['T', 1]], now: clock.now() });
    const row = await store.getOutbox('T-1');
    assert.equal(row?.status, 'pending');
    assert.equal(row?.lockedBy, null);
    assert.equal(row?.lockedAt, null);
    assert.deepEqual(
      taken.map((t) => t.row.id),
      ['S-1'],
    );
    assert.deepEqual(receiver.messageIds(), ['S-1']);
    assert.equal(log.of('delivered').length, 1);
    assert.equal(dispatcher.inFlight, 0);
    await store.close();
  });

  it('a row queued behind a pending row of its call is claimed, not handed over, and keeps its order', async () => {
    receiver.clear();
    const store = await memoryStore();
    const { spy, claimed, taken } = spyStore(store);
    const clock = new ManualClock(Date.now());
    const log = new EventLog();
    // A long idle timer: O-2 must be claimed because O-1's delivery finished, not on a timer.
    const dispatcher = await makeDispatcher({
      store: spy,
      clock,
      log,
      owner: 'ordered-owner',
      maxIdleMs: 60_000,
    });
    dispatcher.start();
    await addRows(store, {
      url: () => receiver.url('/ordered'),
      rows: [
        ['O', 1],
        ['O', 2],
      ],
      now: clock.now(),
    });
    await log.waitFor('delivered', 2);
    await dispatcher.stop();

    assert.deepEqual(
      taken.map((t) => t.row.id),
      ['O-1'],
    );
    assert.equal(claimed.includes('O-2'), true);
    assert.equal(claimed.includes('O-1'), false);
    assert.deepEqual(receiver.messageIds('/ordered'), ['O-1', 'O-2']);
    await store.close();
  });

  it('a claim and a handoff in the same batch share the concurrency limit', async () => {
    receiver.clear();
    let open = (): void => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    for (const c of ['P', 'Q']) receiver.script(`/shared/${c}`, [{ until: gate, then: { status: 202 } }]);
    const store = await memoryStore();
    const clock = new ManualClock(Date.now());
    const log = new EventLog();
    const url = (c: string): string => receiver.url(`/shared/${c}`);
    // Only claimOutbox can find P-1: it was committed before the dispatcher started.
    await addRows(store, { url, rows: [['P', 1]], now: clock.now() });
    const dispatcher = await makeDispatcher({ store, clock, log, concurrency: 1 });
    dispatcher.start(); // its claim (limit 1) joins the next batch...
    await addRows(store, { url, rows: [['Q', 1]], now: clock.now() }); // ...which also commits Q-1
    try {
      await receiver.waitFor(1);
      assert.equal(dispatcher.inFlight, 1);
      assert.deepEqual(receiver.messageIds(), ['P-1']);
      assert.equal((await store.getOutbox('Q-1'))?.lockedBy, null);
    } finally {
      open();
    }
    await log.waitFor('delivered', 2);
    await dispatcher.stop();
    assert.equal(receiver.maxConcurrent, 1);
    assert.deepEqual(receiver.messageIds(), ['P-1', 'Q-1']);
    await store.close();
  });

  it('rowsCommitted() claims only when a committed row was left for a claim', async () => {
    receiver.clear();
    const store = await memoryStore();
    const { spy, claimed, counts } = spyStore(store);
    const clock = new ManualClock(Date.now());
    const log = new EventLog();
    const dispatcher = await makeDispatcher({ store: spy, clock, log, maxIdleMs: 60_000 });
    dispatcher.start();
    await log.waitFor('delivered', 0);
    await new Promise((resolve) => setImmediate(resolve));
    const afterStart = counts.claims;
    assert.equal(afterStart, 1, 'start() looks once');

    // Handed over whole: nothing for a claim to find.
    await addRows(store, { url: () => receiver.url('/rc'), rows: [['R', 1]], now: clock.now() });
    dispatcher.rowsCommitted();
    await log.waitFor('delivered', 1);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(counts.claims, afterStart);

    // S-2 waits behind S-1: the commit that left it makes rowsCommitted() claim.
    await addRows(store, {
      url: () => receiver.url('/rc'),
      rows: [
        ['S', 1],
        ['S', 2],
      ],
      now: clock.now(),
    });
    dispatcher.rowsCommitted();
    await log.waitFor('delivered', 3);
    await dispatcher.stop();
    assert.ok(counts.claims > afterStart);
    assert.deepEqual(claimed, ['S-2']);
    assert.deepEqual(receiver.messageIds('/rc'), ['R-1', 'S-1', 'S-2']);
    await store.close();
  });

  it('drains a backlog larger than its slots without waiting for its idle timer', async () => {
    receiver.clear();
    const store = await memoryStore();
    const clock = new ManualClock(Date.now());
    const log = new EventLog();
    const calls = ['B1', 'B2', 'B3', 'B4', 'B5', 'B6', 'B7'];
    // Committed before the dispatcher starts: only claims can find these rows.
    await addRows(store, {
      url: () => receiver.url('/backlog'),
      rows: calls.flatMap((c): [string, number][] => [
        [c, 1],
        [c, 2],
      ]),
      now: clock.now(),
    });
    const dispatcher = await makeDispatcher({ store, clock, log, concurrency: 2, maxIdleMs: 60_000 });
    dispatcher.start();
    await log.waitFor('delivered', calls.length * 2);
    await dispatcher.stop();
    assert.equal(receiver.maxConcurrent <= 2, true);
    for (const c of calls) {
      assert.deepEqual(
        receiver.messageIds('/backlog').filter((id) => id.startsWith(`${c}-`)),
        [`${c}-1`, `${c}-2`],
      );
    }
    await store.close();
  });

  it("frees a delivery's slot when its POST is answered, before its result is recorded", async () => {
    receiver.clear();
    const store = await memoryStore();
    let open = (): void => undefined;
    const recorded = new Promise<void>((resolve) => (open = resolve));
    // completeOutbox waits for the gate: results stay unrecorded until it opens.
    const slowRecords = overriding(store, {
      completeOutbox: async (...args) => {
        await recorded;
        return store.completeOutbox(...args);
      },
    });
    const clock = new ManualClock(Date.now());
    const log = new EventLog();
    await addRows(store, {
      url: () => receiver.url('/slots'),
      rows: [
        ['A', 1],
        ['B', 1],
      ],
      now: clock.now(),
    });
    const dispatcher = await makeDispatcher({ store: slowRecords, clock, log, concurrency: 1 });
    dispatcher.start();
    try {
      // With one slot, B-1 goes out while A-1's result is still waiting to be recorded.
      await receiver.waitFor(2);
      assert.deepEqual(receiver.messageIds('/slots'), ['A-1', 'B-1']);
      assert.equal(log.events.length, 0);
      assert.equal(receiver.maxConcurrent, 1);
    } finally {
      open();
    }
    await log.waitFor('delivered', 2);
    await dispatcher.stop();
    assert.equal((await store.getOutbox('A-1'))?.status, 'delivered');
    assert.equal((await store.getOutbox('B-1'))?.status, 'delivered');
    await store.close();
  });
});
