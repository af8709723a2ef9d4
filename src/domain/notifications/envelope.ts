import type { Json, JsonObject } from '../call-document.js';

/**
 * The body Graph POSTs to a bot's callbackUri, and the one item shape every notification in
 * it shares. `commsNotification` declares only changeType and resourceUrl and is open: the
 * legacy `resource` path, `callbackUri` and `resourceData` are dynamic properties.
 */

export const ODATA = {
  commsNotifications: '#microsoft.graph.commsNotifications',
  commsNotification: '#microsoft.graph.commsNotification',
  call: '#microsoft.graph.call',
  resultInfo: '#microsoft.graph.resultInfo',
  participant: '#microsoft.graph.participant',
  participantInfo: '#microsoft.graph.participantInfo',
  mediaStream: '#microsoft.graph.mediaStream',
  deltaParticipants: '#microsoft.graph.deltaParticipants',
  contentSharingSession: '#microsoft.graph.contentSharingSession',
} as const;

export type ChangeType = 'created' | 'updated' | 'deleted';

/** `/communications/calls/{id}`: the resourceUrl of a call. */
export function callResourceUrl(callId: string): string {
  return `/communications/calls/${callId}`;
}

/** The whole POST body: `{"@odata.type":"#microsoft.graph.commsNotifications","value":items}`. */
export function commsNotifications(items: JsonObject[]): JsonObject {
  return { '@odata.type': ODATA.commsNotifications, value: items };
}

export interface CommsNotificationOptions {
  changeType: ChangeType;
  resourceUrl: string;
  /** The legacy `/app/calls/...` duplicate of resourceUrl, sent by some notifications only. */
  resource?: string;
  /** Left out when the call has none. */
  callbackUri?: string | null;
  /** An object for a call, an array for participants and content sharing sessions. */
  resourceData: Json;
}

/** One item of `value`, keys in the order Graph's examples show them. */
export function commsNotification(options: CommsNotificationOptions): JsonObject {
  const item: JsonObject = { '@odata.type': ODATA.commsNotification, changeType: options.changeType };
  if (options.resource !== undefined) item.resource = options.resource;
  item.resourceUrl = options.resourceUrl;
  if (typeof options.callbackUri === 'string') item.callbackUri = options.callbackUri;
  item.resourceData = options.resourceData;
  return item;
}
