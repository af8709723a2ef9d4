import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FAR_END_DELAY_MS } from '../../src/services/far-end.js';
import { EXTRA_IDS as X, SEED_IDS as S } from '../../src/world/seed-ids.js';
import { instanceSource, p2pBody, phoneTarget, userTarget } from '../http/call-requests.js';
import { type BotReceiver, describeItems } from '../support/bot-receiver.js';
import { validateGraphValue } from '../support/graph-schema.js';
import type { TestServer } from '../support/in-process.js';
import { until } from '../support/poll.js';
import { closeServerWithBot, createCall, startServerWithBot } from './server-with-bot.js';

type Call = { id: string; state: string };
type Items = Record<string, unknown>[];
const last = (state: string) => (items: Items) => describeItems(items).at(-1) === state;
const resultOf = (item: Record<string, unknown>) =>
  (item.resourceData as { resultInfo: { code: number; subcode: number } }).resultInfo;

/** Every POST body that carried notifications of this call validates against its version's schema. */
function assertAllValid(receiver: BotReceiver, version: 'v1.0' | 'beta', callId: string) {
  const bodies = receiver.received.filter((n) =>
    n.body.value.some((i) => String(i.resourceUrl).includes(callId)),
  );
  assert.notEqual(bodies.length, 0);
  for (const n of bodies) {
    assert.deepEqual(validateGraphValue({ version, type: 'graph.commsNotifications', value: n.body }), []);
  }
}

describe('e2e: a peer-to-peer call notifies a real bot (system clock)', () => {
  let server: TestServer;
  let bot: BotReceiver;
  before(async () => {
    ({ server, bot } = await startServerWithBot({
      server: { clock: 'system' },
      tenantId: S.contosoTenantId,
    }));
  });
  after(() => closeServerWithBot({ server, bot }));

  const create = (body: Record<string, unknown>, version = 'beta') =>
    createCall({ server, bot }, body, version);

  it('answered: establishing, ringing, established, each signed for the bot', async () => {
    const call = await create(p2pBody());
    const items = await bot.waitFor(call.id, last('updated:established'));
    assert.deepEqual(describeItems(items), [
      'updated:establishing',
      'updated:ringing',
      'updated:established',
    ]);
    const got = await server.graph('GET', `/beta/communications/calls/${call.id}`);
    assert.equal((got.body as Call).state, 'established');
    const first = bot.received.find((n) => String(n.body.value[0]!.resourceUrl).includes(call.id))!;
    assert.equal(first.claims.aud, S.callingBotAppId);
    assert.equal(first.claims.iss, 'https://graph.microsoft.com');
    assert.equal(
      first.headers['x-microsoft-skype-chain-id'],
      (got.body as { callChainId: string }).callChainId,
    );
    assert.deepEqual(bot.rejected, []);
    assertAllValid(bot, 'beta', call.id);
  });

  it('the bot hangs up: terminating, then terminated 200/5001', async () => {
    // A user who never answers by himself: the control API answers for him as soon as he rings.
    const call = await create(p2pBody({ targets: [userTarget(X.absentUserId, 'Absent')] }));
    await bot.waitFor(call.id, last('updated:ringing'));
    const answer = await server.graph('POST', `/_switchboard/calls/${call.id}/far-end/answer`, {
      token: null,
    });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    await bot.waitFor(call.id, last('updated:established'));
    const del = await server.graph('DELETE', `/beta/communications/calls/${call.id}`);
    assert.equal(del.status, 204);
    const items = await bot.waitFor(call.id, last('deleted:terminated'));
    assert.deepEqual(describeItems(items).slice(-2), ['updated:terminating', 'deleted:terminated']);
    assert.deepEqual(resultOf(items.at(-1)!), {
      '@odata.type': '#microsoft.graph.resultInfo',
      code: 200,
      subcode: 5001,
      message: 'The conversation has ended.',
    });
    // The bot has the last notification; Switchboard records its 202 a moment later.
    const rows = await until('every row recorded as delivered', async () => {
      const log = await server.graph('GET', `/_switchboard/calls/${call.id}/notifications`, { token: null });
      const value = (log.body as { value: { seq: number; status: string; attempts: number }[] }).value;
      return value.length === 5 && value.every((r) => r.status !== 'pending') ? value : undefined;
    });
    assert.deepEqual(
      rows.map((r) => [r.seq, r.status, r.attempts]),
      [1, 2, 3, 4, 5].map((seq) => [seq, 'delivered', 1]),
    );
    assertAllValid(bot, 'beta', call.id);
  });

  it('the manual clock cannot be moved on a system clock', async () => {
    const res = await server.graph('POST', '/_switchboard/clock/advance', { token: null, body: { ms: 1 } });
    assert.equal(res.status, 409);
    assert.equal((res.body as { error: { code: string } }).error.code, 'Conflict');
  });
});

describe('e2e: peer-to-peer and PSTN outcomes on --clock manual', () => {
  let server: TestServer;
  let bot: BotReceiver;
  before(async () => {
    ({ server, bot } = await startServerWithBot({ server: { clock: 'manual' } }));
  });
  after(() => closeServerWithBot({ server, bot }));

  const advance = async (ms: number) => {
    const res = await server.graph('POST', '/_switchboard/clock/advance', { token: null, body: { ms } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body as { mode: string; epochMs: number; timersRun: number };
  };
  const create = (body: Record<string, unknown>, version = 'beta') =>
    createCall({ server, bot }, body, version);

  it('not answered: the call rings until the ring timeout, reached by advancing the clock', async () => {
    const res = await server.graph('POST', '/beta/communications/calls', {
      body: p2pBody({
        callbackUri: bot.url,
        targets: [userTarget(X.absentUserId, 'Absent')],
        ringingTimeoutInSeconds: 20,
      }),
    });
    const call = res.body as Call;
    await bot.waitFor(call.id, last('updated:establishing'));
    const clock = (await server.graph('GET', '/_switchboard/clock', { token: null })).body as {
      mode: string;
      epochMs: number;
    };
    assert.equal(clock.mode, 'manual');
    const moved = await advance(FAR_END_DELAY_MS);
    assert.equal(moved.epochMs, clock.epochMs + FAR_END_DELAY_MS);
    assert.equal(moved.timersRun, 1);
    await bot.waitFor(call.id, last('updated:ringing'));
    await advance(19_999);
    const stored = await server.graph('GET', `/_switchboard/calls/${call.id}`, { token: null });
    assert.equal((stored.body as Call).state, 'ringing');
    await advance(1);
    const items = await bot.waitFor(call.id, last('deleted:terminated'));
    assert.deepEqual(describeItems(items), ['updated:establishing', 'updated:ringing', 'deleted:terminated']);
    assert.equal(resultOf(items[2]!).subcode, 10057);
    const timeline = (stored.body as { timeline: { event: string }[] }).timeline.map((e) => e.event);
    assert.deepEqual(timeline, ['created', 'farEndRinging']);
    assertAllValid(bot, 'beta', call.id);
  });

  it('declined: deleted with 486', async () => {
    const call = await create(p2pBody({ targets: [userTarget(X.decliningUserId, 'Declining User')] }));
    await advance(FAR_END_DELAY_MS);
    await advance(500);
    const items = await bot.waitFor(call.id, last('deleted:terminated'));
    assert.deepEqual(describeItems(items), ['updated:establishing', 'updated:ringing', 'deleted:terminated']);
    assert.equal(resultOf(items[2]!).code, 486);
    const got = await server.graph('GET', `/beta/communications/calls/${call.id}`);
    assert.equal(got.status, 404);
    assertAllValid(bot, 'beta', call.id);
  });

  it('unreachable: deleted with 480/10037 (v1.0 never hears of ringing)', async () => {
    const call = await create(p2pBody({ targets: [userTarget(X.unreachableUserId, 'Gone')] }), 'v1.0');
    await advance(FAR_END_DELAY_MS);
    const items = await bot.waitFor(call.id, last('deleted:terminated'));
    assert.deepEqual(describeItems(items), ['updated:establishing', 'deleted:terminated']);
    assert.deepEqual(resultOf(items[1]!), {
      '@odata.type': '#microsoft.graph.resultInfo',
      code: 480,
      subcode: 10037,
      message: 'No callee endpoints were found.',
    });
    assertAllValid(bot, 'v1.0', call.id);
  });

  it('PSTN: answered, then hung up by the phone (policy changed at run time)', async () => {
    const put = await server.graph(
      'PUT',
      `/_switchboard/policies/phones/${encodeURIComponent(S.phoneNumber)}`,
      {
        token: null,
        body: { action: 'answer', afterMs: 0, hangUpAfterMs: 200 },
      },
    );
    assert.equal(put.status, 200);
    const call = await create(p2pBody({ source: instanceSource(), targets: [phoneTarget()] }));
    await advance(FAR_END_DELAY_MS);
    const answered = await server.graph('GET', `/_switchboard/calls/${call.id}`, { token: null });
    assert.equal((answered.body as Call).state, 'established');
    await advance(200);
    const hungUp = await server.graph('GET', `/_switchboard/calls/${call.id}`, { token: null });
    assert.equal((hungUp.body as Call).state, 'terminating');
    await advance(250);
    const items = await bot.waitFor(call.id, last('deleted:terminated'));
    assert.deepEqual(describeItems(items), [
      'updated:establishing',
      'updated:ringing',
      'updated:established',
      'updated:terminating',
      'deleted:terminated',
    ]);
    assert.deepEqual(resultOf(items[4]!).subcode, 540000);
    assertAllValid(bot, 'beta', call.id);
  });
});
