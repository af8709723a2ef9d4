import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import { SqliteStore } from '../../../src/storage/sqlite/sqlite-store.js';
import {
  ConflictError,
  type OutboxHandoff,
  type OutboxRow,
  type OutboxRowInput,
} from '../../../src/storage/store.js';
import { makeCallRecord } from '../call-record.js';
import { attempt, box, freshRow } from '../contract/fixtures.js';

const OWNER = 'dispatcher-1';
/** The handoff's clock in every case (change sets are stamped earlier, at `now: 7`). */
const NOW = 10;

/** A handoff that records every `take`, counts `later()` and answers a settable `available()`. */
function recordingHandoff(opts: { owner?: string; available?: number } = {}) {
  const takes: OutboxRow[][] = [];
  const state = { available: opts.available ?? 100, later: 0 };
  const handoff: OutboxHandoff = {
    owner: opts.owner ?? OWNER,
    now: () => NOW,
    available: () => state.available,
    later: () => void (state.later += 1),
    take: (rows) => void takes.push(rows),
  };
  return { handoff, takes, state };
}

/** The row as inserted by a change set stamped `now: 7`, locked by the handoff. */
const handed = (input: OutboxRowInput, seq: number, owner = OWNER): OutboxRow => ({
  ...freshRow(input, seq, 7),
  lockedBy: owner,
  lockedAt: NOW,
});
const unlocked = (input: OutboxRowInput, seq: number): OutboxRow => freshRow(input, seq, 7);

const ids = (rows: { id: string }[]): string[] => rows.map((r) => r.id);

const dir = mkdtempSync(join(tmpdir(), 'switchboard-handoff-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

const backends: [string, () => SqliteStore][] = [
  ['sqlite :memory:', () => new SqliteStore({ file: ':memory:' })],
  ['sqlite file', () => new SqliteStore({ file: join(dir, `handoff-${++files}.db`) })],
];

for (const [name, makeStore] of backends) {
  describe(`SqliteStore outbox handoff: ${name}`, () => {
    let s: SqliteStore;
    beforeEach(async () => {
      s = makeStore();
      await s.migrate();
    });
    afterEach(() => s.close());

    const claim = (owner = 'claimer', now = NOW) =>
      s.claimOutbox({ now, owner, limit: 10, staleLockMs: 1_000 });

    it('hands a due row over locked, with its seq and fields, and stores it locked', async () => {
      const h = recordingHandoff();
      s.setOutboxHandoff(h.handoff);
      // runAt equal to the handoff's now is due.
      await s.apply({ now: 7, outbox: [box('a1', 'A', NOW)] });
      assert.deepEqual(h.takes, [[handed(box('a1', 'A', NOW), 1)]]);
      assert.deepEqual(await s.getOutbox('a1'), handed(box('a1', 'A', NOW), 1));
      assert.deepEqual(await claim(), []);
    });

    it('calls take once per batch, with the rows of every change set of the batch in commit order', async () => {
      const h = recordingHandoff();
      s.setOutboxHandoff(h.handoff);
      await Promise.all([
        s.apply({ now: 7, outbox: [box('b1', 'B', 3)] }),
        s.apply({ now: 7, outbox: [box('c1', 'C', 9), box('d1', 'D', NOW)] }),
        s.apply({ now: 7, outbox: [box('e1', 'E', 0)] }),
      ]);
      assert.equal(s.groupCommitStats.batches, 1);
      assert.deepEqual(h.takes, [
        [
          handed(box('b1', 'B', 3), 1),
          handed(box('c1', 'C', 9), 1),
          handed(box('d1', 'D', NOW), 1),
          handed(box('e1', 'E', 0), 1),
        ],
      ]);
      await s.apply({ now: 7, outbox: [box('f1', 'F', 1)] });
      assert.equal(h.takes.length, 2);
      assert.deepEqual(h.takes[1], [handed(box('f1', 'F', 1), 1)]);
    });

    it('has called take by the time apply() resolves', async () => {
      const h = recordingHandoff();
      s.setOutboxHandoff(h.handoff);
      const applied = s.apply({ now: 7, outbox: [box('a1', 'A', NOW)] });
      assert.equal(h.takes.length, 0, 'nothing is written before the batch flushes');
      const takesAtResolve = await applied.then(() => h.takes.length);
      assert.equal(takesAtResolve, 1);
    });

    it('leaves a row that is not yet due unlocked, for claimOutbox once it is due', async () => {
      const h = recordingHandoff();
      s.setOutboxHandoff(h.handoff);
      await s.apply({ now: 7, outbox: [box('a1', 'A', NOW + 1)] });
      assert.deepEqual(h.takes, []);
      assert.deepEqual(await s.getOutbox('a1'), unlocked(box('a1', 'A', NOW + 1), 1));
      assert.deepEqual(await claim('claimer', NOW), []);
      assert.deepEqual(await claim('claimer', NOW + 1), [
        { ...unlocked(box('a1', 'A', NOW + 1), 1), lockedBy: 'claimer', lockedAt: NOW + 1 },
      ]);
    });

    it('a row held back by a pending row of its call (not due yet) is not handed over', async () => {
      const h = recordingHandoff();
      s.setOutboxHandoff(h.handoff);
      await s.apply({ now: 7, outbox: [box('a1', 'A', NOW + 5), box('a2', 'A', NOW)] });
      assert.deepEqual(h.takes, []);
      assert.deepEqual(await s.listOutbox({ callId: 'A' }), [
        unlocked(box('a1', 'A', NOW + 5), 1),
        unlocked(box('a2', 'A', NOW), 2),
      ]);
    });

    it('hands over only the first row of a call in one change set; the second waits for claimOutbox', async () => {
      const h = recordingHandoff();
      s.setOutboxHandoff(h.handoff);
      await s.apply({ now: 7, outbox: [box('a1', 'A', NOW), box('a2', 'A', NOW), box('b1', 'B', NOW)] });
      assert.deepEqual(h.takes, [[handed(box('a1', 'A', NOW), 1), handed(box('b1', 'B', NOW), 1)]]);
      assert.deepEqual(await s.getOutbox('a2'), unlocked(box('a2', 'A', NOW), 2));
      assert.deepEqual(await claim(), [], 'a2 waits behind the locked a1');

      await s.completeOutbox('a1', attempt('a1', 1, { status: 202 }));
      assert.deepEqual(await claim(), [
        { ...unlocked(box('a2', 'A', NOW), 2), lockedBy: 'claimer', lockedAt: NOW },
      ]);
      assert.equal(h.takes.length, 1);
    });

    it('a later change set of a call whose row is still pending is not handed over until that row is done', async () => {
      const h = recordingHandoff();
      s.setOutboxHandoff(h.handoff);
      await s.apply({ now: 7, outbox: [box('a1', 'A', NOW)] });
      await s.apply({ now: 7, outbox: [box('a2', 'A', NOW)] });
      assert.deepEqual(h.takes, [[handed(box('a1', 'A', NOW), 1)]]);
      assert.deepEqual(await s.getOutbox('a2'), unlocked(box('a2', 'A', NOW), 2));

      await s.completeOutbox('a1', attempt('a1', 1, { status: 202 }));
      const [claimedA2] = await claim();
      assert.deepEqual(claimedA2, {
        ...unlocked(box('a2', 'A', NOW), 2),
        lockedBy: 'claimer',
        lockedAt: NOW,
      });
      await s.completeOutbox('a2', attempt('a2', 1, { status: 202 }));

      await s.apply({ now: 7, outbox: [box('a3', 'A', NOW)] });
      assert.deepEqual(h.takes, [[handed(box('a1', 'A', NOW), 1)], [handed(box('a3', 'A', NOW), 3)]]);
      assert.deepEqual(await s.getOutbox('a3'), handed(box('a3', 'A', NOW), 3));
    });

    it('a second change set of the same call in the same batch is not handed over', async () => {
      const h = recordingHandoff();
      s.setOutboxHandoff(h.handoff);
      await Promise.all([
        s.apply({ now: 7, outbox: [box('a1', 'A', NOW)] }),
        s.apply({ now: 7, outbox: [box('a2', 'A', NOW)] }),
      ]);
      assert.equal(s.groupCommitStats.batches, 1);
      assert.deepEqual(h.takes, [[handed(box('a1', 'A', NOW), 1)]]);
      assert.deepEqual(await s.getOutbox('a2'), unlocked(box('a2', 'A', NOW), 2));
    });

    it('after completeOutbox of the handed-over row, the next row of that call is handed over again', async () => {
      const h = recordingHandoff();
      s.setOutboxHandoff(h.handoff);
      await s.apply({ now: 7, outbox: [box('a1', 'A', NOW)] });
      await s.completeOutbox('a1', attempt('a1', 1, { status: 202 }));
      await s.apply({ now: 7, outbox: [box('a2', 'A', NOW)] });
      assert.deepEqual(h.takes, [[handed(box('a1', 'A', NOW), 1)], [handed(box('a2', 'A', NOW), 2)]]);
    });

    it('a row rescheduled by failOutbox still holds back the next row; a failed one does not', async () => {
      const h = recordingHandoff();
      s.setOutboxHandoff(h.handoff);
      await s.apply({ now: 7, outbox: [box('a1', 'A', NOW), box('b1', 'B', NOW)] });
      await s.failOutbox('a1', attempt('a1', 1), NOW + 100);
      await s.failOutbox('b1', attempt('b1', 1), null);
      await s.apply({ now: 7, outbox: [box('a2', 'A', NOW), box('b2', 'B', NOW)] });
      assert.deepEqual(h.takes[1], [handed(box('b2', 'B', NOW), 2)]);
      assert.equal(h.takes.length, 2);
      assert.deepEqual(await s.getOutbox('a2'), unlocked(box('a2', 'A', NOW), 2));
    });

    it('locks no more rows per batch than available(); the rest go to claimOutbox', async () => {
      const h = recordingHandoff({ available: 1 });
      s.setOutboxHandoff(h.handoff);
      await Promise.all([
        s.apply({ now: 7, outbox: [box('a1', 'A', NOW)] }),
        s.apply({ now: 7, outbox: [box('b1', 'B', NOW)] }),
        s.apply({ now: 7, outbox: [box('c1', 'C', NOW)] }),
      ]);
      assert.equal(s.groupCommitStats.batches, 1);
      assert.deepEqual(h.takes, [[handed(box('a1', 'A', NOW), 1)]]);
      assert.equal(h.state.later, 2, 'later() once for each row left for want of a slot');
      assert.deepEqual(await s.getOutbox('b1'), unlocked(box('b1', 'B', NOW), 1));
      assert.deepEqual(await s.getOutbox('c1'), unlocked(box('c1', 'C', NOW), 1));
      assert.deepEqual(await claim(), [
        { ...unlocked(box('b1', 'B', NOW), 1), lockedBy: 'claimer', lockedAt: NOW },
        { ...unlocked(box('c1', 'C', NOW), 1), lockedBy: 'claimer', lockedAt: NOW },
      ]);
      // The count starts again with each batch.
      await s.apply({ now: 7, outbox: [box('d1', 'D', NOW), box('e1', 'E', NOW)] });
      assert.deepEqual(h.takes[1], [handed(box('d1', 'D', NOW), 1)]);
      assert.deepEqual(await s.getOutbox('e1'), unlocked(box('e1', 'E', NOW), 1));
    });

    it("a claim by the handoff's owner shares available() with the rows handed over in its batch", async () => {
      const h = recordingHandoff({ available: 2 });
      s.setOutboxHandoff(h.handoff);
      await s.apply({ now: 7, outbox: [box('a1', 'A', NOW + 5), box('b1', 'B', NOW + 5)] });
      // Both are due at NOW + 5 only: nothing was handed over, both wait for a claim.
      assert.deepEqual(h.takes, []);
      assert.equal(h.state.later, 2, 'later() for each row left');
      // One batch: a change set handing c1 over, then the owner's claim with a limit of 10.
      const [, claimed] = await Promise.all([
        s.apply({ now: 7, outbox: [box('c1', 'C', NOW)] }),
        s.claimOutbox({ now: NOW + 5, owner: OWNER, limit: 10, staleLockMs: 1_000 }),
      ]);
      assert.deepEqual(h.takes, [[handed(box('c1', 'C', NOW), 1)]]);
      assert.deepEqual(ids(claimed), ['a1']);
      assert.equal(h.state.later, 3, 'the claim was cut to the one free slot and filled it');
      // Another owner's claim is not limited by the handoff.
      assert.deepEqual(ids(await claim('claimer', NOW + 5)), ['b1']);
      // The claim first, then a change set: the claim took the only slot left.
      h.state.available = 1;
      await s.apply({ now: 7, outbox: [box('d1', 'D', NOW + 5)] });
      const [again] = await Promise.all([
        s.claimOutbox({ now: NOW + 5, owner: OWNER, limit: 10, staleLockMs: 1_000 }),
        s.apply({ now: 7, outbox: [box('e1', 'E', NOW)] }),
      ]);
      assert.deepEqual(ids(again), ['d1']);
      assert.equal(h.takes.length, 1);
      assert.equal(h.state.later, 6, 'd1 not due, the claim cut to the last slot, e1 with none');
      assert.deepEqual(await s.getOutbox('e1'), unlocked(box('e1', 'E', NOW), 1));
    });

    it('rows held back or not due use none of available()', async () => {
      const h = recordingHandoff({ available: 2 });
      s.setOutboxHandoff(h.handoff);
      await s.apply({
        now: 7,
        outbox: [box('a1', 'A', NOW), box('a2', 'A', NOW), box('x1', 'X', NOW + 1), box('b1', 'B', NOW)],
      });
      assert.deepEqual(h.takes, [[handed(box('a1', 'A', NOW), 1), handed(box('b1', 'B', NOW), 1)]]);
    });

    it('with available() at 0 nothing is locked and take is not called', async () => {
      const h = recordingHandoff({ available: 0 });
      s.setOutboxHandoff(h.handoff);
      await s.apply({ now: 7, outbox: [box('a1', 'A', NOW)] });
      assert.deepEqual(h.takes, []);
      assert.equal(h.state.later, 1);
      assert.deepEqual(ids(await claim()), ['a1']);
    });

    it('a change set that fails with ConflictError hands nothing over; its sibling in the batch is handed over', async () => {
      await s.apply({ now: 7, calls: [{ record: makeCallRecord({ id: 'c1' }), expectedRevision: null }] });
      const h = recordingHandoff();
      s.setOutboxHandoff(h.handoff);
      const results = await Promise.allSettled([
        s.apply({
          now: 7,
          calls: [{ record: makeCallRecord({ id: 'c1', revision: 3 }), expectedRevision: 2 }],
          outbox: [box('x1', 'c1', NOW)],
        }),
        s.apply({ now: 7, outbox: [box('y1', 'Y', NOW)] }),
      ]);
      assert.equal(s.groupCommitStats.batches, 2);
      const [failed, applied] = results;
      assert.ok(failed?.status === 'rejected' && failed.reason instanceof ConflictError);
      assert.equal(applied?.status, 'fulfilled');
      assert.deepEqual(h.takes, [[handed(box('y1', 'Y', NOW), 1)]]);
      assert.equal(await s.getOutbox('x1'), undefined);
      // The rolled-back row did not count as pending: the call's next row is handed over.
      await s.apply({
        now: 7,
        calls: [{ record: makeCallRecord({ id: 'c1', revision: 2 }), expectedRevision: 1 }],
        outbox: [box('x2', 'c1', NOW)],
      });
      assert.deepEqual(h.takes[1], [handed(box('x2', 'c1', NOW), 1)]);
    });

    it('a change set rolled back after one of its rows was locked hands that row nowhere and frees its slot', async () => {
      await s.apply({ now: 7, outbox: [box('dup', 'D', NOW + 50)] });
      // One slot: n1 takes it, its change set rolls back, and y1 gets it.
      const h = recordingHandoff({ available: 1 });
      s.setOutboxHandoff(h.handoff);
      const results = await Promise.allSettled([
        s.apply({ now: 7, outbox: [box('n1', 'N', NOW), box('dup', 'M', NOW)] }),
        s.apply({ now: 7, outbox: [box('y1', 'Y', NOW)] }),
      ]);
      assert.deepEqual(
        results.map((r) => r.status),
        ['rejected', 'fulfilled'],
      );
      assert.deepEqual(h.takes, [[handed(box('y1', 'Y', NOW), 1)]]);
      assert.equal(await s.getOutbox('n1'), undefined);
    });

    it('hands rows to the handoff set last while it is set, then to the one before, then to none', async () => {
      const first = recordingHandoff();
      const second = recordingHandoff({ owner: 'dispatcher-2' });
      s.setOutboxHandoff(first.handoff);
      await s.apply({ now: 7, outbox: [box('a1', 'A', NOW)] });
      s.setOutboxHandoff(second.handoff);
      await s.apply({ now: 7, outbox: [box('b1', 'B', NOW)] });
      s.clearOutboxHandoff('dispatcher-2');
      await s.apply({ now: 7, outbox: [box('c1', 'C', NOW)] });
      s.clearOutboxHandoff(OWNER);
      s.clearOutboxHandoff('never-set'); // unknown owners are ignored
      await s.apply({ now: 7, outbox: [box('d1', 'D', NOW)] });

      assert.deepEqual(first.takes, [[handed(box('a1', 'A', NOW), 1)], [handed(box('c1', 'C', NOW), 1)]]);
      assert.deepEqual(second.takes, [[handed(box('b1', 'B', NOW), 1, 'dispatcher-2')]]);
      assert.deepEqual(await s.getOutbox('d1'), unlocked(box('d1', 'D', NOW), 1));
      assert.deepEqual(ids(await claim()), ['d1']);
    });

    it('setting an owner again replaces its earlier handoff and makes it the last', async () => {
      const first = recordingHandoff();
      const second = recordingHandoff({ owner: 'dispatcher-2' });
      const again = recordingHandoff();
      s.setOutboxHandoff(first.handoff);
      s.setOutboxHandoff(second.handoff);
      s.setOutboxHandoff(again.handoff);
      await s.apply({ now: 7, outbox: [box('a1', 'A', NOW)] });
      s.clearOutboxHandoff(OWNER);
      await s.apply({ now: 7, outbox: [box('b1', 'B', NOW)] });

      assert.deepEqual(first.takes, []);
      assert.deepEqual(again.takes, [[handed(box('a1', 'A', NOW), 1)]]);
      assert.deepEqual(second.takes, [[handed(box('b1', 'B', NOW), 1, 'dispatcher-2')]]);
    });
  });
}
