import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { backoffSchedule } from '../../src/outbox/backoff.js';
import { EXTRA_IDS as X, SEED_IDS as S } from '../../src/world/seed-ids.js';
import { p2pBody, userTarget } from '../http/call-requests.js';
import { BotReceiver, describeItems } from '../support/bot-receiver.js';
import { runSwitchboard, spawnSwitchboard, type SwitchboardProcess } from '../support/switchboard-process.js';
import {
  BotDoor,
  DOWN_BODY,
  rowsWhen,
  switchboardClient,
  type ListedRow,
  type SwitchboardClient,
} from './durability-harness.js';

/** Attempt times after the first, with --retry-base-ms 20: 0, 20, 60, 140, 300, 620, 1260, 2540. */
const OFFSETS = backoffSchedule({ baseMs: 20 }).reduce<number[]>((at, d) => [...at, at.at(-1)! + d], [0]);
const iso = (ms: number) => new Date(ms).toISOString();
const log = (row: ListedRow) => row.attemptLog.map((a) => [a.attempt, a.at, a.status]);

describe('e2e: the bot is down, then up (switchboard start --retry-base-ms 20 --clock manual)', () => {
  let sb: SwitchboardProcess;
  let api: SwitchboardClient;
  let bot: BotReceiver;
  let door: BotDoor;
  /** Paths whose bot is up; every other path answers 503. */
  const up = new Set<string>();
  before(async () => {
    sb = await spawnSwitchboard([
      '--port',
      '0',
      '--in-memory',
      '--clock',
      'manual',
      '--retry-base-ms',
      '20',
      '--log-level',
      'silent',
    ]);
    api = switchboardClient(sb.url);
    bot = await BotReceiver.start({
      switchboardUrl: sb.url,
      appId: S.callingBotAppId,
      tenantId: S.contosoTenantId,
    });
    door = await BotDoor.start();
    door.target = bot.url;
    door.rule = ({ path }) => (up.has(path) ? 'forward' : { status: 503 });
  });
  after(async () => {
    await api.close();
    await sb.stop();
    await door.close();
    await bot.close();
  });

  const createCall = async (path: string, target = userTarget()) =>
    (await api.graph(
      'POST',
      '/beta/communications/calls',
      p2pBody({ callbackUri: door.url(path), targets: [target] }),
      201,
    )) as { id: string };

  /** Moves the clock to t0 + offset and waits until the row has made `attempts` attempts. */
  const attemptAt = async (callId: string, seq: number, at: number, attempts: number) => {
    await api.advanceTo(at);
    return rowsWhen(api, callId, `attempt ${attempts} of row ${seq}`, (rows) => {
      const row = rows.find((r) => r.seq === seq);
      return row !== undefined && row.attempts === attempts;
    });
  };

  it('retries on the backoff schedule while the bot answers 503, then delivers every row in order', async () => {
    const t0 = await api.clockNow();
    const call = await createCall('/flaky');
    for (const [i, offset] of OFFSETS.slice(0, 6).entries()) await attemptAt(call.id, 1, t0 + offset, i + 1);

    // The far end rang at t0 + 500 while the first row was waiting: its row is held back.
    const waiting = await api.notifications(call.id);
    assert.deepEqual(
      waiting.map((r) => [r.seq, r.status, r.attempts, r.runAt]),
      [
        [1, 'pending', 6, iso(t0 + OFFSETS[6]!)],
        [2, 'pending', 0, waiting[1]!.runAt],
      ],
    );
    assert.equal(waiting[0]!.lastError, DOWN_BODY);
    assert.deepEqual(bot.items(call.id), []);

    up.add('/flaky');
    await api.advanceTo(t0 + OFFSETS[6]!);
    await rowsWhen(api, call.id, 'the first two rows delivered', (r) =>
      r.slice(0, 2).every((x) => x.status === 'delivered'),
    );
    await api.advanceTo(t0 + 2_000);
    const rows = await rowsWhen(
      api,
      call.id,
      'three delivered rows',
      (r) => r.length === 3 && r.every((x) => x.status === 'delivered'),
    );

    assert.deepEqual(log(rows[0]!), [
      ...OFFSETS.slice(0, 6).map((o, i) => [i + 1, iso(t0 + o), 503]),
      [7, iso(t0 + OFFSETS[6]!), 202],
    ]);
    assert.deepEqual(
      rows[0]!.attemptLog.slice(0, 6).map((a) => a.excerpt),
      Array(6).fill(DOWN_BODY),
    );
    // The held-back row goes as soon as the first is delivered; the last when its timer ran.
    assert.deepEqual(log(rows[1]!), [[1, iso(t0 + OFFSETS[6]!), 202]]);
    assert.deepEqual(log(rows[2]!), [[1, iso(t0 + 2_000), 202]]);

    const items = await bot.waitFor(call.id, (i) => i.length === 3);
    assert.deepEqual(describeItems(items), [
      'updated:establishing',
      'updated:ringing',
      'updated:established',
    ]);
    assert.deepEqual(
      bot.received
        .filter((n) => String(n.body.value[0]!.resourceUrl).includes(call.id))
        .map((n) => [n.headers['x-microsoft-skype-message-id'], n.body]),
      rows.map((r) => [r.id, r.body]),
    );
    assert.deepEqual(
      door.log.filter((r) => r.callId === call.id).map((r) => [r.messageId, r.answered]),
      [
        ...Array.from({ length: 6 }, () => [rows[0]!.id, 503]),
        [rows[0]!.id, 202],
        [rows[1]!.id, 202],
        [rows[2]!.id, 202],
      ],
    );
    assert.deepEqual(bot.rejected, []);
  });

  it('a bot that never comes back: each row fails after its 8th attempt, stays listed, and a replay delivers it', async () => {
    const t1 = await api.clockNow();
    const call = await createCall('/gone', userTarget(X.unreachableUserId, 'Gone'));
    for (const [i, offset] of OFFSETS.entries()) await attemptAt(call.id, 1, t1 + offset, i + 1);
    // The first row failed at t1 + 2540: the second (the call ended at t1 + 500) goes at once.
    const t2 = t1 + OFFSETS.at(-1)!;
    for (const [i, offset] of OFFSETS.entries()) await attemptAt(call.id, 2, t2 + offset, i + 1);

    const failed = await api.notifications(call.id);
    assert.deepEqual(
      failed.map((r) => [r.seq, r.status, r.attempts, r.lastError]),
      [
        [1, 'failed', 8, DOWN_BODY],
        [2, 'failed', 8, DOWN_BODY],
      ],
    );
    assert.deepEqual(
      failed.map(log),
      [t1, t2].map((start) => OFFSETS.map((o, i) => [i + 1, iso(start + o), 503])),
    );
    assert.deepEqual(
      failed.flatMap((r) => describeItems(r.body.value)),
      ['updated:establishing', 'deleted:terminated'],
    );
    assert.deepEqual(bot.items(call.id), []);

    // Still failed after the clock moves on: nothing retries a failed row by itself.
    await api.advanceTo(t2 + OFFSETS.at(-1)! + 60_000);
    const later = await api.notifications(call.id);
    assert.deepEqual(
      later.map((r) => [r.status, r.attempts]),
      [
        ['failed', 8],
        ['failed', 8],
      ],
    );

    up.add('/gone');
    for (const row of failed) {
      const replayed = await api.control('POST', `/outbox/${row.id}/replay`);
      assert.equal(replayed.status, 200, JSON.stringify(replayed.body));
      assert.equal((replayed.body as ListedRow).id, row.id);
    }
    const now = await api.clockNow();
    const rows = await rowsWhen(api, call.id, 'both replayed rows delivered', (r) =>
      r.every((x) => x.status === 'delivered'),
    );
    for (const row of rows) {
      assert.equal(row.attempts, 9);
      assert.deepEqual(log(row).at(-1), [9, iso(now), 202]);
    }
    const items = await bot.waitFor(call.id, (i) => i.length === 2);
    assert.deepEqual(describeItems(items), ['updated:establishing', 'deleted:terminated']);
    assert.deepEqual(
      bot.received
        .filter((n) => String(n.body.value[0]!.resourceUrl).includes(call.id))
        .map((n) => n.headers['x-microsoft-skype-message-id']),
      rows.map((r) => r.id),
    );
    const again = await api.control('POST', `/outbox/${rows[0]!.id}/replay`);
    assert.equal(again.status, 409);
    const unknown = await api.control('POST', '/outbox/no-such-row/replay');
    assert.equal(unknown.status, 404);
    assert.deepEqual(bot.rejected, []);
  });
});

describe('switchboard start --retry-base-ms', () => {
  for (const value of ['0', '1.5', 'abc', '9007199254740993']) {
    it(`refuses ${value} with exit code 2`, async () => {
      const run = await runSwitchboard(['start', '--in-memory', '--port', '0', '--retry-base-ms', value]);
      assert.equal(run.code, 2);
      assert.match(run.stderr, /--retry-base-ms <n>.*must be a positive integer \(milliseconds\)/);
    });
  }
});
