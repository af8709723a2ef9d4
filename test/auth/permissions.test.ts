import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkCreateCallPermissions,
  requiredPermissions,
  type CallScenario,
} from '../../src/auth/permissions.js';
import { GraphError } from '../../src/domain/graph-error.js';

const THREAD = '19:meeting_abc@thread.v2';
const BASE = 'Insufficient enterprise tenant permissions, cannot access this API.';

interface Case {
  name: string;
  scenario: CallScenario;
  roles: string[];
  rsc?: string[];
  guestJoin?: boolean;
  appHostedMedia?: boolean;
  /** undefined: allowed. Otherwise the detail after the 7504 message. */
  missing?: string;
}

const cases: Case[] = [
  { name: 'P2P with Calls.Initiate.All', scenario: 'peerToPeer', roles: ['Calls.Initiate.All'] },
  {
    name: 'P2P without Calls.Initiate.All',
    scenario: 'peerToPeer',
    roles: ['Calls.InitiateGroupCall.All', 'Calls.JoinGroupCall.All'],
    missing: 'The app needs application permission Calls.Initiate.All to place a peer-to-peer call.',
  },
  { name: 'PSTN with Calls.Initiate.All', scenario: 'pstn', roles: ['Calls.Initiate.All'] },
  {
    name: 'PSTN without it',
    scenario: 'pstn',
    roles: [],
    missing: 'The app needs application permission Calls.Initiate.All to call a phone number.',
  },
  {
    name: 'group call with Calls.InitiateGroupCall.All',
    scenario: 'group',
    roles: ['Calls.InitiateGroupCall.All'],
  },
  {
    name: 'group call with only Calls.Initiate.All',
    scenario: 'group',
    roles: ['Calls.Initiate.All'],
    missing: 'The app needs application permission Calls.InitiateGroupCall.All to create a group call.',
  },
  {
    name: 'meeting join with Calls.JoinGroupCall.All',
    scenario: 'meeting',
    roles: ['Calls.JoinGroupCall.All'],
  },
  {
    name: 'meeting join with RSC Calls.JoinGroupCalls.Chat on the chat',
    scenario: 'meeting',
    roles: [],
    rsc: ['Calls.JoinGroupCalls.Chat'],
  },
  {
    name: 'meeting join with Calls.JoinGroupCallAsGuest.All only',
    scenario: 'meeting',
    roles: ['Calls.JoinGroupCallAsGuest.All', 'Calls.Initiate.All'],
    missing: `The app needs application permission Calls.JoinGroupCall.All or resource-specific consent Calls.JoinGroupCalls.Chat on chat ${THREAD} to join a meeting.`,
  },
  {
    name: 'guest join with Calls.JoinGroupCallAsGuest.All',
    scenario: 'meeting',
    guestJoin: true,
    roles: ['Calls.JoinGroupCallAsGuest.All'],
  },
  {
    name: 'guest join with the higher-privileged Calls.JoinGroupCall.All',
    scenario: 'meeting',
    guestJoin: true,
    roles: ['Calls.JoinGroupCall.All'],
  },
  {
    name: 'guest join with RSC only',
    scenario: 'meeting',
    guestJoin: true,
    roles: [],
    rsc: ['Calls.JoinGroupCalls.Chat'],
    missing:
      'The app needs application permission Calls.JoinGroupCallAsGuest.All or application permission Calls.JoinGroupCall.All to join a meeting as a guest.',
  },
  {
    name: 'app-hosted P2P with Calls.AccessMedia.All',
    scenario: 'peerToPeer',
    appHostedMedia: true,
    roles: ['Calls.Initiate.All', 'Calls.AccessMedia.All'],
  },
  {
    name: 'app-hosted P2P without Calls.AccessMedia.All',
    scenario: 'peerToPeer',
    appHostedMedia: true,
    roles: ['Calls.Initiate.All'],
    missing: 'The app needs application permission Calls.AccessMedia.All for app-hosted media.',
  },
  {
    name: 'app-hosted group call without Calls.AccessMedia.All',
    scenario: 'group',
    appHostedMedia: true,
    roles: ['Calls.InitiateGroupCall.All'],
    rsc: ['Calls.AccessMedia.Chat'],
    missing: 'The app needs application permission Calls.AccessMedia.All for app-hosted media.',
  },
  {
    name: 'app-hosted meeting join with RSC Calls.AccessMedia.Chat',
    scenario: 'meeting',
    appHostedMedia: true,
    roles: ['Calls.JoinGroupCall.All'],
    rsc: ['Calls.AccessMedia.Chat'],
  },
  {
    name: 'app-hosted meeting join with RSC join but no media permission',
    scenario: 'meeting',
    appHostedMedia: true,
    roles: [],
    rsc: ['Calls.JoinGroupCalls.Chat'],
    missing: `The app needs application permission Calls.AccessMedia.All or resource-specific consent Calls.AccessMedia.Chat on chat ${THREAD} for app-hosted media.`,
  },
  {
    name: 'app-hosted meeting join fully by RSC',
    scenario: 'meeting',
    appHostedMedia: true,
    roles: [],
    rsc: ['Calls.JoinGroupCalls.Chat', 'Calls.AccessMedia.Chat'],
  },
];

describe('checkCreateCallPermissions', () => {
  for (const c of cases) {
    it(`${c.missing ? 'refuses' : 'allows'} ${c.name}`, () => {
      const result = checkCreateCallPermissions({
        principal: { appId: 'a', tenantId: 't', roles: c.roles },
        scenario: c.scenario,
        guestJoin: c.guestJoin ?? false,
        appHostedMedia: c.appHostedMedia ?? false,
        meetingThreadId: c.scenario === 'meeting' ? THREAD : undefined,
        rscPermissions: c.rsc ?? [],
      });
      if (c.missing === undefined) {
        assert.equal(result, undefined);
        return;
      }
      assert.ok(result instanceof GraphError);
      assert.equal(result.status, 403);
      assert.equal(result.code, '7504');
      assert.equal(result.message, `${BASE} ${c.missing}`);
    });
  }

  it('does not count RSC grants for a meeting join without a known chat', () => {
    const result = checkCreateCallPermissions({
      principal: { appId: 'a', tenantId: 't', roles: [] },
      scenario: 'meeting',
      guestJoin: false,
      appHostedMedia: false,
      rscPermissions: ['Calls.JoinGroupCalls.Chat'],
    });
    assert.equal(
      result?.message,
      `${BASE} The app needs application permission Calls.JoinGroupCall.All to join a meeting.`,
    );
  });
});

describe('requiredPermissions', () => {
  it('lists each requirement with its alternatives', () => {
    assert.deepEqual(
      requiredPermissions({
        scenario: 'meeting',
        guestJoin: false,
        appHostedMedia: true,
        meetingThreadId: THREAD,
      }),
      [
        {
          purpose: 'to join a meeting',
          anyOf: [
            { permission: 'Calls.JoinGroupCall.All', kind: 'application' },
            { permission: 'Calls.JoinGroupCalls.Chat', kind: 'rsc' },
          ],
        },
        {
          purpose: 'for app-hosted media',
          anyOf: [
            { permission: 'Calls.AccessMedia.All', kind: 'application' },
            { permission: 'Calls.AccessMedia.Chat', kind: 'rsc' },
          ],
        },
      ],
    );
  });
});
