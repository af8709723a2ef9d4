/**
 * The stored shape of one call: the Graph call resource (beta shape, the superset)
 * plus what Switchboard needs to drive it. Storage treats it as opaque JSON.
 */
export type GraphVersion = 'v1.0' | 'beta';

export type CallState =
  | 'incoming'
  | 'establishing'
  | 'ringing'
  | 'established'
  | 'hold'
  | 'transferring'
  | 'transferAccepted'
  | 'redirecting'
  | 'terminating'
  | 'terminated';

/** A JSON value as Graph sends it. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export type CallScenario = 'peerToPeer' | 'group' | 'meeting' | 'pstn';

export interface CallDocument {
  /** The Graph call resource in its beta shape; v1.0 responses are projected from it. */
  resource: JsonObject & { id: string; state: CallState };
  /** The app that created the call (token appid). */
  appId: string;
  /** The tenant the call lives in. */
  tenantId: string;
  /** The Graph version the call was created through (notifications use it). */
  version: GraphVersion;
  scenario: CallScenario;
  /** Participants keyed by participant id, in the Graph participant shape. */
  participants: JsonObject[];
  /** Anything later features attach (operations, content sharing, timeline...). */
  extra: JsonObject;
}

export interface CallRecord {
  id: string;
  /** Optimistic concurrency: bumped on every save. */
  revision: number;
  appId: string;
  tenantId: string;
  state: CallState;
  createdAt: number;
  updatedAt: number;
  doc: CallDocument;
}
