import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sequentialIds, timeOrderedIds, uuidV7 } from '../../src/domain/ids.js';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The 48-bit millisecond time a v7 id carries in its first 12 hex digits. */
const timeOf = (id: string): number => parseInt(id.replace(/-/g, '').slice(0, 12), 16);

describe('uuidV7', () => {
  it('lays out version 7, the RFC variant and the time in the first 12 hex digits', () => {
    const id = uuidV7(0x0123_4567_89ab);
    assert.match(id, V7);
    assert.equal(id.slice(0, 15), '01234567-89ab-7');
    assert.equal(id.length, 36);
  });

  it('carries the given millisecond time', () => {
    const t = Date.UTC(2026, 10, 30, 23, 49, 25, 123);
    const id = uuidV7(t);
    assert.match(id, V7);
    assert.equal(id.replace(/-/g, '').slice(0, 12), t.toString(16).padStart(12, '0'));
    assert.equal(timeOf(id), t);
    assert.equal(timeOf(uuidV7(0)), 0);
    assert.equal(timeOf(uuidV7(255)), 255);
  });

  it('truncates a fractional time and reads a negative one as 0', () => {
    assert.equal(uuidV7(1_700_000_000_000.9).slice(0, 13), uuidV7(1_700_000_000_000).slice(0, 13));
    assert.equal(uuidV7(-5).slice(0, 15), '00000000-0000-7');
  });

  it('sorts by time as plain strings', () => {
    const times = [
      0,
      1,
      15,
      16,
      255,
      256,
      4_095,
      1_000_000,
      1_700_000_000_000,
      1_700_000_000_001,
      2 ** 48 - 1,
    ];
    const made = times.flatMap((t) => [uuidV7(t), uuidV7(t)]);
    const sorted = [...made].sort();
    assert.deepEqual(
      sorted.map(timeOf),
      [...times, ...times].sort((a, b) => a - b),
    );
    for (const id of made) assert.match(id, V7);
  });

  it('makes distinct ids within one millisecond', () => {
    const t = 1_764_546_565_123;
    const made = Array.from({ length: 1_000 }, () => uuidV7(t));
    assert.equal(new Set(made).size, made.length);
    for (const id of made) {
      assert.match(id, V7);
      assert.equal(timeOf(id), t);
    }
  });
});

describe('IdGenerators', () => {
  it('timeOrderedIds makes v7 ids stamped with the current time', () => {
    const before = Date.now();
    const id = timeOrderedIds.uuid();
    const afterwards = Date.now();
    assert.match(id, V7);
    assert.ok(
      timeOf(id) >= before && timeOf(id) <= afterwards,
      `${timeOf(id)} in [${before}, ${afterwards}]`,
    );
    assert.notEqual(timeOrderedIds.uuid(), id);
  });

  it('sequentialIds counts up in hex after its prefix', () => {
    const ids = sequentialIds();
    assert.deepEqual(
      [ids.uuid(), ids.uuid()],
      ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002'],
    );
    for (let i = 0; i < 13; i++) ids.uuid();
    assert.equal(ids.uuid(), '00000000-0000-4000-8000-000000000010');
    assert.equal(sequentialIds('p-').uuid(), 'p-000000000001');
  });
});
