import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ALL_CALLS_ROLES,
  DEFAULT_APP_SECRET,
  EXTRA_IDS,
  SEED_IDS,
  defaultWorld,
} from '../../src/world/default-world.js';
import { validateWorld } from '../../src/world/validate-world.js';

/** Every identity the seed examples use, copied verbatim from the seed document. */
const SEED_TABLE = `
tenant               aa67bd4c-8475-432d-bd41-39f255720e0a  Contoso
tenant               9f386a15-f9cc-445b-8106-ac85e314a07b  Fabrikam
app                  2891555a-92ff-42e6-80fa-6e1300c6b5c6  Calling Bot
app                  dd3885da-f9ab-486b-bfae-85de3d445555  TestBot
user                 112f7296-5fa4-42ca-bae8-6a692b15d4b8  John
user                 98da8a1a-1b87-452c-a713-65d3f10b5555  user1
user                 bf5aae9a-d11d-47a8-93b1-782504c95555  user2
user                 5810cede-f3cc-42eb-b2c1-e9bd5d53ec96  Bob
guest                d7a3b999-17ac-4bca-9e77-e6a730d2ec2e  Guest User
applicationInstance  3d913abb-aec0-4964-8fa6-3c6850c4f278  Calling Bot
phone                +12345678901
`;

const seedRows = SEED_TABLE.trim()
  .split('\n')
  .map((line) => {
    const [kind = '', id = '', ...name] = line.trim().split(/\s+/);
    return { kind, id, displayName: name.join(' ') };
  });

function find(kind: string, id: string): { displayName?: string } | object | undefined {
  const w = defaultWorld();
  switch (kind) {
    case 'tenant':
      return w.tenants.find((t) => t.id === id);
    case 'app':
      return w.apps.find((a) => a.appId === id);
    case 'user':
      return w.users.find((u) => u.id === id);
    case 'guest':
      return w.guests.find((g) => g.id === id);
    case 'applicationInstance':
      return w.applicationInstances.find((a) => a.id === id);
    case 'phone':
      return w.phones.find((p) => p.number === id);
    default:
      throw new Error(`unknown kind ${kind}`);
  }
}

describe('defaultWorld', () => {
  it('passes validateWorld unchanged', () => {
    assert.deepEqual(validateWorld(defaultWorld(), 'default world'), defaultWorld());
  });

  it('returns a fresh object on each call', () => {
    const a = defaultWorld();
    a.users.length = 0;
    a.apps[0]!.roles.length = 0;
    const b = defaultWorld();
    assert.equal(b.users.length, 7);
    assert.deepEqual(b.apps[0]!.roles, [...ALL_CALLS_ROLES]);
  });

  for (const row of seedRows) {
    it(`contains the seed ${row.kind} ${row.id}`, () => {
      const found = find(row.kind, row.id);
      assert.ok(found, `${row.kind} ${row.id} missing`);
      if (row.displayName) assert.equal((found as { displayName?: string }).displayName, row.displayName);
    });
  }

  it('exports the seed ids with their exact values', () => {
    const exported = new Set<string>(Object.values(SEED_IDS));
    for (const row of seedRows) assert.ok(exported.has(row.id), `SEED_IDS lacks ${row.id}`);
    assert.equal(SEED_IDS.bobUserId, '5810cede-f3cc-42eb-b2c1-e9bd5d53ec96');
    assert.equal(SEED_IDS.joinMeetingId, '1234567');
    assert.equal(SEED_IDS.passcode, 'psw123');
  });

  it('gives both seed bots every Calls.* role and the documented secret', () => {
    const w = defaultWorld();
    for (const appId of ['2891555a-92ff-42e6-80fa-6e1300c6b5c6', 'dd3885da-f9ab-486b-bfae-85de3d445555']) {
      const app = w.apps.find((a) => a.appId === appId);
      assert.deepEqual(app?.roles, [
        'Calls.Initiate.All',
        'Calls.InitiateGroupCall.All',
        'Calls.JoinGroupCall.All',
        'Calls.JoinGroupCallAsGuest.All',
        'Calls.AccessMedia.All',
      ]);
      assert.equal(app?.secret, 'switchboard-dev-secret');
      assert.equal(app?.tenantId, 'aa67bd4c-8475-432d-bd41-39f255720e0a');
    }
    assert.equal(DEFAULT_APP_SECRET, 'switchboard-dev-secret');
  });

  it('has a no-permission app and an RSC-only app for the scheduled meeting', () => {
    const w = defaultWorld();
    const none = w.apps.find((a) => a.appId === EXTRA_IDS.noPermissionsAppId);
    assert.deepEqual(none?.roles, []);
    assert.equal(none?.rsc, undefined);
    const rsc = w.apps.find((a) => a.appId === EXTRA_IDS.rscOnlyAppId);
    assert.deepEqual(rsc?.roles, []);
    assert.deepEqual(rsc?.rsc, [
      {
        chatId: '19:meeting_Win6Ydo4wsMijFjZS00ZGVjLTk5MGUtOTRjNWY2NmNkYTFm@thread.v2',
        permissions: ['Calls.JoinGroupCalls.Chat'],
      },
    ]);
  });

  it('has the seed meetings with the exact chat and join keys', () => {
    const w = defaultWorld();
    const keys = w.meetings.map((m) => ({
      kind: m.kind,
      threadId: m.chatInfo.threadId,
      messageId: m.chatInfo.messageId,
      organizerId: m.organizerId,
      joinMeetingId: m.joinMeetingId,
      passcode: m.passcode,
      lobbyBypass: m.lobbyBypass,
    }));
    const bob = '5810cede-f3cc-42eb-b2c1-e9bd5d53ec96';
    assert.deepEqual(keys, [
      {
        kind: 'scheduled',
        threadId: '19:meeting_Win6Ydo4wsMijFjZS00ZGVjLTk5MGUtOTRjNWY2NmNkYTFm@thread.v2',
        messageId: '0',
        organizerId: bob,
        joinMeetingId: undefined,
        passcode: undefined,
        lobbyBypass: 'organization',
      },
      {
        kind: 'scheduled',
        threadId: '19:meeting_Win6Ydo4wsMijFjZS00ZGVjLTk5MGUtOTRjNNkYTFm@thread.v2',
        messageId: '0',
        organizerId: bob,
        joinMeetingId: '1234567',
        passcode: 'psw123',
        lobbyBypass: 'organization',
      },
      {
        kind: 'scheduled',
        threadId: '19:meeting_SwitchboardOpenMeeting0000000000@thread.v2',
        messageId: '0',
        organizerId: bob,
        joinMeetingId: '7654321',
        passcode: null,
        lobbyBypass: 'organization',
      },
      {
        kind: 'channel',
        threadId: '19:cbee7c1c860e465f8258e3cebf7bee0d@thread.skype',
        messageId: '1533758867081',
        organizerId: bob,
        joinMeetingId: undefined,
        passcode: undefined,
        lobbyBypass: 'organization',
      },
    ]);
    for (const m of w.meetings) {
      assert.equal(m.tenantId, 'aa67bd4c-8475-432d-bd41-39f255720e0a');
      assert.ok(m.participants.length >= 1);
    }
    assert.deepEqual(w.meetings[0]?.participants, ['112f7296-5fa4-42ca-bae8-6a692b15d4b8']);
  });

  it('gives the application instance its own number and answers after 1000 ms by default', () => {
    const w = defaultWorld();
    assert.deepEqual(w.applicationInstances, [
      {
        id: '3d913abb-aec0-4964-8fa6-3c6850c4f278',
        displayName: 'Calling Bot',
        tenantId: 'aa67bd4c-8475-432d-bd41-39f255720e0a',
        phoneNumber: '+14255550100',
      },
    ]);
    assert.deepEqual(w.defaultPolicy, { action: 'answer', afterMs: 1000 });
  });

  it('does not contain the malformed tenant id of the seed meeting examples', () => {
    const ids = defaultWorld().tenants.map((t) => t.id);
    assert.ok(!ids.includes('86dc81db-c112-4228-9222-63f3esaa1edb'));
  });
});
