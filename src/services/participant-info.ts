import type { Json, JsonObject } from '../domain/call-document.js';
import type { MediaStream } from '../domain/participant-machine.js';
import type { User } from '../world/world-schema.js';

/** Builders for the participantInfo and media streams of simulated participants. */

const identity = (props: JsonObject): JsonObject => ({
  '@odata.type': '#microsoft.graph.identity',
  ...props,
});

export function userInfo(user: Pick<User, 'id' | 'displayName' | 'tenantId'>): JsonObject {
  return {
    '@odata.type': '#microsoft.graph.participantInfo',
    identity: {
      '@odata.type': '#microsoft.graph.identitySet',
      user: identity({ displayName: user.displayName, id: user.id, tenantId: user.tenantId }),
    },
    languageId: 'en-US',
  };
}

/** A call target's participantInfo: the identity the bot invited, as it sent it. */
export function targetInfo(target: JsonObject): JsonObject {
  const info: JsonObject = {
    '@odata.type': '#microsoft.graph.participantInfo',
    identity: target.identity ?? null,
  };
  if (typeof target.endpointType === 'string') info.endpointType = target.endpointType;
  return info;
}

/** The bot's own participantInfo: the call's source. */
export function botInfo(source: Json | undefined): JsonObject {
  const src = source && typeof source === 'object' && !Array.isArray(source) ? source : {};
  return { '@odata.type': '#microsoft.graph.participantInfo', identity: src.identity ?? null };
}

/**
 * Media streams of a person: audio (send and receive), video and screen sharing received.
 * Source ids are unique per call: `base` is the participant's position in the call.
 */
export function personStreams(base: number): MediaStream[] {
  const first = base * 10;
  return [
    {
      mediaType: 'audio',
      direction: 'sendReceive',
      label: null,
      sourceId: String(first + 1),
      serverMuted: false,
    },
    {
      mediaType: 'video',
      direction: 'receiveOnly',
      label: null,
      sourceId: String(first + 2),
      serverMuted: false,
    },
    {
      mediaType: 'videoBasedScreenSharing',
      direction: 'receiveOnly',
      label: null,
      sourceId: String(first + 8),
      serverMuted: false,
    },
  ];
}

/** The bot's media: audio only (service-hosted media plays and records audio). */
export function botStreams(base: number): MediaStream[] {
  return [
    {
      mediaType: 'audio',
      direction: 'sendReceive',
      label: null,
      sourceId: String(base * 10 + 1),
      serverMuted: false,
    },
  ];
}

/** What kind of identity a target names, and its id. */
export function targetIdentity(target: JsonObject): { kind: string; id: string } | undefined {
  const set = target.identity;
  if (!set || typeof set !== 'object' || Array.isArray(set)) return undefined;
  for (const kind of ['user', 'phone', 'application', 'applicationInstance', 'guest'] as const) {
    const value = set[kind];
    if (value && typeof value === 'object' && !Array.isArray(value) && typeof value.id === 'string') {
      return { kind, id: value.id };
    }
  }
  return undefined;
}
