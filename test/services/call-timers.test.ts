import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { CALL_TIMINGS } from '../../src/domain/call-transitions.js';
import { FAR_END_DELAY_MS } from '../../src/services/far-end.js';
import { EXTRA_IDS as X } from '../../src/world/seed-ids.js';
import { p2pBody, userTarget } from '../http/call-requests.js';
import { START, serviceHarness, summarize, type ServiceHarness } from './harness.js';

const FAR_FUTURE = START + 10 * 3_600_000;

describe('call timers: one store row per call', () => {
  let h: ServiceHarness;
  beforeEach(async () => {
    h = await serviceHarness();
  });
  afterEach(() => h.close());

  const rows = () => h.store.dueTimers(FAR_FUTURE, 100);

  it('the row is due when the call’s earliest timer is, and follows it', async () => {
    const { id } = await h.create(p2pBody());
    const keepAlive = START + CALL_TIMINGS.keepAliveWindowMs;
    assert.deepEqual(await rows(), [
      { id, callId: id, kind: 'call', dueAt: START + FAR_END_DELAY_MS, payload: '{}' },
    ]);
    const created = (await h.call(id)).doc.extra;
    const kinds = Object.keys(created.timers as Record<string, number>);
    assert.equal(kinds.length, 2);
    const farEnd = kinds[1]!;
    assert.match(farEnd, /^farEnd:/);
    assert.deepEqual(created.timers, { keepAliveExpired: keepAlive, [farEnd]: START + FAR_END_DELAY_MS });
    assert.deepEqual(created.timerPayloads, {
      keepAliveExpired: { type: 'call' },
      [farEnd]: { type: 'farEnd', participantId: farEnd.slice('farEnd:'.length), step: 'ring' },
    });

    await h.advance(FAR_END_DELAY_MS); // ringing: the answer is due 1000 ms later
    assert.deepEqual(
      (await rows()).map((t) => [t.id, t.dueAt]),
      [[id, START + FAR_END_DELAY_MS + 1000]],
    );
    await h.advance(1000); // established: only the keepAlive window is left
    assert.deepEqual(
      (await rows()).map((t) => [t.id, t.dueAt]),
      [[id, keepAlive]],
    );
    assert.deepEqual(Object.keys((await h.call(id)).doc.extra.timers as object), ['keepAliveExpired']);
  });

  it('an ended call has no row', async () => {
    const { id } = await h.create(p2pBody({ targets: [userTarget(X.decliningUserId, 'Declining User')] }));
    await h.advance(FAR_END_DELAY_MS);
    await h.advance(500);
    assert.equal((await h.call(id)).state, 'terminated');
    assert.deepEqual(await rows(), []);
    assert.deepEqual((await h.call(id)).doc.extra.timerPayloads, {});
  });

  it('a row out of step with its call is moved to the call’s earliest timer, and nothing runs early', async () => {
    const { id } = await h.create(p2pBody());
    const before = await h.call(id);
    // The row says 100 ms; the call's earliest timer is due at 500 ms.
    await h.store.apply({
      timers: [{ id, callId: id, kind: 'call', dueAt: START + 100, payload: '{}' }],
      now: START,
    });
    await h.advance(100);
    const after = await h.call(id);
    assert.equal(after.state, 'establishing');
    assert.deepEqual(after.doc.extra.timers, before.doc.extra.timers);
    assert.deepEqual(
      (await rows()).map((t) => [t.id, t.dueAt]),
      [[id, START + FAR_END_DELAY_MS]],
    );
    await h.advance(FAR_END_DELAY_MS - 100);
    assert.equal((await h.call(id)).state, 'ringing');
  });

  it('a row left for a call with no timers is removed', async () => {
    const { id } = await h.create(p2pBody({ targets: [userTarget(X.decliningUserId, 'Declining User')] }));
    await h.advance(FAR_END_DELAY_MS);
    await h.advance(500);
    await h.store.apply({
      timers: [{ id, callId: id, kind: 'call', dueAt: h.clock.now() + 1, payload: '{}' }],
      now: h.clock.now(),
    });
    await h.advance(1);
    assert.deepEqual(await rows(), []);
    assert.deepEqual(summarize(await h.items(id)), [
      'updated:establishing',
      'updated:ringing',
      'deleted:terminated',
    ]);
  });
});
