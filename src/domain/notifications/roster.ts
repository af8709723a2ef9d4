import type { GraphVersion, Json, JsonObject } from '../call-document.js';
import { projectCall } from '../call-projection.js';
import { callResourceUrl, commsNotification, ODATA } from './envelope.js';
import { isJsonObject, withoutNulls } from './json.js';

/**
 * Roster notifications: `updated` on `/communications/calls/{id}/participants`.
 *
 * - Full roster (the default): resourceData is the array of every participant in the call
 *   (Create call, example 5 "roster: delta roster disabled (default)"; example 10 shows a guest
 *   waiting in the lobby, `isInLobby: true`).
 * - Delta roster (`callOptions.isDeltaRosterEnabled`): resourceData is one
 *   `deltaParticipants {participants, sequenceNumber}` holding only the participants changed
 *   since the last roster notification, each stamped with its `rosterSequenceNumber`; a removed
 *   participant carries `removedState {reason}`. As in the doc's "roster: delta roster enabled"
 *   examples, the item also carries the legacy `resource` path.
 */

/** Participant properties Graph defines on beta only. */
const BETA_ONLY_PARTICIPANT = ['isIdentityAnonymized', 'preferredDisplayName', 'syntheticMediaDetection'];

export interface ParticipantResourceOptions {
  id: string;
  /** participantInfo: identity, languageId, region... (its @odata.type is added when absent). */
  info: JsonObject;
  isInLobby: boolean;
  isMuted: boolean;
  /** Graph mediaStreams; each gets its @odata.type, null properties (e.g. label) are left out. */
  mediaStreams?: JsonObject[];
  /** Sent when it is a string. */
  metadata?: string | null;
  /** Sent when given (delta roster). */
  rosterSequenceNumber?: number;
  /** Sent when the participant has left the roster. */
  removedState?: { reason: string } | null;
  version: GraphVersion;
}

/**
 * A Graph participant as roster notifications carry it: `@odata.type`, info, mediaStreams,
 * isMuted, isInLobby, id, then the optional properties that have a value. Properties without a
 * value are left out rather than sent as null, as in every roster example of the docs.
 */
export function participantResource(options: ParticipantResourceOptions): JsonObject {
  const participant: JsonObject = {
    '@odata.type': ODATA.participant,
    info: { '@odata.type': ODATA.participantInfo, ...withoutNulls(options.info) },
    mediaStreams: (options.mediaStreams ?? []).map((stream) => ({
      '@odata.type': ODATA.mediaStream,
      ...withoutNulls(stream),
    })),
    isMuted: options.isMuted,
    isInLobby: options.isInLobby,
  };
  if (typeof options.metadata === 'string') participant.metadata = options.metadata;
  participant.id = options.id;
  if (options.rosterSequenceNumber !== undefined) {
    participant.rosterSequenceNumber = options.rosterSequenceNumber;
  }
  if (options.removedState) participant.removedState = { reason: options.removedState.reason };
  return projectParticipant(participant, options.version);
}

/** `participant` without the properties `version` does not define (itself and its info). */
export function projectParticipant(participant: JsonObject, version: GraphVersion): JsonObject {
  if (version === 'beta') return participant;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(participant)) {
    if (!BETA_ONLY_PARTICIPANT.includes(key)) out[key] = value;
  }
  if (isJsonObject(out.info)) out.info = projectParticipantInfo(out.info);
  return out;
}

/** call-projection knows which participantInfo properties are beta-only: a call's source is one. */
function projectParticipantInfo(info: JsonObject): Json {
  return projectCall({ source: info }, 'v1.0').source ?? info;
}

export interface RosterNotificationOptions {
  callId: string;
  callbackUri: string;
  version: GraphVersion;
  /** Graph participants (see participantResource): all of them, or the changed ones for a delta. */
  participants: JsonObject[];
  /** Present when the call has isDeltaRosterEnabled: the call-wide roster sequence number. */
  delta?: { sequenceNumber: number };
}

export function rosterNotification(options: RosterNotificationOptions): JsonObject {
  const { callId, version, delta } = options;
  const participants = options.participants.map((p) => projectParticipant(p, version));
  const resourceUrl = `${callResourceUrl(callId)}/participants`;
  if (!delta) {
    return commsNotification({
      changeType: 'updated',
      resourceUrl,
      callbackUri: options.callbackUri,
      resourceData: participants,
    });
  }
  return commsNotification({
    changeType: 'updated',
    resource: `/app/calls/${callId}/participants`,
    resourceUrl,
    callbackUri: options.callbackUri,
    resourceData: [
      { '@odata.type': ODATA.deltaParticipants, participants, sequenceNumber: delta.sequenceNumber },
    ],
  });
}
