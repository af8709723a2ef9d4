import type { CallState, GraphVersion, Json, JsonObject } from '../../../src/domain/call-document.js';
import { callStateNotification } from '../../../src/domain/notifications/call-state.js';
import { contentSharingNotification } from '../../../src/domain/notifications/content-sharing.js';
import { participantResource, rosterNotification } from '../../../src/domain/notifications/roster.js';
import {
  expectedSeedResponse,
  type SeedFixture,
  type SeedNotification,
} from '../../support/seed-fixtures.js';

/**
 * The notifications of the Create call seed examples: what the builders make of the example's own
 * inputs, and the doc's body with its errata corrected (each correction named, as
 * test/support/seed-fixtures.ts does for responses).
 */

const isObject = (v: Json | undefined): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const objects = (v: Json | undefined): JsonObject[] => (Array.isArray(v) ? v.filter(isObject) : []);

/** The single item of a seed notification body. */
export function seedItem(n: SeedNotification): JsonObject {
  const [item] = objects(n.body.value);
  if (!item) throw new Error(`seed notification ${n.label} has no item`);
  return item;
}

export function createdCallId(f: SeedFixture): string {
  return f.response.body.id as string;
}

export function seedVersion(f: SeedFixture): GraphVersion {
  return f.request.path.startsWith('/beta/') ? 'beta' : 'v1.0';
}

/** A doc participant taken apart into participantResource options, as the service stores it. */
function participantInputs(p: JsonObject, version: GraphVersion): JsonObject {
  const { '@odata.type': _type, ...info } = p.info as JsonObject;
  const mediaStreams = objects(p.mediaStreams).map(({ '@odata.type': _t, ...s }) => ({ ...s, label: null }));
  return participantResource({
    id: p.id as string,
    info,
    isInLobby: p.isInLobby as boolean,
    isMuted: p.isMuted as boolean,
    mediaStreams,
    metadata: null,
    ...(typeof p.rosterSequenceNumber === 'number' ? { rosterSequenceNumber: p.rosterSequenceNumber } : {}),
    removedState: isObject(p.removedState) ? { reason: p.removedState.reason as string } : null,
    version,
  });
}

/** Builds the item of `n` from the example's inputs: the created call, its request, its roster. */
export function buildSeedItem(f: SeedFixture, n: SeedNotification, version = seedVersion(f)): JsonObject {
  const doc = seedItem(n);
  const callId = createdCallId(f);
  const callbackUri = f.request.body.callbackUri as string;
  if (n.label === 'establishing' || n.label === 'established') {
    const state: CallState = n.label;
    const resource = { ...expectedSeedResponse(f, f.response.body), id: callId, state };
    return callStateNotification({ resource, version, changeType: 'updated' });
  }
  if (n.label.startsWith('content sharing')) {
    const [session] = objects(doc.resourceData);
    return contentSharingNotification({
      callId,
      callbackUri,
      changeType: doc.changeType as 'created' | 'updated' | 'deleted',
      session: { id: session!.id as string },
      version,
    });
  }
  if (n.label === 'roster: delta roster disabled (default)') {
    const participants = objects(doc.resourceData).map((p) => participantInputs(p, version));
    return rosterNotification({ callId, callbackUri, version, participants });
  }
  if (n.label === 'roster: delta roster enabled') {
    const [delta] = objects(doc.resourceData);
    const participants = objects(delta!.participants).map((p) => participantInputs(p, version));
    const sequenceNumber = delta!.sequenceNumber as number;
    return rosterNotification({ callId, callbackUri, version, participants, delta: { sequenceNumber } });
  }
  throw new Error(`no builder for seed notification "${n.label}"`);
}

/**
 * Erratum (example 1 established and content sharing, example 5 delta roster, example 10 both
 * rosters): resourceUrl, the legacy resource path and the call's id name a call other than the one
 * the example created. The expected item names the created call.
 */
function createdCall(item: JsonObject, f: SeedFixture): void {
  const id = createdCallId(f);
  const retarget = (path: string, root: string) =>
    path.replace(new RegExp(`^${root}/[^/]+`), `${root}/${id}`);
  item.resourceUrl = retarget(item.resourceUrl as string, '/communications/calls');
  if (typeof item.resource === 'string') item.resource = retarget(item.resource, '/app/calls');
  const data = item.resourceData;
  if (isObject(data) && data['@odata.type'] === '#microsoft.graph.call') data.id = id;
}

/**
 * Erratum (example 1 content sharing, examples 5 and 10 delta roster): the item lacks the
 * callbackUri every other notification of the page carries (the content sharing ones are even
 * POSTed to another URL). The expected item carries the call's callbackUri.
 */
function callbackUriOfTheCall(item: JsonObject, f: SeedFixture): void {
  if (!('callbackUri' in item)) item.callbackUri = f.request.body.callbackUri as string;
}

/**
 * Erratum (example 5 establishing and established): meetingInfo.organizer.user.tenantId is not the
 * request's (the response has the same erratum, corrected by echoRequestMeetingInfo). The expected
 * item carries meetingInfo as requested.
 */
function meetingInfoAsRequested(item: JsonObject, f: SeedFixture): void {
  const data = item.resourceData;
  if (isObject(data) && isObject(data.meetingInfo) && isObject(f.request.body.meetingInfo)) {
    data.meetingInfo = structuredClone(f.request.body.meetingInfo);
  }
}

const corrections = [createdCall, callbackUriOfTheCall, meetingInfoAsRequested];

/** The doc's item of `n`, errata corrected. */
export function expectedSeedItem(f: SeedFixture, n: SeedNotification): JsonObject {
  const item = structuredClone(seedItem(n));
  for (const correct of corrections) correct(item, f);
  return item;
}

/** The names of the corrections that change the doc's item of `n`. */
export function seedNotificationCorrections(f: SeedFixture, n: SeedNotification): string[] {
  const doc = JSON.stringify(seedItem(n));
  return corrections
    .filter((correct) => {
      const item = structuredClone(seedItem(n));
      correct(item, f);
      return JSON.stringify(item) !== doc;
    })
    .map((correct) => correct.name);
}
