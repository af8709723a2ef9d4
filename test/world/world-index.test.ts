import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EXTRA_IDS, SEED_IDS, defaultWorld } from '../../src/world/default-world.js';
import { WorldIndex } from '../../src/world/world-index.js';
import type { World } from '../../src/world/world-schema.js';

const index = (edit?: (w: World) => void): WorldIndex => {
  const w = defaultWorld();
  edit?.(w);
  return new WorldIndex(w);
};

describe('WorldIndex', () => {
  it('keeps the world it indexes', () => {
    const w = defaultWorld();
    assert.equal(new WorldIndex(w).world, w);
  });

  it('finds tenants, apps, users, guests and application instances by GUID in any case', () => {
    const ix = index();
    assert.equal(ix.tenant(SEED_IDS.contosoTenantId)?.displayName, 'Contoso');
    assert.equal(ix.tenant(SEED_IDS.fabrikamTenantId.toUpperCase())?.displayName, 'Fabrikam');
    assert.equal(ix.app(SEED_IDS.callingBotAppId)?.displayName, 'Calling Bot');
    assert.equal(ix.app(SEED_IDS.testBotAppId.toUpperCase())?.displayName, 'TestBot');
    assert.equal(ix.user(SEED_IDS.johnUserId)?.displayName, 'John');
    assert.equal(ix.user('5810CEDE-F3CC-42EB-B2C1-E9BD5D53EC96')?.displayName, 'Bob');
    assert.equal(ix.guest(SEED_IDS.guestId)?.displayName, 'Guest User');
    assert.equal(ix.applicationInstance(SEED_IDS.applicationInstanceId)?.phoneNumber, '+14255550100');
  });

  it('keeps identity kinds apart and returns undefined for unknown ids', () => {
    const ix = index();
    assert.equal(ix.user(SEED_IDS.guestId), undefined);
    assert.equal(ix.guest(SEED_IDS.johnUserId), undefined);
    assert.equal(ix.app(SEED_IDS.applicationInstanceId), undefined);
    assert.equal(ix.applicationInstance(SEED_IDS.callingBotAppId), undefined);
    assert.equal(ix.tenant('86dc81db-c112-4228-9222-63f3esaa1edb'), undefined);
  });

  it('finds phones and application instances by number', () => {
    const ix = index();
    assert.deepEqual(ix.phone('+12345678901'), { number: '+12345678901' });
    assert.equal(ix.phone('+14255550100'), undefined);
    assert.equal(ix.applicationInstanceByPhone('+14255550100')?.id, SEED_IDS.applicationInstanceId);
    assert.equal(ix.applicationInstanceByPhone('+12345678901'), undefined);
  });

  it('finds meetings by id, by joinMeetingId and by exact chatInfo', () => {
    const ix = index();
    assert.equal(ix.meeting(EXTRA_IDS.channelMeetingId)?.kind, 'channel');
    assert.equal(ix.meeting('no-such-meeting'), undefined);
    assert.equal(ix.meetingByJoinMeetingId('1234567')?.passcode, 'psw123');
    assert.equal(ix.meetingByJoinMeetingId('7654321')?.passcode, null);
    assert.equal(ix.meetingByJoinMeetingId('1111111'), undefined);
    assert.equal(ix.meetingByChat(SEED_IDS.scheduledThreadId, '0')?.id, EXTRA_IDS.scheduledMeetingId);
    assert.equal(ix.meetingByChat(SEED_IDS.channelThreadId, '1533758867081')?.id, EXTRA_IDS.channelMeetingId);
    assert.equal(ix.meetingByChat('19:unknown@thread.v2', '0'), undefined);
  });

  it('finds a scheduled meeting by threadId alone, but never a channel meeting', () => {
    const ix = index();
    assert.equal(
      ix.meetingByChat(SEED_IDS.scheduledThreadId, '1533758867081')?.id,
      EXTRA_IDS.scheduledMeetingId,
    );
    assert.equal(ix.meetingByChat(SEED_IDS.channelThreadId, '0'), undefined);
  });

  it('needs the exact messageId when a thread holds more than one meeting', () => {
    const ix = index((w) => {
      w.meetings[2]!.chatInfo = { threadId: SEED_IDS.scheduledThreadId, messageId: '42' };
    });
    assert.equal(ix.meetingByChat(SEED_IDS.scheduledThreadId, '42')?.id, EXTRA_IDS.openMeetingId);
    assert.equal(ix.meetingByChat(SEED_IDS.scheduledThreadId, '0')?.id, EXTRA_IDS.scheduledMeetingId);
    assert.equal(ix.meetingByChat(SEED_IDS.scheduledThreadId, '7'), undefined);
  });

  it('gives users and phones their own policy or the default one', () => {
    const ix = index();
    assert.deepEqual(ix.policyForUser(SEED_IDS.johnUserId), { action: 'answer', afterMs: 1000 });
    assert.deepEqual(ix.policyForUser(EXTRA_IDS.decliningUserId), { action: 'decline', afterMs: 500 });
    assert.deepEqual(ix.policyForUser(EXTRA_IDS.absentUserId), { action: 'noAnswer' });
    assert.deepEqual(ix.policyForUser(EXTRA_IDS.unreachableUserId), { action: 'unreachable' });
    assert.deepEqual(ix.policyForUser('00000000-0000-4000-8000-00000000dead'), {
      action: 'answer',
      afterMs: 1000,
    });
    assert.deepEqual(ix.policyForPhone('+12345678901'), { action: 'answer', afterMs: 1000 });
    assert.deepEqual(ix.policyForPhone('+14255550199'), { action: 'decline', afterMs: 500 });
    assert.deepEqual(ix.policyForPhone('+19995550000'), { action: 'answer', afterMs: 1000 });
  });

  it('follows a changed defaultPolicy', () => {
    const ix = index((w) => {
      w.defaultPolicy = { action: 'noAnswer' };
    });
    assert.deepEqual(ix.policyForUser(SEED_IDS.user1UserId), { action: 'noAnswer' });
    assert.deepEqual(ix.policyForPhone('+12345678901'), { action: 'noAnswer' });
  });

  it('lists the RSC permissions an app holds on one chat', () => {
    const ix = index((w) => {
      w.apps[3]!.rsc!.push(
        {
          chatId: SEED_IDS.scheduledThreadId,
          permissions: ['Calls.AccessMedia.Chat', 'Calls.JoinGroupCalls.Chat'],
        },
        { chatId: SEED_IDS.channelThreadId, permissions: ['Calls.AccessMedia.Chat'] },
      );
    });
    assert.deepEqual(ix.rscPermissions(EXTRA_IDS.rscOnlyAppId, SEED_IDS.scheduledThreadId), [
      'Calls.JoinGroupCalls.Chat',
      'Calls.AccessMedia.Chat',
    ]);
    assert.deepEqual(ix.rscPermissions(EXTRA_IDS.rscOnlyAppId.toUpperCase(), SEED_IDS.channelThreadId), [
      'Calls.AccessMedia.Chat',
    ]);
    assert.deepEqual(ix.rscPermissions(EXTRA_IDS.rscOnlyAppId, SEED_IDS.joinByIdThreadId), []);
    assert.deepEqual(ix.rscPermissions(SEED_IDS.callingBotAppId, SEED_IDS.scheduledThreadId), []);
    assert.deepEqual(
      ix.rscPermissions('00000000-0000-4000-8000-00000000dead', SEED_IDS.scheduledThreadId),
      [],
    );
  });
});
