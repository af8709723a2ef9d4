import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../src/domain/call-document.js';
import {
  expectedSeedResponse,
  loadSeedFixtures,
  seedCorrectionsFor,
  type SeedFixture,
} from './seed-fixtures.js';

const TITLES = [
  'Example 1: Create peer-to-peer VoIP call with service hosted media',
  'Example 2: Create peer-to-peer VoIP call with application hosted media',
  'Example 3: Create a group call with service hosted media',
  'Example 4: Create a group call with application hosted media',
  'Example 5: Join scheduled meeting with service hosted media',
  'Example 6: Join a scheduled meeting with joinMeetingId and passcode',
  'Example 7: Join a scheduled meeting with joinMeetingId',
  'Example 8: Join scheduled meeting with app hosted media',
  'Example 9: Join channel meeting with service hosted media',
  'Example 10: Join channel meeting as a guest with service hosted media',
  'Example 11: Create peer-to-peer PSTN call with service hosted media',
  'Example 12: Create peer-to-peer PSTN call with application hosted media',
];

const fixtures = loadSeedFixtures();
const fixture = (n: number): SeedFixture => fixtures[n - 1]!;

/** A stand-in for an implementation's response: the doc's, with ids and host of its own. */
function actualLike(f: SeedFixture, extra: JsonObject = {}): JsonObject {
  return {
    ...f.response.body,
    id: 'aaaaaaaa-0000-4000-8000-000000000001',
    callChainId: 'aaaaaaaa-0000-4000-8000-000000000002',
    myParticipantId: 'aaaaaaaa-0000-4000-8000-000000000003',
    '@odata.context': 'http://127.0.0.1:4555/beta/$metadata#communications/calls/$entity',
    ...extra,
  };
}

test('the 12 fixtures load in document order with the doc titles', () => {
  assert.deepEqual(
    fixtures.map((f) => f.title),
    TITLES,
  );
  assert.deepEqual(
    fixtures.map((f) => f.file.slice(0, 3)),
    TITLES.map((_, i) => String(i + 1).padStart(2, '0') + '-'),
  );
  assert.equal(fixture(1).file, '01-create-peer-to-peer-voip-call-with-service-hosted-media.json');
});

test('each fixture has a create-call request and a 201 response with id, state and @odata.context', () => {
  for (const f of fixtures) {
    assert.equal(f.request.method, 'POST', f.file);
    assert.equal(f.request.path, '/beta/communications/calls', f.file);
    assert.equal(typeof f.request.body.callbackUri, 'string', f.file);
    assert.equal(typeof f.request.body.mediaConfig, 'object', f.file);
    assert.equal(f.response.status, 201, f.file);
    const body = f.response.body;
    assert.equal(typeof body.id, 'string', f.file);
    assert.equal(body.state, 'establishing', f.file);
    assert.equal(
      body['@odata.context'],
      'https://graph.microsoft.com/beta/$metadata#app/calls/$entity',
      f.file,
    );
    assert.equal(f.response.location, `/beta/communications/calls/${body.id as string}`, f.file);
    assert.ok(f.errata.length > 0, f.file);
  }
});

test('the notifications the doc shows are kept in order', () => {
  assert.deepEqual(
    fixtures.map((f) => f.notifications.map((n) => n.label)),
    [
      [
        'establishing',
        'established',
        'content sharing started',
        'content sharing updated',
        'content sharing ended',
      ],
      [],
      [],
      [],
      [
        'establishing',
        'established',
        'roster: delta roster disabled (default)',
        'roster: delta roster enabled',
      ],
      [],
      [],
      [],
      [],
      ['roster: delta roster disabled (default)', 'roster: delta roster enabled'],
      [],
      [],
    ],
  );
  assert.equal(fixture(1).notifications[2]!.url, 'https://bot.contoso.com/api/calls');
  assert.equal(fixture(5).notifications[0]!.body['@odata.type'], '#microsoft.graph.commsNotifications');
});

test('each errata correction applies exactly to the examples whose doc response it fixes', () => {
  assert.deepEqual(
    fixtures.map((f) => seedCorrectionsFor(f)),
    [
      ['echoRequestMediaConfig', 'echoRequestCallOptions'],
      [],
      ['echoRequestMediaConfig'],
      [],
      ['echoRequestTenantId', 'echoRequestMeetingInfo'],
      ['chatInfoThreadFromResolvedMeeting'],
      ['chatInfoThreadFromResolvedMeeting'],
      [],
      ['echoRequestChatInfo'],
      ['echoRequestChatInfo'],
      ['echoRequestMediaConfig'],
      [],
    ],
  );
  for (const f of fixtures) {
    for (const name of seedCorrectionsFor(f)) {
      assert.ok(
        f.errata.some((e) => e.includes(name)),
        `${f.file}: no erratum names ${name}`,
      );
    }
  }
});

test('expectedSeedResponse takes the generated ids and the host from the actual response', () => {
  const f = fixture(2);
  const expected = expectedSeedResponse(f, actualLike(f));
  assert.equal(expected.id, 'aaaaaaaa-0000-4000-8000-000000000001');
  assert.equal(expected.callChainId, 'aaaaaaaa-0000-4000-8000-000000000002');
  assert.equal(expected.myParticipantId, 'aaaaaaaa-0000-4000-8000-000000000003');
  assert.equal(expected['@odata.context'], 'http://127.0.0.1:4555/beta/$metadata#app/calls/$entity');
  const { id: _a, callChainId: _b, myParticipantId: _c, '@odata.context': _d, ...rest } = expected;
  const { id: _e, callChainId: _f, myParticipantId: _g, '@odata.context': _h, ...docRest } = f.response.body;
  assert.deepEqual(rest, docRest);
});

test('expectedSeedResponse keeps the doc ids when the actual response lacks them', () => {
  const f = fixture(2);
  const expected = expectedSeedResponse(f, {});
  assert.equal(expected.id, f.response.body.id);
  assert.equal(expected['@odata.context'], f.response.body['@odata.context']);
});

test('the corrected mediaConfig is the request one (no invented preFetchMedia, no dropped property)', () => {
  for (const n of [1, 3, 11]) {
    const f = fixture(n);
    assert.deepEqual(expectedSeedResponse(f, actualLike(f)).mediaConfig, f.request.body.mediaConfig);
  }
  assert.deepEqual(expectedSeedResponse(fixture(1), actualLike(fixture(1))).mediaConfig, {
    '@odata.type': '#microsoft.graph.serviceHostedMediaConfig',
  });
});

test('example 5: tenantId and the organizer follow the request', () => {
  const f = fixture(5);
  const expected = expectedSeedResponse(f, actualLike(f));
  assert.equal(expected.tenantId, '86dc81db-c112-4228-9222-63f3esaa1edb');
  assert.deepEqual(expected.meetingInfo, f.request.body.meetingInfo);
});

test('examples 6 and 7: the chat thread is the resolved meeting one, taken from the actual response', () => {
  for (const n of [6, 7]) {
    const f = fixture(n);
    const chatInfo = { threadId: '19:meeting_resolved@thread.v2', messageId: '0', replyChainMessageId: null };
    const actual = actualLike(f, { chatInfo });
    assert.deepEqual(expectedSeedResponse(f, actual).chatInfo, {
      '@odata.type': '#microsoft.graph.chatInfo',
      threadId: '19:meeting_resolved@thread.v2',
      messageId: '0',
      replyChainMessageId: null,
    });
  }
});

test('examples 9 and 10: chatInfo echoes the channel thread of the request', () => {
  for (const n of [9, 10]) {
    const f = fixture(n);
    assert.deepEqual(expectedSeedResponse(f, actualLike(f)).chatInfo, {
      '@odata.type': '#microsoft.graph.chatInfo',
      threadId: '19:cbee7c1c860e465f8258e3cebf7bee0d@thread.skype',
      messageId: '1533758867081',
      replyChainMessageId: null,
    });
  }
});

test('null and absent are alike, but a non-null difference stays a difference', () => {
  const f = fixture(1);
  const { resultInfo: _r, ...withoutResultInfo } = actualLike(f);
  const source = { ...(f.response.body.source as JsonObject) };
  delete source.countryCode;
  const actual: JsonObject = { ...withoutResultInfo, source, incomingContext: null, subject: 'Hello' };
  const expected = expectedSeedResponse(f, actual);
  assert.equal('resultInfo' in expected, false);
  assert.equal('countryCode' in (expected.source as JsonObject), false);
  assert.equal(expected.incomingContext, null);
  assert.equal(expected.subject, null);
  assert.notDeepEqual(actual, expected);
});

test('a response shaped like the corrected doc response deep-equals its expectation', () => {
  for (const f of fixtures) {
    const actual = expectedSeedResponse(
      f,
      actualLike(f, { chatInfo: { threadId: '19:meeting_x@thread.v2' } }),
    );
    assert.deepEqual(expectedSeedResponse(f, actual), actual, f.file);
  }
});
