import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SEED_IDS as S } from '../../src/world/seed-ids.js';
import { guestSource, organizerMeetingBody, p2pBody, userTarget } from '../http/call-requests.js';
import { type BotReceiver, describeItems } from '../support/bot-receiver.js';
import { validateGraphValue } from '../support/graph-schema.js';
import type { TestServer } from '../support/in-process.js';
import { closeServerWithBot, createCall, startServerWithBot } from './server-with-bot.js';

type Call = { id: string; state: string };
type Items = Record<string, unknown>[];
type Participant = { id: string; isInLobby: boolean; info: { identity: Record<string, { id: string }> } };
type StoredCall = Call & { participants: Participant[]; resource: { myParticipantId: string } };

const last = (what: string) => (items: Items) => describeItems(items).at(-1) === what;
const count = (what: string, n: number) => (items: Items) =>
  describeItems(items).filter((d) => d === what).length >= n;
function who(item: Record<string, unknown>): string[] {
  return (item.resourceData as Participant[]).map((p) => {
    const identity = p.info.identity;
    return identity.user?.id ?? identity.guest?.id ?? (identity.application ? 'bot' : '?');
  });
}

describe('e2e: group calls and meetings notify a real bot (--clock manual)', () => {
  let server: TestServer;
  let bot: BotReceiver;
  before(async () => {
    ({ server, bot } = await startServerWithBot({
      server: { clock: 'manual' },
      tenantId: S.contosoTenantId,
    }));
  });
  after(() => closeServerWithBot({ server, bot }));

  const control = async (method: string, path: string, body?: unknown) => {
    const res = await server.graph(method, `/_switchboard${path}`, { token: null, body });
    assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const advance = (ms: number) => control('POST', '/clock/advance', { ms });
  const create = (body: Record<string, unknown>) => createCall({ server, bot }, body);
  const assertValid = (callId: string) => {
    const bodies = bot.received.filter((n) =>
      n.body.value.some((i) => String(i.resourceUrl).includes(callId)),
    );
    for (const n of bodies) {
      assert.deepEqual(
        validateGraphValue({ version: 'beta', type: 'graph.commsNotifications', value: n.body }),
        [],
      );
    }
  };

  it('group call: established with the first answer, a roster as each target joins', async () => {
    const call = await create(
      p2pBody({ targets: [userTarget(S.johnUserId, 'John'), userTarget(S.user1UserId, 'user1')] }),
    );
    await advance(1500);
    const items = await bot.waitFor(call.id, count('roster', 2));
    assert.deepEqual(describeItems(items), [
      'updated:establishing',
      'updated:ringing',
      'updated:established',
      'roster',
      'roster',
    ]);
    assert.deepEqual(who(items[4]!), [S.johnUserId, S.user1UserId, 'bot']);
    assertValid(call.id);
  });

  it('scheduled meeting: established, then the full roster with the meeting participants and the bot', async () => {
    const call = await create(organizerMeetingBody());
    await advance(500);
    const items = await bot.waitFor(call.id, last('roster'));
    assert.deepEqual(describeItems(items), ['updated:establishing', 'updated:established', 'roster']);
    assert.deepEqual(who(items[2]!), [S.johnUserId, 'bot']);
    assertValid(call.id);
  });

  it('delta roster: a new participant arrives alone with the next sequence number', async () => {
    const call = await create(organizerMeetingBody({ callOptions: { isDeltaRosterEnabled: true } }));
    await advance(500);
    await bot.waitFor(call.id, last('roster'));
    const joined = (await control('POST', `/calls/${call.id}/participants`, { userId: S.user2UserId })) as {
      participantId: string;
    };
    const items = await bot.waitFor(call.id, count('roster', 2));
    const delta = (
      items.at(-1)!.resourceData as { sequenceNumber: number; participants: Participant[] }[]
    )[0]!;
    assert.equal(delta.sequenceNumber, 2);
    assert.deepEqual(
      delta.participants.map((p) => p.id),
      [joined.participantId],
    );
    assertValid(call.id);
  });

  it('channel meeting: the channel participants are in the roster', async () => {
    const call = await create(
      organizerMeetingBody({
        chatInfo: {
          '@odata.type': '#microsoft.graph.chatInfo',
          threadId: S.channelThreadId,
          messageId: S.channelMessageId,
        },
      }),
    );
    await advance(500);
    const items = await bot.waitFor(call.id, last('roster'));
    assert.deepEqual(who(items.at(-1)!), [S.bobUserId, S.johnUserId, 'bot']);
    assertValid(call.id);
  });

  it('guest join: waits in the lobby with no roster, is admitted through the control API, then is in the roster', async () => {
    const call = await create(
      organizerMeetingBody({
        source: guestSource(),
        chatInfo: {
          '@odata.type': '#microsoft.graph.chatInfo',
          threadId: S.channelThreadId,
          messageId: S.channelMessageId,
        },
      }),
    );
    await advance(500);
    const waiting = (await control('GET', `/calls/${call.id}`)) as StoredCall;
    assert.equal(waiting.state, 'establishing');
    const me = waiting.participants.find((p) => p.id === waiting.resource.myParticipantId)!;
    assert.equal(me.isInLobby, true);
    // Nothing but establishing was committed for the bot while it waits (the outbox is the record).
    const rows = (await control('GET', `/calls/${call.id}/notifications`)) as {
      value: { body: { value: Items } }[];
    };
    assert.deepEqual(
      rows.value.flatMap((r) => describeItems(r.body.value)),
      ['updated:establishing'],
    );
    const admitted = (await control('POST', `/calls/${call.id}/participants/${me.id}/admit`)) as StoredCall;
    assert.equal(admitted.state, 'established');
    const items = await bot.waitFor(call.id, last('roster'));
    assert.deepEqual(describeItems(items), ['updated:establishing', 'updated:established', 'roster']);
    assert.deepEqual(who(items[2]!), [S.bobUserId, S.johnUserId, S.guestId]);
    assert.equal((items[2]!.resourceData as Participant[])[2]!.isInLobby, false);
    assertValid(call.id);
  });

  it('content sharing: created, updated and deleted reach the bot', async () => {
    const call = await create(
      organizerMeetingBody({ callOptions: { isContentSharingNotificationEnabled: true } }),
    );
    await advance(500);
    await bot.waitFor(call.id, last('roster'));
    const stored = (await control('GET', `/calls/${call.id}`)) as StoredCall;
    const john = stored.participants[0]!.id;
    for (const action of ['start', 'update', 'stop']) {
      await control('POST', `/calls/${call.id}/participants/${john}/sharing`, { action });
    }
    const items = await bot.waitFor(call.id, last('sharing:deleted'));
    assert.deepEqual(describeItems(items).slice(3), [
      'roster',
      'sharing:created',
      'sharing:updated',
      'roster',
      'sharing:deleted',
    ]);
    assertValid(call.id);
  });
});
