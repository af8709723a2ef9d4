import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SEED_IDS, defaultWorld } from '../../src/world/default-world.js';
import { WorldError, validateWorld } from '../../src/world/validate-world.js';
import type { World } from '../../src/world/world-schema.js';

const SOURCE = 'world file ./w.json';

/** The problems validateWorld reports for `input`; fails the test if it does not throw WorldError. */
function problemsOf(input: unknown): readonly string[] {
  try {
    validateWorld(input, SOURCE);
  } catch (error) {
    assert.ok(error instanceof WorldError, `expected WorldError, got ${String(error)}`);
    return error.problems;
  }
  assert.fail('validateWorld accepted an invalid world');
}

/** A default world changed by `edit` (which may treat it loosely to break types). */
function broken(edit: (w: World & Record<string, unknown>) => void): unknown {
  const w = defaultWorld() as World & Record<string, unknown>;
  edit(w);
  return w;
}

const NOPE = '00000000-0000-4000-8000-00000000dead';

describe('validateWorld: shape', () => {
  it('returns an equal copy, not the input itself', () => {
    const input = defaultWorld();
    const out = validateWorld(input, SOURCE);
    assert.deepEqual(out, input);
    assert.notEqual(out, input);
  });

  it('prefixes each line of the message with the source', () => {
    const input = broken((w) => {
      (w.users[2] as Record<string, unknown>).tenantId = 42;
      w.phones[0]!.number = '12345';
    });
    assert.throws(
      () => validateWorld(input, SOURCE),
      (error: unknown) => {
        assert.ok(error instanceof WorldError);
        assert.equal(error.name, 'WorldError');
        assert.equal(error.source, SOURCE);
        assert.equal(
          error.message,
          'world file ./w.json: /users/2/tenantId: expected string, got 42\n' +
            'world file ./w.json: /phones/0/number: must be an E.164 phone number like +14255550100, got "12345"',
        );
        return true;
      },
    );
  });

  it('names a value of the wrong type', () => {
    assert.deepEqual(
      problemsOf(
        broken((w) => {
          (w.defaultPolicy as Record<string, unknown>).afterMs = 'soon';
        }),
      ),
      ['/defaultPolicy/afterMs: expected integer, got "soon"'],
    );
  });

  it('names a bad GUID', () => {
    assert.deepEqual(
      problemsOf(
        broken((w) => {
          w.apps[0]!.appId = '86dc81db-c112-4228-9222-63f3esaa1edb';
        }),
      ),
      [
        '/apps/0/appId: must be a GUID like 00000000-0000-0000-0000-000000000000, got "86dc81db-c112-4228-9222-63f3esaa1edb"',
      ],
    );
  });

  it('names a bad E.164 number', () => {
    assert.deepEqual(
      problemsOf(
        broken((w) => {
          w.applicationInstances[0]!.phoneNumber = '+0123';
        }),
      ),
      ['/applicationInstances/0/phoneNumber: must be an E.164 phone number like +14255550100, got "+0123"'],
    );
  });

  it('names an unknown property, at the top and nested', () => {
    assert.deepEqual(
      problemsOf(
        broken((w) => {
          w.calls = [];
          (w.meetings[1]!.chatInfo as Record<string, unknown>).organizer = 'Bob';
        }),
      ),
      ['/calls: unknown property', '/meetings/1/chatInfo/organizer: unknown property'],
    );
  });

  it('names a missing field once', () => {
    assert.deepEqual(
      problemsOf(
        broken((w) => {
          delete (w.users[0] as Partial<World['users'][0]>).displayName;
        }),
      ),
      ['/users/0/displayName: missing required property (expected a non-empty string)'],
    );
  });

  it('lists the allowed values of an enum', () => {
    assert.deepEqual(
      problemsOf(
        broken((w) => {
          (w.meetings[0] as Record<string, unknown>).lobbyBypass = 'nobody';
          (w.defaultPolicy as Record<string, unknown>).action = 'ring';
        }),
      ),
      [
        '/meetings/0/lobbyBypass: must be one of "everyone", "organization", "organizer"; got "nobody"',
        '/defaultPolicy/action: must be one of "answer", "decline", "noAnswer", "unreachable"; got "ring"',
      ],
    );
  });

  it('rejects a non-object and an empty tenant list', () => {
    assert.deepEqual(problemsOf([]), ['/: expected object, got []']);
    assert.deepEqual(
      problemsOf(
        broken((w) => {
          w.tenants = [];
        }),
      ),
      ['/tenants: expected array length to be greater or equal to 1, got []'],
    );
  });

  it('rejects a joinMeetingId that is not digits', () => {
    assert.deepEqual(
      problemsOf(
        broken((w) => {
          w.meetings[1]!.joinMeetingId = '123-456';
        }),
      ),
      ['/meetings/1/joinMeetingId: must be 1 to 20 digits, got "123-456"'],
    );
  });
});

describe('validateWorld: cross-references', () => {
  it('names a dangling tenantId everywhere one is used', () => {
    assert.deepEqual(
      problemsOf(
        broken((w) => {
          w.apps[1]!.tenantId = NOPE;
          w.users[2]!.tenantId = NOPE;
          w.applicationInstances[0]!.tenantId = NOPE;
        }),
      ),
      [
        `/apps/1/tenantId: no tenant with id "${NOPE}"`,
        `/users/2/tenantId: no tenant with id "${NOPE}"`,
        `/applicationInstances/0/tenantId: no tenant with id "${NOPE}"`,
      ],
    );
  });

  it('names duplicate ids with the path of the first use', () => {
    assert.deepEqual(
      problemsOf(
        broken((w) => {
          w.tenants[1]!.id = SEED_IDS.contosoTenantId.toUpperCase();
          w.apps[1]!.appId = SEED_IDS.callingBotAppId;
          w.guests[0]!.id = SEED_IDS.johnUserId;
          w.phones[1]!.number = w.applicationInstances[0]!.phoneNumber;
          w.meetings[2]!.id = w.meetings[0]!.id;
          w.meetings[2]!.joinMeetingId = '1234567';
        }),
      ),
      [
        '/tenants/1/id: duplicate tenant id "AA67BD4C-8475-432D-BD41-39F255720E0A" (already used at /tenants/0/id)',
        '/apps/1/appId: duplicate appId "2891555a-92ff-42e6-80fa-6e1300c6b5c6" (already used at /apps/0/appId)',
        '/guests/0/id: duplicate identity id "112f7296-5fa4-42ca-bae8-6a692b15d4b8" (already used at /users/0/id)',
        '/phones/1/number: duplicate phone number "+14255550100" (already used at /applicationInstances/0/phoneNumber)',
        '/meetings/2/id: duplicate meeting id "seed-scheduled-meeting" (already used at /meetings/0/id)',
        '/meetings/2/joinMeetingId: duplicate joinMeetingId "1234567" (already used at /meetings/1/joinMeetingId)',
      ],
    );
  });

  it('names a duplicate chatInfo pair but allows one thread with two messageIds', () => {
    const sameThread = broken((w) => {
      w.meetings[3]!.chatInfo.threadId = SEED_IDS.scheduledThreadId;
    });
    assert.deepEqual(
      validateWorld(sameThread, SOURCE).meetings[3]?.chatInfo.threadId,
      SEED_IDS.scheduledThreadId,
    );
    assert.deepEqual(
      problemsOf(
        broken((w) => {
          w.meetings[3]!.chatInfo = { threadId: SEED_IDS.scheduledThreadId, messageId: '0' };
        }),
      ),
      [
        '/meetings/3/chatInfo: duplicate chatInfo threadId ' +
          '"19:meeting_Win6Ydo4wsMijFjZS00ZGVjLTk5MGUtOTRjNWY2NmNkYTFm@thread.v2" with messageId "0" ' +
          '(already used at /meetings/0/chatInfo)',
      ],
    );
  });

  it('names an organizer who is not a user or is in another tenant', () => {
    assert.deepEqual(
      problemsOf(
        broken((w) => {
          w.meetings[0]!.organizerId = SEED_IDS.guestId;
          w.users[3]!.tenantId = SEED_IDS.fabrikamTenantId;
        }),
      ),
      [
        '/meetings/0/organizerId: no user with id "d7a3b999-17ac-4bca-9e77-e6a730d2ec2e"',
        '/meetings/1/organizerId: organizer "5810cede-f3cc-42eb-b2c1-e9bd5d53ec96" belongs to tenant ' +
          `"${SEED_IDS.fabrikamTenantId}", not to the meeting's tenant "${SEED_IDS.contosoTenantId}"`,
        '/meetings/2/organizerId: organizer "5810cede-f3cc-42eb-b2c1-e9bd5d53ec96" belongs to tenant ' +
          `"${SEED_IDS.fabrikamTenantId}", not to the meeting's tenant "${SEED_IDS.contosoTenantId}"`,
        '/meetings/3/organizerId: organizer "5810cede-f3cc-42eb-b2c1-e9bd5d53ec96" belongs to tenant ' +
          `"${SEED_IDS.fabrikamTenantId}", not to the meeting's tenant "${SEED_IDS.contosoTenantId}"`,
      ],
    );
  });

  it('names unknown and repeated participants', () => {
    assert.deepEqual(
      problemsOf(
        broken((w) => {
          w.meetings[3]!.participants = [SEED_IDS.bobUserId, NOPE, SEED_IDS.bobUserId];
        }),
      ),
      [
        `/meetings/3/participants/1: no user with id "${NOPE}"`,
        `/meetings/3/participants/2: duplicate participant "${SEED_IDS.bobUserId}"`,
      ],
    );
  });

  it('names an RSC grant for a chat no meeting has', () => {
    assert.deepEqual(
      problemsOf(
        broken((w) => {
          w.apps[3]!.rsc = [{ chatId: '19:nowhere@thread.v2', permissions: ['Calls.JoinGroupCalls.Chat'] }];
        }),
      ),
      ['/apps/3/rsc/0/chatId: no meeting with chatInfo.threadId "19:nowhere@thread.v2"'],
    );
  });

  it('names a passcode without a joinMeetingId', () => {
    assert.deepEqual(
      problemsOf(
        broken((w) => {
          w.meetings[0]!.passcode = 'secret';
        }),
      ),
      ['/meetings/0/passcode: a passcode needs a joinMeetingId to be entered with'],
    );
  });

  it('reports shape problems alone, before any cross-reference check', () => {
    assert.deepEqual(
      problemsOf(
        broken((w) => {
          w.users[0]!.tenantId = NOPE;
          w.users[1]!.id = 'not-a-guid';
        }),
      ),
      ['/users/1/id: must be a GUID like 00000000-0000-0000-0000-000000000000, got "not-a-guid"'],
    );
  });
});
