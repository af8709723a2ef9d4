import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { FAR_END_DELAY_MS } from '../../src/services/far-end.js';
import { MEETING_JOIN_DELAY_MS } from '../../src/services/meeting-join.js';
import { EXTRA_IDS as X, SEED_IDS as S } from '../../src/world/seed-ids.js';
import { guestSource, organizerMeetingBody, p2pBody, userTarget } from '../http/call-requests.js';
import { validateGraphValue } from '../support/graph-schema.js';
import { serviceHarness, summarize, type ServiceHarness } from './harness.js';

type Item = Record<string, unknown>;
type Participant = {
  id: string;
  isInLobby: boolean;
  rosterSequenceNumber?: number;
  removedState?: unknown;
  info: { identity: Record<string, { id: string }> };
};

/** Who is in a full roster item: user ids, guest ids, or 'bot' for the application. */
function who(item: Item): string[] {
  return (item.resourceData as Participant[]).map((p) => {
    const identity = p.info.identity;
    return identity.user?.id ?? identity.guest?.id ?? (identity.application ? 'bot' : '?');
  });
}

const channelMeeting = (over: Record<string, unknown> = {}) =>
  organizerMeetingBody({
    chatInfo: {
      '@odata.type': '#microsoft.graph.chatInfo',
      threadId: S.channelThreadId,
      messageId: S.channelMessageId,
    },
    ...over,
  });

describe('group calls and meetings: rosters, lobby, content sharing', () => {
  let h: ServiceHarness;
  beforeEach(async () => {
    h = await serviceHarness();
  });
  afterEach(() => h.close());

  async function assertValid(callId: string) {
    for (const body of await h.bodies(callId)) {
      assert.deepEqual(
        validateGraphValue({ version: 'beta', type: 'graph.commsNotifications', value: body }),
        [],
      );
    }
  }

  it('group call: established when the first target answers; a roster each time someone joins', async () => {
    const call = await h.create(
      p2pBody({
        targets: [
          userTarget(X.decliningUserId, 'Declining'),
          userTarget(S.johnUserId, 'John'),
          userTarget(S.user1UserId, 'user1'),
        ],
      }),
    );
    await h.advance(FAR_END_DELAY_MS);
    await h.advance(500); // the declining user declines: never in the roster, nothing to tell
    assert.deepEqual(summarize(await h.items(call.id)), ['updated:establishing', 'updated:ringing']);
    await h.advance(500); // John and user1 answer (1000 ms after ringing)
    const items = await h.items(call.id);
    assert.deepEqual(summarize(items), [
      'updated:establishing',
      'updated:ringing',
      'updated:established',
      'roster',
      'roster',
    ]);
    assert.deepEqual(who(items[3]!), [S.johnUserId, 'bot']);
    assert.deepEqual(who(items[4]!), [S.johnUserId, S.user1UserId, 'bot']);
    await assertValid(call.id);
  });

  it('group call: when every target declines or is unreachable, the call ends', async () => {
    const call = await h.create(
      p2pBody({
        targets: [userTarget(X.decliningUserId, 'Declining'), userTarget(X.unreachableUserId, 'Gone')],
      }),
    );
    await h.advance(FAR_END_DELAY_MS + 500);
    const items = await h.items(call.id);
    assert.deepEqual(summarize(items), ['updated:establishing', 'updated:ringing', 'deleted:terminated']);
    assert.equal((items[2]!.resourceData as { resultInfo: { code: number } }).resultInfo.code, 486);
  });

  it('meeting join: established after the join delay, then the full roster (meeting participants and the bot)', async () => {
    const call = await h.create(organizerMeetingBody());
    await h.advance(MEETING_JOIN_DELAY_MS - 1);
    assert.equal((await h.call(call.id)).state, 'establishing');
    await h.advance(1);
    const items = await h.items(call.id);
    assert.deepEqual(summarize(items), ['updated:establishing', 'updated:established', 'roster']);
    assert.deepEqual(who(items[2]!), [S.johnUserId, 'bot']);
    const roster = items[2]!.resourceData as Participant[];
    assert.equal(roster[1]!.id, (await h.call(call.id)).doc.resource.myParticipantId);
    assert.equal('rosterSequenceNumber' in roster[0]!, false);
    await assertValid(call.id);
  });

  it('delta roster: only what changed, sequenceNumber and rosterSequenceNumber rising per call', async () => {
    const call = await h.create(organizerMeetingBody({ callOptions: { isDeltaRosterEnabled: true } }));
    await h.advance(MEETING_JOIN_DELAY_MS);
    const joined = await h.control.addParticipant(call.id, S.user1UserId);
    await h.control.removeParticipant(call.id, joined.participantId);
    const rosters = (await h.items(call.id)).filter((i) =>
      (i.resourceUrl as string).endsWith('/participants'),
    );
    const deltas = rosters.map(
      (i) => (i.resourceData as { sequenceNumber: number; participants: Participant[] }[])[0]!,
    );
    assert.deepEqual(
      deltas.map((d) => d.sequenceNumber),
      [1, 2, 3],
    );
    assert.equal(deltas[0]!.participants.length, 2);
    assert.deepEqual(
      deltas.map((d) => d.participants.map((p) => p.rosterSequenceNumber)),
      [[1, 1], [2], [3]],
    );
    assert.equal(deltas[1]!.participants[0]!.id, joined.participantId);
    assert.deepEqual(deltas[2]!.participants[0]!.removedState, {
      reason: 'Participant left the conversation.',
    });
    assert.equal(rosters[0]!.resource, `/app/calls/${call.id}/participants`);
    await assertValid(call.id);
  });

  it('guest join: the bot waits in the lobby without a roster until admitted, then the roster follows', async () => {
    const call = await h.create(channelMeeting({ source: guestSource() }));
    await h.advance(MEETING_JOIN_DELAY_MS);
    let stored = await h.call(call.id);
    assert.equal(stored.state, 'establishing');
    const bot = (stored.doc.participants as unknown as Participant[]).find((p) => p.info.identity.guest)!;
    assert.equal(bot.isInLobby, true);
    assert.deepEqual(summarize(await h.items(call.id)), ['updated:establishing']);

    await h.control.participantAction(call.id, bot.id, 'admit');
    stored = await h.call(call.id);
    assert.equal(stored.state, 'established');
    const items = await h.items(call.id);
    assert.deepEqual(summarize(items), ['updated:establishing', 'updated:established', 'roster']);
    assert.deepEqual(who(items[2]!), [S.bobUserId, S.johnUserId, S.guestId]);
    assert.equal((items[2]!.resourceData as Participant[])[2]!.isInLobby, false);
    await assert.rejects(h.control.participantAction(call.id, bot.id, 'admit'), { status: 400 });
    await assertValid(call.id);
  });

  it('a user from outside the organization waits in the lobby of an organization-bypass meeting', async () => {
    const world = structuredClone(h.world.index.world);
    world.users.push({
      id: 'c0ffee00-0000-4000-8000-00000000a001',
      displayName: 'Outsider',
      tenantId: S.fabrikamTenantId,
    });
    world.tenants.push({ id: S.fabrikamTenantId, displayName: 'Fabrikam' });
    h.world.replace(world);
    const call = await h.create(organizerMeetingBody());
    await h.advance(MEETING_JOIN_DELAY_MS);
    const { participantId } = await h.control.addParticipant(call.id, 'c0ffee00-0000-4000-8000-00000000a001');
    let roster = (await h.items(call.id)).at(-1)!.resourceData as Participant[];
    assert.equal(roster.find((p) => p.id === participantId)!.isInLobby, true);
    await h.control.participantAction(call.id, participantId, 'admit');
    roster = (await h.items(call.id)).at(-1)!.resourceData as Participant[];
    assert.equal(roster.find((p) => p.id === participantId)!.isInLobby, false);
    await assert.rejects(h.control.addParticipant(call.id, 'c0ffee00-0000-4000-8000-00000000a001'), {
      status: 409,
    });
    await assert.rejects(h.control.addParticipant(call.id, 'c0ffee00-0000-4000-8000-00000000ffff'), {
      status: 404,
    });
  });

  it('content sharing: created, updated, deleted only with isContentSharingNotificationEnabled', async () => {
    for (const enabled of [true, false]) {
      const call = await h.create(
        organizerMeetingBody({ callOptions: { isContentSharingNotificationEnabled: enabled } }),
      );
      await h.advance(MEETING_JOIN_DELAY_MS);
      const john = (await h.call(call.id)).doc.participants[0]!.id as string;
      await h.control.sharing(call.id, john, 'start');
      await h.control.sharing(call.id, john, 'update');
      await h.control.sharing(call.id, john, 'stop');
      const items = await h.items(call.id);
      const expected = enabled
        ? ['roster', 'sharing:created', 'sharing:updated', 'roster', 'sharing:deleted']
        : ['roster', 'roster'];
      assert.deepEqual(summarize(items).slice(3), expected);
      if (enabled) {
        const session = (items[4]!.resourceData as { id: string; presenterParticipantId: string }[])[0]!;
        assert.match(session.id, /^[0-9a-f]{64}$/);
        assert.equal(session.presenterParticipantId, john);
      }
      await assert.rejects(h.control.sharing(call.id, john, 'stop'), { status: 400 });
      await assertValid(call.id);
    }
  });

  it('peer-to-peer calls take no extra participants', async () => {
    const call = await h.create(p2pBody());
    await assert.rejects(h.control.addParticipant(call.id, S.user1UserId), { status: 400 });
  });
});

describe("the 'graph' delivery profile", () => {
  let h: ServiceHarness;
  beforeEach(async () => {
    h = await serviceHarness({ profile: 'graph' });
  });
  afterEach(() => h.close());

  it('batches what was committed together and delivers established before establishing', async () => {
    const call = await h.create(organizerMeetingBody());
    assert.deepEqual(await h.bodies(call.id), []);
    await h.advance(MEETING_JOIN_DELAY_MS);
    const bodies = await h.bodies(call.id);
    assert.deepEqual(
      bodies.map((b) => summarize(b.value as Item[])),
      [['updated:established', 'roster'], ['updated:establishing']],
    );
  });

  it('an establishing followed by something else than established keeps its order', async () => {
    const call = await h.create(p2pBody({ targets: [userTarget(X.unreachableUserId, 'Gone')] }));
    await h.advance(FAR_END_DELAY_MS);
    const bodies = await h.bodies(call.id);
    assert.deepEqual(
      bodies.map((b) => summarize(b.value as Item[])),
      [['updated:establishing'], ['deleted:terminated']],
    );
  });
});
