import type { GraphVersion, Json, JsonObject } from './call-document.js';

/**
 * Calls are stored in their beta shape (the superset). A v1.0 response is the same object
 * without the properties v1.0 does not define.
 */
const BETA_ONLY: Record<string, readonly string[]> = {
  call: [
    'activeModalities',
    'answeredBy',
    'meetingCapability',
    'ringingTimeoutInSeconds',
    'routingPolicies',
    'terminationReason',
  ],
  participantInfo: ['nonAnonymizedIdentity', 'platformId'],
  invitationParticipantInfo: ['endpointType'],
  mediaConfig: ['removeFromDefaultAudioGroup', 'liveCaptionOptions'],
  meetingInfo: ['allowConversationWithoutHost'],
};

function omit(value: Json | undefined, keys: readonly string[] | undefined): Json | undefined {
  if (!keys || value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) if (!keys.includes(k)) out[k] = v;
  return out;
}

export function projectCall(resource: JsonObject, version: GraphVersion): JsonObject {
  if (version === 'beta') return resource;
  const call = omit(resource, BETA_ONLY.call) as JsonObject;
  if (call.source) call.source = omit(call.source, BETA_ONLY.participantInfo) as Json;
  if (Array.isArray(call.targets)) {
    call.targets = call.targets.map((t) => omit(t, BETA_ONLY.invitationParticipantInfo) as Json);
  }
  if (call.mediaConfig) call.mediaConfig = omit(call.mediaConfig, BETA_ONLY.mediaConfig) as Json;
  if (call.meetingInfo) call.meetingInfo = omit(call.meetingInfo, BETA_ONLY.meetingInfo) as Json;
  return call;
}
