import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isDomainError, type ParticipantEffect } from '../../src/domain/effects.js';
import { sequentialIds } from '../../src/domain/ids.js';
import {
  createParticipant,
  PARTICIPANT_COMMAND_TYPES,
  PARTICIPANT_STATES,
  REMOVED_REASONS,
  transitionParticipant,
  type GraphParticipant,
  type MediaStream,
  type ParticipantCommand,
  type ParticipantCommandType,
  type ParticipantMachineState,
  type ParticipantState,
} from '../../src/domain/participant-machine.js';
import { deepFreeze, ok } from './machine-test-helpers.js';

const AUDIO: MediaStream = {
  mediaType: 'audio',
  direction: 'sendReceive',
  label: 'main-audio',
  sourceId: '1',
  serverMuted: false,
};
const SHARE: MediaStream = {
  mediaType: 'videoBasedScreenSharing',
  direction: 'sendOnly',
  label: 'applicationsharing-video',
  sourceId: '2',
  serverMuted: false,
};
const INFO = { identity: { user: { id: 'u-1', displayName: 'Adele' } } };
/** Two uuids from sequentialIds(), dashes removed: the 64-hex session id. */
const SESSION_ID = '00000000000040008000000000000001' + '00000000000040008000000000000002';

function participant(overrides: Partial<GraphParticipant> = {}): GraphParticipant {
  return {
    id: 'p-1',
    info: INFO,
    isInLobby: false,
    isMuted: false,
    mediaStreams: [AUDIO],
    metadata: null,
    recordingInfo: null,
    removedState: null,
    restrictedExperience: null,
    rosterSequenceNumber: null,
    ...overrides,
  };
}

function at(state: ParticipantState, overrides: Partial<GraphParticipant> = {}): ParticipantMachineState {
  return {
    state,
    participant: participant({ isInLobby: state === 'inLobby', ...overrides }),
    sharing: null,
  };
}

function sharingInCall(): ParticipantMachineState {
  return {
    state: 'inCall',
    participant: participant({ mediaStreams: [AUDIO, SHARE] }),
    sharing: { id: 'S', presenterParticipantId: 'p-1' },
  };
}

const roster = (p: GraphParticipant, removed?: true): ParticipantEffect =>
  removed ? { type: 'rosterChanged', participant: p, removed } : { type: 'rosterChanged', participant: p };

type Expected =
  | { to: ParticipantState; participant: GraphParticipant; effects: ParticipantEffect[]; sharing?: unknown }
  | 'ignored'
  | 'notFound'
  | { badRequest: string };

const left = (reason: string, seen: boolean, from: Partial<GraphParticipant> = {}): Expected => {
  const p = participant({ ...from, removedState: { reason } });
  return { to: 'left', participant: p, effects: seen ? [roster(p, true)] : [] };
};

const sharedSession = { id: SESSION_ID, presenterParticipantId: 'p-1' };

/** Every pair not listed is refused with 400 "Participant is in state X; cannot Y." */
const EXPECTED: Record<ParticipantState, Partial<Record<ParticipantCommandType, Expected>>> = {
  joining: {
    join: {
      to: 'inLobby',
      participant: participant({ isInLobby: true }),
      effects: [roster(participant({ isInLobby: true }))],
    },
    leave: left(REMOVED_REASONS.left, false),
    remove: left(REMOVED_REASONS.removed, false),
  },
  inLobby: {
    admit: {
      to: 'inCall',
      participant: participant(),
      effects: [roster(participant())],
    },
    leave: left(REMOVED_REASONS.left, true, { isInLobby: true }),
    remove: left(REMOVED_REASONS.removed, true, { isInLobby: true }),
  },
  inCall: {
    leave: left(REMOVED_REASONS.left, true),
    remove: left(REMOVED_REASONS.removed, true),
    mute: {
      to: 'inCall',
      participant: participant({ isMuted: true }),
      effects: [roster(participant({ isMuted: true }))],
    },
    unmute: 'ignored',
    startSharing: {
      to: 'inCall',
      participant: participant({ mediaStreams: [AUDIO, SHARE] }),
      effects: [
        roster(participant({ mediaStreams: [AUDIO, SHARE] })),
        { type: 'contentSharing', changeType: 'created', session: sharedSession },
      ],
      sharing: sharedSession,
    },
    updateSharing: { badRequest: 'Participant is in state inCall; cannot updateSharing: it is not sharing.' },
    stopSharing: { badRequest: 'Participant is in state inCall; cannot stopSharing: it is not sharing.' },
  },
  left: {
    join: 'ignored',
    leave: 'ignored',
    startSharing: 'ignored',
    updateSharing: 'ignored',
    stopSharing: 'ignored',
    admit: 'notFound',
    remove: 'notFound',
    mute: 'notFound',
    unmute: 'notFound',
  },
};

function commandFor(type: ParticipantCommandType): ParticipantCommand {
  return type === 'join' ? { type, lobby: true } : { type };
}

describe('participant machine: every (state x command) pair', () => {
  for (const state of PARTICIPANT_STATES) {
    for (const type of PARTICIPANT_COMMAND_TYPES) {
      const expected = EXPECTED[state][type];
      it(`${state} x ${type}`, () => {
        const before = deepFreeze(at(state));
        const result = transitionParticipant(before, commandFor(type), sequentialIds());
        if (expected === undefined || (typeof expected === 'object' && 'badRequest' in expected)) {
          assert.ok(isDomainError(result), 'expected a DomainError');
          assert.equal(result.error.status, 400);
          assert.equal(result.error.code, 'BadRequest');
          const message = expected
            ? expected.badRequest
            : `Participant is in state ${state}; cannot ${type}.`;
          assert.equal(result.error.message, message);
        } else if (expected === 'notFound') {
          assert.ok(isDomainError(result), 'expected a DomainError');
          assert.equal(result.error.status, 404);
          assert.equal(result.error.code, 'NotFound');
          assert.equal(result.error.message, 'Participant not found: p-1');
        } else if (expected === 'ignored') {
          const r = ok(result);
          assert.equal(r.ignored, true);
          assert.deepEqual(r.effects, []);
          assert.equal(r.next, before);
        } else {
          const r = ok(result);
          assert.equal(r.ignored, false);
          assert.equal(r.next.state, expected.to);
          assert.deepEqual(r.next.participant, expected.participant);
          assert.deepEqual(r.effects, expected.effects);
          assert.deepEqual(r.next.sharing, expected.sharing ?? null);
        }
      });
    }
  }
});

describe('participant machine: join, mute and sharing details', () => {
  it('createParticipant starts joining, with an id from the generator', () => {
    const created = createParticipant({ info: INFO, ids: sequentialIds(), mediaStreams: [AUDIO] });
    assert.deepEqual(created, {
      state: 'joining',
      participant: participant({ id: '00000000-0000-4000-8000-000000000001' }),
      sharing: null,
    });
    assert.equal(
      createParticipant({ id: 'given', info: INFO, ids: sequentialIds() }).participant.id,
      'given',
    );
  });

  it('join with lobby: true puts the participant in the lobby', () => {
    const r = ok(transitionParticipant(at('joining'), { type: 'join', lobby: true }, sequentialIds()));
    const p = participant({ isInLobby: true });
    assert.equal(r.next.state, 'inLobby');
    assert.deepEqual(r.next.participant, p);
    assert.deepEqual(r.effects, [roster(p)]);
  });

  it('join with lobby: false puts the participant straight in the call', () => {
    const r = ok(transitionParticipant(at('joining'), { type: 'join', lobby: false }, sequentialIds()));
    assert.equal(r.next.state, 'inCall');
    assert.deepEqual(r.effects, [roster(participant())]);
  });

  it('mute on a muted participant and unmute on a muted one', () => {
    const muted = at('inCall', { isMuted: true });
    const again = ok(transitionParticipant(muted, { type: 'mute' }, sequentialIds()));
    assert.equal(again.ignored, true);
    assert.deepEqual(again.effects, []);
    const unmuted = ok(transitionParticipant(muted, { type: 'unmute' }, sequentialIds()));
    assert.deepEqual(unmuted.effects, [roster(participant())]);
  });

  it('a sharing participant: start refused, update, stop, leave', () => {
    const ids = sequentialIds();
    const start = transitionParticipant(sharingInCall(), { type: 'startSharing' }, ids);
    assert.ok(isDomainError(start));
    assert.equal(
      start.error.message,
      'Participant is in state inCall; cannot startSharing: it is already sharing.',
    );

    const update = ok(transitionParticipant(sharingInCall(), { type: 'updateSharing' }, ids));
    assert.deepEqual(update.effects, [
      { type: 'contentSharing', changeType: 'updated', session: { id: 'S', presenterParticipantId: 'p-1' } },
    ]);

    const stop = ok(transitionParticipant(sharingInCall(), { type: 'stopSharing' }, ids));
    assert.equal(stop.next.sharing, null);
    assert.deepEqual(stop.effects, [
      roster(participant()),
      { type: 'contentSharing', changeType: 'deleted', session: { id: 'S', presenterParticipantId: 'p-1' } },
    ]);

    const leave = ok(transitionParticipant(sharingInCall(), { type: 'leave' }, ids));
    const gone = participant({ removedState: { reason: REMOVED_REASONS.left } });
    assert.equal(leave.next.state, 'left');
    assert.deepEqual(leave.effects, [
      { type: 'contentSharing', changeType: 'deleted', session: { id: 'S', presenterParticipantId: 'p-1' } },
      roster(gone, true),
    ]);
  });

  it('the session id is 64 hex characters built from two generated uuids', () => {
    const r = ok(transitionParticipant(at('inCall'), { type: 'startSharing' }, sequentialIds()));
    assert.match(r.next.sharing?.id ?? '', /^[0-9a-f]{64}$/);
    assert.equal(r.next.sharing?.id, SESSION_ID);
  });
});
