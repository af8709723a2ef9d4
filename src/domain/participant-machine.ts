import type { JsonObject } from './call-document.js';
import {
  domainError,
  type ContentSharingSession,
  type DomainError,
  type ParticipantEffect,
  type Transition,
} from './effects.js';
import { graphErrors } from './graph-error.js';
import type { IdGenerator } from './ids.js';

/**
 * The pure participant state machine. A participant is created `joining` (invited or
 * dialling in), then `join` puts it in the lobby or straight in the call (the caller decides
 * from the meeting's lobby policy), `admit` lets it in, `leave`/`remove` end it.
 */

export type ParticipantState = 'joining' | 'inLobby' | 'inCall' | 'left';

export const PARTICIPANT_STATES = [
  'joining',
  'inLobby',
  'inCall',
  'left',
] as const satisfies readonly ParticipantState[];

export const PARTICIPANT_COMMAND_TYPES = [
  'join',
  'admit',
  'leave',
  'remove',
  'mute',
  'unmute',
  'startSharing',
  'updateSharing',
  'stopSharing',
] as const;

export type ParticipantCommandType = (typeof PARTICIPANT_COMMAND_TYPES)[number];

export type ParticipantCommand =
  { type: 'join'; lobby: boolean } | { type: Exclude<ParticipantCommandType, 'join'> };

/** Graph's mediaStream. */
export type MediaStream = {
  mediaType: 'audio' | 'video' | 'videoBasedScreenSharing' | 'data';
  direction: 'inactive' | 'sendOnly' | 'receiveOnly' | 'sendReceive';
  label: string | null;
  sourceId: string;
  serverMuted: boolean;
};

/** Graph's participant resource (v1.0 properties). */
export type GraphParticipant = {
  id: string;
  /** participantInfo: identity, endpointType, region, languageId, participantId... */
  info: JsonObject;
  isInLobby: boolean;
  isMuted: boolean;
  mediaStreams: MediaStream[];
  metadata: string | null;
  recordingInfo: JsonObject | null;
  removedState: { reason: string } | null;
  restrictedExperience: JsonObject | null;
  /** Stamped by the service, which owns the call-wide roster sequence. */
  rosterSequenceNumber: number | null;
};

export interface ParticipantMachineState {
  state: ParticipantState;
  participant: GraphParticipant;
  /** The content sharing session this participant presents, if any. */
  sharing: ContentSharingSession | null;
}

export type ParticipantTransition = Transition<ParticipantMachineState, ParticipantEffect>;

/** removedState.reason texts. */
export const REMOVED_REASONS = {
  /** Text of Graph's 200/5300 termination reason (call-delete page). */
  removed: 'Participant was removed from the conversation by another participant.',
  /** Switchboard's text: Graph documents no reason string for a participant that leaves. */
  left: 'Participant left the conversation.',
} as const;

/**
 * THE table of allowed participant moves. 'apply' runs the command (which may still refuse
 * when the sharing session it needs is missing or present); 'ignore' is a silent no-op.
 * Unlisted pairs: on `left`, bot requests (admit, remove, mute, unmute) get 404 and far-end
 * events are ignored; elsewhere 400 BadRequest.
 */
export const PARTICIPANT_TRANSITIONS: Readonly<
  Record<ParticipantState, Partial<Record<ParticipantCommandType, 'apply' | 'ignore'>>>
> = {
  joining: { join: 'apply', leave: 'apply', remove: 'apply' },
  inLobby: { admit: 'apply', leave: 'apply', remove: 'apply' },
  inCall: {
    leave: 'apply',
    remove: 'apply',
    mute: 'apply',
    unmute: 'apply',
    startSharing: 'apply',
    updateSharing: 'apply',
    stopSharing: 'apply',
  },
  left: {},
};

const BOT_COMMANDS: readonly ParticipantCommandType[] = ['admit', 'remove', 'mute', 'unmute'];

export interface CreateParticipantOptions {
  info: JsonObject;
  /** Used when `id` is absent. */
  ids: IdGenerator;
  id?: string;
  mediaStreams?: MediaStream[];
  metadata?: string | null;
}

/** A new participant, `joining`: not in the roster yet, so nothing is notified. */
export function createParticipant(options: CreateParticipantOptions): ParticipantMachineState {
  return {
    state: 'joining',
    participant: {
      id: options.id ?? options.ids.uuid(),
      info: options.info,
      isInLobby: false,
      isMuted: false,
      mediaStreams: options.mediaStreams ?? [],
      metadata: options.metadata ?? null,
      recordingInfo: null,
      removedState: null,
      restrictedExperience: null,
      rosterSequenceNumber: null,
    },
    sharing: null,
  };
}

export function transitionParticipant(
  current: ParticipantMachineState,
  command: ParticipantCommand,
  ids: IdGenerator,
): ParticipantTransition | DomainError {
  const rule = PARTICIPANT_TRANSITIONS[current.state][command.type];
  if (rule === 'ignore') return unchanged(current);
  if (rule === undefined) {
    if (current.state === 'left') {
      return BOT_COMMANDS.includes(command.type)
        ? domainError(graphErrors.notFound(`Participant not found: ${current.participant.id}`))
        : unchanged(current);
    }
    return refuse(current, command.type);
  }
  const p = current.participant;
  switch (command.type) {
    case 'join': {
      const state = command.lobby ? 'inLobby' : 'inCall';
      return changed({ ...current, state, participant: { ...p, isInLobby: command.lobby } }, 'roster');
    }
    case 'admit':
      return changed({ ...current, state: 'inCall', participant: { ...p, isInLobby: false } }, 'roster');
    case 'leave':
    case 'remove':
      return depart(current, command.type === 'remove' ? REMOVED_REASONS.removed : REMOVED_REASONS.left);
    case 'mute':
    case 'unmute': {
      const isMuted = command.type === 'mute';
      if (p.isMuted === isMuted) return unchanged(current);
      return changed({ ...current, participant: { ...p, isMuted } }, 'roster');
    }
    case 'startSharing': {
      if (current.sharing) return refuse(current, command.type, 'it is already sharing');
      const session = { id: (ids.uuid() + ids.uuid()).replace(/-/g, ''), presenterParticipantId: p.id };
      const stream: MediaStream = {
        mediaType: 'videoBasedScreenSharing',
        direction: 'sendOnly',
        label: 'applicationsharing-video',
        sourceId: String(p.mediaStreams.length + 1),
        serverMuted: false,
      };
      const next = {
        ...current,
        sharing: session,
        participant: { ...p, mediaStreams: [...p.mediaStreams, stream] },
      };
      return changed(next, 'roster', { type: 'contentSharing', changeType: 'created', session });
    }
    case 'updateSharing':
      if (!current.sharing) return refuse(current, command.type, 'it is not sharing');
      return changed(current, null, {
        type: 'contentSharing',
        changeType: 'updated',
        session: current.sharing,
      });
    case 'stopSharing': {
      if (!current.sharing) return refuse(current, command.type, 'it is not sharing');
      const next = { ...current, sharing: null, participant: { ...p, mediaStreams: withoutSharing(p) } };
      return changed(next, 'roster', {
        type: 'contentSharing',
        changeType: 'deleted',
        session: current.sharing,
      });
    }
  }
}

function depart(current: ParticipantMachineState, reason: string): ParticipantTransition {
  const p = current.participant;
  const participant: GraphParticipant = { ...p, mediaStreams: withoutSharing(p), removedState: { reason } };
  const next: ParticipantMachineState = { state: 'left', participant, sharing: null };
  // A participant still `joining` never appeared in the roster: nothing to tell anyone.
  if (current.state === 'joining') return { next, effects: [], ignored: false };
  const effects: ParticipantEffect[] = current.sharing
    ? [{ type: 'contentSharing', changeType: 'deleted', session: current.sharing }]
    : [];
  effects.push({ type: 'rosterChanged', participant, removed: true });
  return { next, effects, ignored: false };
}

function withoutSharing(p: GraphParticipant): MediaStream[] {
  return p.mediaStreams.filter((s) => s.mediaType !== 'videoBasedScreenSharing');
}

/** Effects in order: the roster change (if any), then the content sharing change (if any). */
function changed(
  next: ParticipantMachineState,
  roster: 'roster' | null,
  sharing?: ParticipantEffect,
): ParticipantTransition {
  const effects: ParticipantEffect[] = roster
    ? [{ type: 'rosterChanged', participant: next.participant }]
    : [];
  if (sharing) effects.push(sharing);
  return { next, effects, ignored: false };
}

function unchanged(current: ParticipantMachineState): ParticipantTransition {
  return { next: current, effects: [], ignored: true };
}

function refuse(
  current: ParticipantMachineState,
  command: ParticipantCommandType,
  why?: string,
): DomainError {
  const detail = why ? `: ${why}` : '';
  return domainError(
    graphErrors.badRequest(`Participant is in state ${current.state}; cannot ${command}${detail}.`),
  );
}
