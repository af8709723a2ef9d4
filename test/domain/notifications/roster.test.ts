import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GraphVersion, JsonObject } from '../../../src/domain/call-document.js';
import { commsNotifications } from '../../../src/domain/notifications/envelope.js';
import { participantResource, rosterNotification } from '../../../src/domain/notifications/roster.js';
import { REMOVED_REASONS, type GraphParticipant } from '../../../src/domain/participant-machine.js';
import { validateGraphValue } from '../../support/graph-schema.js';

const CALL_ID = '2f1a1100-b174-40a0-aba7-0b405e01ed92';
const CALLBACK = 'https://bot.contoso.com/callback';

/** Participants as the participant machine stores them. */
const ADELE: GraphParticipant = {
  id: '0d7664b6-6432-43ed-8d27-d9e7adec188c',
  info: {
    identity: { user: { id: '112f7296-5fa4-42ca-bae8-6a692b15d4b8', displayName: 'Adele', tenantId: null } },
    languageId: 'en-US',
    region: null,
    platformId: '0',
  },
  isInLobby: false,
  isMuted: true,
  mediaStreams: [
    { mediaType: 'audio', direction: 'sendReceive', label: null, sourceId: '1', serverMuted: false },
    {
      mediaType: 'videoBasedScreenSharing',
      direction: 'sendOnly',
      label: 'applicationsharing-video',
      sourceId: '2',
      serverMuted: false,
    },
  ],
  metadata: null,
  recordingInfo: null,
  removedState: null,
  restrictedExperience: null,
  rosterSequenceNumber: null,
};
const GUEST: GraphParticipant = {
  ...ADELE,
  id: '05491616-385f-44a8-9974-18cc5f9933c1',
  info: { identity: { guest: { id: 'd7a3b999-17ac-4bca-9e77-e6a730d2ec2e', displayName: 'Guest User' } } },
  isInLobby: true,
  isMuted: false,
  mediaStreams: [
    { mediaType: 'audio', direction: 'sendReceive', label: null, sourceId: '10', serverMuted: false },
  ],
  metadata: 'eyJhIjoxfQ==',
};

/** What a service passes for a stored participant. */
function fromStored(p: GraphParticipant, version: GraphVersion, rosterSequenceNumber?: number): JsonObject {
  return participantResource({
    id: p.id,
    info: p.info,
    isInLobby: p.isInLobby,
    isMuted: p.isMuted,
    mediaStreams: p.mediaStreams,
    metadata: p.metadata,
    removedState: p.removedState,
    ...(rosterSequenceNumber === undefined ? {} : { rosterSequenceNumber }),
    version,
  });
}

const ADELE_ON_THE_WIRE: JsonObject = {
  '@odata.type': '#microsoft.graph.participant',
  info: {
    '@odata.type': '#microsoft.graph.participantInfo',
    identity: { user: { id: '112f7296-5fa4-42ca-bae8-6a692b15d4b8', displayName: 'Adele' } },
    languageId: 'en-US',
    platformId: '0',
  },
  mediaStreams: [
    {
      '@odata.type': '#microsoft.graph.mediaStream',
      mediaType: 'audio',
      direction: 'sendReceive',
      sourceId: '1',
      serverMuted: false,
    },
    {
      '@odata.type': '#microsoft.graph.mediaStream',
      mediaType: 'videoBasedScreenSharing',
      direction: 'sendOnly',
      label: 'applicationsharing-video',
      sourceId: '2',
      serverMuted: false,
    },
  ],
  isMuted: true,
  isInLobby: false,
  id: '0d7664b6-6432-43ed-8d27-d9e7adec188c',
};

function assertValid(notification: JsonObject, version: GraphVersion): void {
  const value = commsNotifications([notification]);
  assert.deepEqual(validateGraphValue({ version, type: 'graph.commsNotifications', value }), []);
}

describe('participantResource', () => {
  it('types the participant, its info and its streams, and leaves null properties out', () => {
    assert.deepEqual(fromStored(ADELE, 'beta'), ADELE_ON_THE_WIRE);
  });

  it('sends metadata, rosterSequenceNumber and removedState when they have a value', () => {
    const left = { ...GUEST, removedState: { reason: REMOVED_REASONS.left } };
    const built = fromStored(left, 'beta', 7);
    assert.equal(built.metadata, 'eyJhIjoxfQ==');
    assert.equal(built.rosterSequenceNumber, 7);
    assert.deepEqual(built.removedState, { reason: 'Participant left the conversation.' });
    assert.equal(built.isInLobby, true);
    assert.deepEqual(Object.keys(built), [
      '@odata.type',
      'info',
      'mediaStreams',
      'isMuted',
      'isInLobby',
      'metadata',
      'id',
      'rosterSequenceNumber',
      'removedState',
    ]);
  });

  it('keeps an @odata.type the info already has, and defaults mediaStreams to []', () => {
    const built = participantResource({
      id: 'p-1',
      info: { '@odata.type': '#microsoft.graph.participantInfo', identity: { application: { id: 'app' } } },
      isInLobby: false,
      isMuted: false,
      version: 'v1.0',
    });
    assert.deepEqual(built, {
      '@odata.type': '#microsoft.graph.participant',
      info: { '@odata.type': '#microsoft.graph.participantInfo', identity: { application: { id: 'app' } } },
      mediaStreams: [],
      isMuted: false,
      isInLobby: false,
      id: 'p-1',
    });
  });

  it('leaves the beta-only participantInfo properties out on v1.0', () => {
    const { platformId: _beta, ...info } = ADELE_ON_THE_WIRE.info as JsonObject;
    assert.deepEqual(fromStored(ADELE, 'v1.0'), { ...ADELE_ON_THE_WIRE, info });
  });
});

describe('rosterNotification', () => {
  it('full roster: every participant, as an array on /participants', () => {
    const participants = [fromStored(ADELE, 'beta'), fromStored(GUEST, 'beta')];
    const built = rosterNotification({
      callId: CALL_ID,
      callbackUri: CALLBACK,
      version: 'beta',
      participants,
    });
    assert.deepEqual(built, {
      '@odata.type': '#microsoft.graph.commsNotification',
      changeType: 'updated',
      resourceUrl: `/communications/calls/${CALL_ID}/participants`,
      callbackUri: CALLBACK,
      resourceData: participants,
    });
    assertValid(built, 'beta');
  });

  it('delta roster: the changed participants in one deltaParticipants, a removed one with removedState', () => {
    const removed = { ...ADELE, removedState: { reason: REMOVED_REASONS.removed } };
    const participants = [fromStored(GUEST, 'beta', 4), fromStored(removed, 'beta', 5)];
    const built = rosterNotification({
      callId: CALL_ID,
      callbackUri: CALLBACK,
      version: 'beta',
      participants,
      delta: { sequenceNumber: 5 },
    });
    assert.deepEqual(built, {
      '@odata.type': '#microsoft.graph.commsNotification',
      changeType: 'updated',
      resource: `/app/calls/${CALL_ID}/participants`,
      resourceUrl: `/communications/calls/${CALL_ID}/participants`,
      callbackUri: CALLBACK,
      resourceData: [
        {
          '@odata.type': '#microsoft.graph.deltaParticipants',
          participants: [
            { ...fromStored(GUEST, 'beta'), rosterSequenceNumber: 4 },
            {
              ...ADELE_ON_THE_WIRE,
              rosterSequenceNumber: 5,
              removedState: {
                reason: 'Participant was removed from the conversation by another participant.',
              },
            },
          ],
          sequenceNumber: 5,
        },
      ],
    });
    assertValid(built, 'beta');
  });

  it('projects the participants to v1.0, so both roster forms validate there', () => {
    const beta = { ...fromStored(ADELE, 'beta', 1), isIdentityAnonymized: false, preferredDisplayName: 'A' };
    for (const delta of [undefined, { sequenceNumber: 1 }]) {
      const built = rosterNotification({
        callId: CALL_ID,
        callbackUri: CALLBACK,
        version: 'v1.0',
        participants: [beta],
        ...(delta ? { delta } : {}),
      });
      assertValid(built, 'v1.0');
      const data = built.resourceData as JsonObject[];
      const [participant] = delta ? (data[0]!.participants as JsonObject[]) : data;
      assert.deepEqual(participant, fromStored(ADELE, 'v1.0', 1));
    }
  });
});
