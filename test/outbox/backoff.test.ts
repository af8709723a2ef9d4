import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_BACKOFF,
  backoffSchedule,
  nextDelayMs,
  nextRunAt,
  resolveBackoff,
} from '../../src/outbox/backoff.js';

describe('backoff', () => {
  it('defaults: base 1 s, cap 60 s, 8 attempts', () => {
    assert.deepEqual(DEFAULT_BACKOFF, { baseMs: 1_000, maxMs: 60_000, maxAttempts: 8 });
    assert.deepEqual(resolveBackoff(), DEFAULT_BACKOFF);
  });

  it('nextDelayMs(attempt) = min(baseMs * 2^(attempt-1), maxMs)', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 7, 8, 20, 2_000].map((a) => nextDelayMs(a)),
      [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000, 60_000],
    );
    assert.deepEqual(
      [1, 2, 3, 4].map((a) => nextDelayMs(a, { baseMs: 10, maxMs: 50 })),
      [10, 20, 40, 50],
    );
  });

  it('the default schedule: the 7 waits between 8 attempts', () => {
    assert.deepEqual(backoffSchedule(), [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000]);
    assert.deepEqual(backoffSchedule({ maxAttempts: 1 }), []);
  });

  it('nextRunAt: now + delay, or null once the last allowed attempt failed', () => {
    const backoff = { baseMs: 10, maxMs: 40, maxAttempts: 3 };
    assert.equal(nextRunAt({ attempt: 1, now: 1_000, backoff }), 1_010);
    assert.equal(nextRunAt({ attempt: 2, now: 1_000, backoff }), 1_020);
    assert.equal(nextRunAt({ attempt: 3, now: 1_000, backoff }), null);
    assert.equal(nextRunAt({ attempt: 9, now: 1_000, backoff }), null);
    assert.equal(nextRunAt({ attempt: 8, now: 0 }), null);
    assert.equal(nextRunAt({ attempt: 7, now: 0 }), 60_000);
  });

  it('rejects values the formula cannot use', () => {
    assert.throws(() => resolveBackoff({ baseMs: -1 }), RangeError);
    assert.throws(() => resolveBackoff({ baseMs: Number.NaN }), RangeError);
    assert.throws(() => resolveBackoff({ baseMs: 100, maxMs: 50 }), RangeError);
    assert.throws(() => resolveBackoff({ maxAttempts: 0 }), RangeError);
    assert.throws(() => resolveBackoff({ maxAttempts: 1.5 }), RangeError);
    assert.throws(() => nextDelayMs(0), RangeError);
    assert.throws(() => nextDelayMs(1.5), RangeError);
  });
});
