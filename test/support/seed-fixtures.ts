import { readdirSync, readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import type { Json, JsonObject } from '../../src/domain/call-document.js';
import { fixturePath } from './graph-schema.js';

/**
 * The 12 examples of the Graph beta "Create call" page, vendored as test/fixtures/seed/NN-<slug>.json
 * (see test/fixtures/README.md), and the expected response a faithful implementation returns for each.
 */
export interface SeedNotification {
  /** The doc's heading, e.g. "establishing" or "roster: delta roster enabled". */
  label: string;
  /** Where the doc POSTs it. */
  url: string;
  body: JsonObject;
}

export interface SeedFixture {
  /** The fixture's file name, e.g. "01-create-peer-to-peer-voip-call-with-service-hosted-media.json". */
  file: string;
  /** The example heading, e.g. "Example 1: Create peer-to-peer VoIP call with service hosted media". */
  title: string;
  request: { method: 'POST'; path: string; body: JsonObject };
  response: { status: number; location: string; body: JsonObject };
  notifications: SeedNotification[];
  /** Where the doc is wrong or inconsistent, and what the expected response does about it. */
  errata: string[];
}

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseFixture(file: string, raw: unknown): SeedFixture {
  const bad = (what: string): never => {
    throw new Error(`test/fixtures/seed/${file}: ${what}`);
  };
  if (!isObject(raw)) return bad('not an object');
  const { title, request, response, notifications, errata } = raw;
  if (typeof title !== 'string') bad('title is not a string');
  if (!isObject(request) || request.method !== 'POST' || typeof request.path !== 'string') bad('bad request');
  if (!isObject(request) || !isObject(request.body)) return bad('request.body is not an object');
  if (!isObject(response) || typeof response.status !== 'number' || typeof response.location !== 'string') {
    return bad('bad response');
  }
  if (!isObject(response.body)) bad('response.body is not an object');
  const okNotification = (n: Json) =>
    isObject(n) && typeof n.label === 'string' && typeof n.url === 'string' && isObject(n.body);
  if (!Array.isArray(notifications) || !notifications.every(okNotification)) bad('bad notifications');
  if (!Array.isArray(errata) || !errata.every((e) => typeof e === 'string')) bad('bad errata');
  return { file, ...(raw as unknown as Omit<SeedFixture, 'file'>) };
}

/** Every seed fixture, in document order (01..12). Reads the files on each call. */
export function loadSeedFixtures(): SeedFixture[] {
  const dir = fixturePath('seed');
  return readdirSync(dir)
    .filter((f) => /^\d\d-.+\.json$/.test(f))
    .sort()
    .map((file) => parseFixture(file, JSON.parse(readFileSync(`${dir}/${file}`, 'utf8'))));
}

interface CorrectionContext {
  request: JsonObject;
  actual: JsonObject;
}

/** The ids the service generates come from the actual response, as does the host of @odata.context. */
function replaceGeneratedIds(expected: JsonObject, { actual }: CorrectionContext): void {
  for (const key of ['id', 'callChainId', 'myParticipantId']) {
    if (typeof actual[key] === 'string') expected[key] = actual[key];
  }
  const [docContext, actualContext] = [expected['@odata.context'], actual['@odata.context']];
  if (typeof docContext === 'string' && typeof actualContext === 'string' && URL.canParse(actualContext)) {
    const doc = new URL(docContext);
    expected['@odata.context'] = new URL(actualContext).origin + docContext.slice(doc.origin.length);
  }
}

/**
 * Erratum (examples 1, 3, 11): the response's mediaConfig is not the request's. Examples 1 and 11
 * invent two preFetchMedia entries the request never sent; example 3 drops the request's
 * removeFromDefaultAudioGroup. Every other example echoes mediaConfig as sent, so the expected
 * response does too.
 */
function echoRequestMediaConfig(expected: JsonObject, { request }: CorrectionContext): void {
  if (isObject(request.mediaConfig)) expected.mediaConfig = structuredClone(request.mediaConfig);
}

/**
 * Erratum (example 5): the response's tenantId differs from the request's. Examples 3, 4, 6, 7, 8,
 * 11 and 12 echo the request's tenantId, so the expected response does too.
 */
function echoRequestTenantId(expected: JsonObject, { request }: CorrectionContext): void {
  if (typeof request.tenantId === 'string') expected.tenantId = request.tenantId;
}

/**
 * Erratum (example 5): the response changes the organizer's tenantId. Examples 6 to 10 echo
 * meetingInfo as sent, so the expected response does too.
 */
function echoRequestMeetingInfo(expected: JsonObject, { request }: CorrectionContext): void {
  if (isObject(request.meetingInfo)) expected.meetingInfo = structuredClone(request.meetingInfo);
}

/**
 * Erratum (examples 9, 10): the response's chatInfo.threadId is example 5's meeting thread, not the
 * channel thread the request names. The expected chatInfo is the request's, with
 * replyChainMessageId null when the request has none (as every example shows).
 */
function echoRequestChatInfo(expected: JsonObject, { request }: CorrectionContext): void {
  if (!isObject(request.chatInfo)) return;
  expected.chatInfo = { ...structuredClone(request.chatInfo), replyChainMessageId: null };
  if ('replyChainMessageId' in request.chatInfo)
    expected.chatInfo.replyChainMessageId = request.chatInfo.replyChainMessageId;
}

/**
 * Erratum (examples 6, 7): a joinMeetingId join sends no chatInfo, and the doc's response shows a
 * mangled copy of example 5's thread id. The service resolves the meeting from its joinMeetingId,
 * so the thread id is the resolved meeting's: taken from the actual response like a generated id.
 * messageId "0" and replyChainMessageId null stay as in the doc.
 */
function chatInfoThreadFromResolvedMeeting(
  expected: JsonObject,
  { request, actual }: CorrectionContext,
): void {
  const joinsById =
    isObject(request.meetingInfo) &&
    request.meetingInfo['@odata.type'] === '#microsoft.graph.joinMeetingIdMeetingInfo';
  if (!joinsById || isObject(request.chatInfo) || !isObject(expected.chatInfo) || !isObject(actual.chatInfo))
    return;
  if (typeof actual.chatInfo.threadId === 'string') expected.chatInfo.threadId = actual.chatInfo.threadId;
}

/**
 * Not an erratum of one example but of the page as a whole: it pads some objects with null-valued
 * properties and not others (example 1's source has countryCode/endpointType null, example 5's does
 * not; examples 3 and 4 are "shortened" and lack the top-level nulls). Absent and null mean the same
 * to Graph clients, so wherever one side has null and the other lacks the key, the actual response
 * decides. Any non-null difference is kept, so it still fails the comparison.
 */
function nullMeansAbsent(expected: Json, actual: Json | undefined): Json {
  if (Array.isArray(expected)) {
    return expected.map((item, i) => nullMeansAbsent(item, Array.isArray(actual) ? actual[i] : undefined));
  }
  if (!isObject(expected) || !isObject(actual)) return expected;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(expected)) {
    if (value === null && !(key in actual)) continue;
    out[key] = nullMeansAbsent(value, actual[key]);
  }
  for (const [key, value] of Object.entries(actual)) {
    if (value === null && !(key in expected)) out[key] = null;
  }
  return out;
}

/**
 * Erratum (example 1): the request sets callOptions (isContentSharingNotificationEnabled) but the
 * "shortened" response leaves callOptions out. Graph keeps the options a call was created with and
 * GET returns them, so the expected response echoes the request's callOptions.
 */
function echoRequestCallOptions(expected: JsonObject, { request }: CorrectionContext): void {
  if (isObject(request.callOptions)) expected.callOptions = structuredClone(request.callOptions);
}

/** The errata corrections, in the order they apply. */
const corrections = [
  echoRequestMediaConfig,
  echoRequestCallOptions,
  echoRequestTenantId,
  echoRequestMeetingInfo,
  echoRequestChatInfo,
  chatInfoThreadFromResolvedMeeting,
];

/**
 * The doc's response body for `fixture`, with the generated ids (`id`, `callChainId`,
 * `myParticipantId`, the host of `@odata.context`) taken from `actual` and the documented errata
 * corrected, so that a faithful implementation's response deep-equals it.
 */
export function expectedSeedResponse(fixture: SeedFixture, actual: unknown): JsonObject {
  const actualBody = isObject(actual) ? actual : {};
  const context: CorrectionContext = { request: fixture.request.body, actual: actualBody };
  const expected = structuredClone(fixture.response.body);
  replaceGeneratedIds(expected, context);
  for (const correct of corrections) correct(expected, context);
  return nullMeansAbsent(expected, actualBody) as JsonObject;
}

/** The names of the errata corrections that change `fixture`'s doc response (for reports and tests). */
export function seedCorrectionsFor(fixture: SeedFixture): string[] {
  // A stand-in actual response: the doc's own, with a resolved meeting thread of its own.
  const actual: JsonObject = { ...fixture.response.body, chatInfo: { threadId: '19:resolved@thread.v2' } };
  const context: CorrectionContext = { request: fixture.request.body, actual };
  return corrections
    .filter((correct) => {
      const expected = structuredClone(fixture.response.body);
      correct(expected, context);
      return !isDeepStrictEqual(expected, fixture.response.body);
    })
    .map((correct) => correct.name);
}
