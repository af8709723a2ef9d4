import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { SEED_IDS as S } from '../../src/world/seed-ids.js';
import { organizerMeetingBody, p2pBody } from '../http/call-requests.js';
import { BotReceiver, describeItems } from '../support/bot-receiver.js';
import { reusablePort } from '../support/ports.js';
import { spawnSwitchboard, type SwitchboardProcess } from '../support/switchboard-process.js';
import {
  BotDoor,
  DOWN_BODY,
  rowsWhen,
  switchboardClient,
  until,
  type ListedRow,
  type SwitchboardClient,
} from './durability-harness.js';

/**
 * A running Switchboard is killed with SIGKILL while its bot is down (503) for two calls and, for
 * a third, has taken the first notification (its 202 never reaches Switchboard: the POST is in
 * flight at the kill). The restart on the same --data delivers every notification in per-call
 * order; only the one in flight at the kill arrives twice, with the same message id.
 *
 * The first run uses --clock manual, so what happens before the kill is exact: retries run only
 * when the test moves the clock, so the in-flight POST is the only delivery not recorded. The
 * restart runs on the system clock; the dead run's lock would only go stale 30 s after it was
 * taken, well after this test's deadline, so the restart must release it at start-up.
 */

const data = mkdtempSync(join(tmpdir(), 'switchboard-durability-'));
after(() => rmSync(data, { recursive: true, force: true }));

const describeRows = (rows: ListedRow[]) => rows.flatMap((r) => describeItems(r.body.value));
const statuses = (row: ListedRow) => row.attemptLog.map((a) => [a.attempt, a.status]);

describe('e2e: SIGKILL with notifications pending, restart on the same --data', () => {
  /** What the test opened, closed afterwards even when it fails midway. */
  const opened: {
    door?: BotDoor;
    bot?: BotReceiver;
    first?: SwitchboardProcess;
    second?: SwitchboardProcess;
    clients: SwitchboardClient[];
  } = { clients: [] };
  after(async () => {
    for (const c of opened.clients) await c.close();
    await opened.second?.stop();
    const first = opened.first?.child;
    // stop() waits for an exit that a child already killed by a signal has had.
    if (first && first.exitCode === null && first.signalCode === null) await opened.first!.stop('SIGKILL');
    await opened.door?.close();
    await opened.bot?.close();
  });

  it('delivers every notification after the restart, in order, exactly once except the one in flight', async () => {
    // The restart listens on the same port: the bot's copy of the signing keys came from there.
    const port = String(await reusablePort());
    const common = ['--port', port, '--data', data];
    const door = (opened.door = await BotDoor.start());
    const first = (opened.first = await spawnSwitchboard([
      ...common,
      '--clock',
      'manual',
      '--log-level',
      'silent',
    ]));
    const api = switchboardClient(first.url);
    opened.clients.push(api);
    const bot = (opened.bot = await BotReceiver.start({
      switchboardUrl: first.url,
      appId: S.callingBotAppId,
      tenantId: S.contosoTenantId,
    }));
    door.target = bot.url;
    // Before the kill: '/late' reaches the bot but its answer is withheld; '/down' gets 503.
    door.rule = ({ path }) => (path === '/late' ? 'hold' : { status: 503 });

    const t0 = await api.clockNow();
    const create = async (body: Record<string, unknown>) =>
      ((await api.graph('POST', '/beta/communications/calls', body, 201)) as { id: string }).id;
    const late = await create(p2pBody({ callbackUri: door.url('/late') }));
    const p2p = await create(p2pBody({ callbackUri: door.url('/down') }));
    const meeting = await create(organizerMeetingBody({ callbackUri: door.url('/down') }));
    const calls = [late, p2p, meeting];
    const down = [p2p, meeting];
    const headAttempts = (n: number) => async () => {
      for (const id of down) {
        const rows = await api.notifications(id);
        if (rows[0]?.attempts !== n) return undefined;
      }
      return true;
    };

    await until('the first attempts', headAttempts(1));
    // Far ends ring and answer, the meeting lets the bot in, then the bot retries once more.
    await api.advanceTo(t0 + 500);
    await api.advanceTo(t0 + 1_500);
    await until('the second attempts', headAttempts(2));
    await api.control('POST', `/calls/${meeting}/participants`, { userId: S.user1UserId });
    for (const id of calls) await api.graph('DELETE', `/beta/communications/calls/${id}`, undefined, 204);
    await api.advanceTo(t0 + 1_750);

    const expected: Record<string, string[]> = {
      [late]: [
        'updated:establishing',
        'updated:ringing',
        'updated:established',
        'updated:terminating',
        'deleted:terminated',
      ],
      [meeting]: [
        'updated:establishing',
        'updated:established',
        'roster',
        'roster',
        'updated:terminating',
        'deleted:terminated',
      ],
    };
    expected[p2p] = expected[late]!;
    const before: Record<string, ListedRow[]> = {};
    for (const id of calls) {
      before[id] = await rowsWhen(api, id, 'every notification committed', (rows) => {
        return describeRows(rows).join() === expected[id]!.join();
      });
    }

    // The state at the kill: every row pending; the heads of the '/down' calls tried twice (503),
    // the head of '/late' in flight (taken by the bot, not recorded); nothing else was tried.
    for (const id of down) {
      assert.deepEqual(
        before[id]!.map((r) => [r.seq, r.status, r.attempts]),
        before[id]!.map((r, i) => [i + 1, 'pending', i === 0 ? 2 : 0]),
      );
      assert.deepEqual(statuses(before[id]![0]!), [
        [1, 503],
        [2, 503],
      ]);
      assert.equal(before[id]![0]!.lastError, DOWN_BODY);
    }
    const lateHead = before[late]![0]!.id;
    assert.deepEqual(
      before[late]!.map((r) => [r.status, r.attempts]),
      before[late]!.map(() => ['pending', 0]),
    );
    await until('the door to hold the first notification of /late', async () =>
      door.held().length > 0 ? true : undefined,
    );
    assert.deepEqual(door.held(), [lateHead]);
    await until('the bot took the held notification', async () =>
      bot.received.length === 1 ? true : undefined,
    );
    assert.equal(bot.received[0]!.headers['x-microsoft-skype-message-id'], lateHead);
    const heads = calls.map((id) => before[id]![0]!.id);
    assert.deepEqual(
      door.log.filter((r) => !heads.includes(r.messageId)),
      [],
      'only the first row of each call was tried',
    );
    const triedBefore = calls.map((id) => door.messageIds(id));
    assert.deepEqual(triedBefore, [[lateHead], [heads[1]!, heads[1]!], [heads[2]!, heads[2]!]]);

    assert.equal(await first.stop('SIGKILL'), null);
    assert.equal(first.child.signalCode, 'SIGKILL');
    await until('the held connection to close', async () => (door.held().length === 0 ? true : undefined));

    // The bot is up from now on.
    door.rule = () => 'forward';
    const second = (opened.second = await spawnSwitchboard([...common, '--log-level', 'info']));
    const again = switchboardClient(second.url);
    opened.clients.push(again);
    const restarted: Record<string, ListedRow[]> = {};
    for (const id of calls) {
      restarted[id] = await rowsWhen(
        again,
        id,
        'every row delivered after the restart',
        (rows) => rows.length === before[id]!.length && rows.every((r) => r.status === 'delivered'),
        20_000,
      );
    }
    // The restart freed exactly the lock of the row in flight at the kill.
    assert.match(second.stderr(), /"released":1,.*"msg":"outbox rows of a previous run released"/);

    for (const id of calls) {
      // The outbox after the restart holds the same notifications, now delivered.
      assert.deepEqual(
        restarted[id]!.map((r) => [r.id, r.seq, r.body]),
        before[id]!.map((r) => [r.id, r.seq, r.body]),
      );
      // The bot saw each row once, in seq order, with its body; the row in flight at the kill twice.
      const seen = bot.received.filter((n) => String(n.body.value[0]!.resourceUrl).includes(id));
      const rowIds = before[id]!.map((r) => r.id);
      assert.deepEqual(
        seen.map((n) => n.headers['x-microsoft-skype-message-id']),
        id === late ? [rowIds[0], ...rowIds] : rowIds,
      );
      const bodies = before[id]!.map((r) => r.body);
      assert.deepEqual(
        seen.map((n) => n.body),
        id === late ? [bodies[0], ...bodies] : bodies,
      );
      assert.deepEqual(
        describeItems(bot.items(id)),
        id === late ? [expected[id]![0], ...expected[id]!] : expected[id],
      );
      for (const n of seen) {
        assert.equal(n.claims.aud, S.callingBotAppId);
        assert.equal(n.claims.tid, S.contosoTenantId);
      }
      // The attempts log: the in-flight attempt was never recorded, so its row shows one 202.
      assert.deepEqual(
        restarted[id]!.map(statuses),
        restarted[id]!.map((_, i) =>
          i === 0 && id !== late
            ? [
                [1, 503],
                [2, 503],
                [3, 202],
              ]
            : [[1, 202]],
        ),
      );
    }
    assert.deepEqual(bot.rejected, []);
    assert.deepEqual(
      calls.map((id) => door.messageIds(id).slice(triedBefore[calls.indexOf(id)]!.length)),
      calls.map((id) => before[id]!.map((r) => r.id)),
      'after the restart the door saw each row once, in order',
    );
  });
});
