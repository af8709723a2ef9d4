import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Store, TimerInput } from '../../../src/storage/store.js';
import { makeCallRecord } from '../call-record.js';
import { attempt, box, freshRow } from './fixtures.js';

const timer = (id: string, dueAt: number, callId = 'c1'): TimerInput => ({
  id,
  callId,
  kind: 'answerWindow',
  dueAt,
  payload: `{"timer":"${id}"}`,
});

export function registerTimerMetaResetCases(store: () => Store): void {
  describe('timers', () => {
    it('dueTimers returns timers due at or before now, oldest first, up to limit', async () => {
      const s = store();
      await s.apply({
        now: 1,
        timers: [timer('t3', 300), timer('t1', 100), timer('t4', 400), timer('t2', 200)],
      });
      assert.deepEqual(await s.dueTimers(99, 10), []);
      assert.deepEqual(await s.dueTimers(300, 10), [timer('t1', 100), timer('t2', 200), timer('t3', 300)]);
      assert.deepEqual(await s.dueTimers(1_000, 2), [timer('t1', 100), timer('t2', 200)]);
    });

    it('dueTimers does not remove timers; cancelTimers does (unknown ids are ignored)', async () => {
      const s = store();
      await s.apply({ now: 1, timers: [timer('t1', 100), timer('t2', 200)] });
      await s.dueTimers(1_000, 10);
      assert.deepEqual(await s.dueTimers(1_000, 10), [timer('t1', 100), timer('t2', 200)]);
      await s.apply({ now: 2, cancelTimers: ['t1', 'never-existed'] });
      assert.deepEqual(await s.dueTimers(1_000, 10), [timer('t2', 200)]);
    });

    it('adding a timer with an existing id reschedules it, also after a cancel in the same change set', async () => {
      const s = store();
      await s.apply({ now: 1, timers: [timer('t1', 100)] });
      await s.apply({ now: 2, timers: [{ ...timer('t1', 500), kind: 'keepAlive', payload: '{"v":2}' }] });
      assert.deepEqual(await s.dueTimers(1_000, 10), [
        { ...timer('t1', 500), kind: 'keepAlive', payload: '{"v":2}' },
      ]);
      await s.apply({ now: 3, cancelTimers: ['t1'], timers: [timer('t1', 50)] });
      assert.deepEqual(await s.dueTimers(1_000, 10), [timer('t1', 50)]);
    });

    it('nextTimerDueAt is the earliest dueAt, or null', async () => {
      const s = store();
      assert.equal(await s.nextTimerDueAt(), null);
      await s.apply({ now: 1, timers: [timer('t2', 200), timer('t1', 150)] });
      assert.equal(await s.nextTimerDueAt(), 150);
      await s.apply({ now: 2, cancelTimers: ['t1'] });
      assert.equal(await s.nextTimerDueAt(), 200);
      await s.apply({ now: 3, cancelTimers: ['t2'] });
      assert.equal(await s.nextTimerDueAt(), null);
    });
  });

  describe('meta', () => {
    it('getMeta is undefined until set; setMeta overwrites', async () => {
      const s = store();
      assert.equal(await s.getMeta('signingKey'), undefined);
      await s.setMeta('signingKey', '{"kty":"RSA"}');
      assert.equal(await s.getMeta('signingKey'), '{"kty":"RSA"}');
      await s.setMeta('signingKey', 'rotated');
      await s.setMeta('other', '');
      assert.equal(await s.getMeta('signingKey'), 'rotated');
      assert.equal(await s.getMeta('other'), '');
    });
  });

  describe('reset', () => {
    it('deletes calls, outbox rows, attempts and timers but keeps meta', async () => {
      const s = store();
      await s.setMeta('k', 'v');
      await s.apply({
        now: 1,
        calls: [{ record: makeCallRecord({ id: 'c1' }), expectedRevision: null }],
        outbox: [box('o1', 'c1', 1), box('o2', 'c1', 1)],
        timers: [timer('t1', 10)],
      });
      await s.failOutbox('o1', attempt('o1', 1), null);
      await s.reset();
      assert.equal(await s.getCall('c1'), undefined);
      assert.deepEqual(await s.listCalls(), []);
      assert.deepEqual(await s.listOutbox({}), []);
      assert.deepEqual(await s.listAttempts('o1'), []);
      assert.deepEqual(await s.dueTimers(1_000, 10), []);
      assert.equal(await s.nextOutboxRunAt(), null);
      assert.equal(await s.nextTimerDueAt(), null);
      assert.equal(await s.getMeta('k'), 'v');
      await s.apply({
        now: 5,
        calls: [{ record: makeCallRecord({ id: 'c1' }), expectedRevision: null }],
        outbox: [box('o1', 'c1', 5)],
      });
      assert.deepEqual(await s.getOutbox('o1'), freshRow(box('o1', 'c1', 5), 1, 5));
    });
  });
}
