import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JsonObject } from '../../src/domain/call-document.js';
import { typeFromOdataContext, validateGraphResponse, validateGraphValue } from './graph-schema.js';
import { expectedSeedResponse, loadSeedFixtures } from './seed-fixtures.js';

const fixtures = loadSeedFixtures();

const user = (id: unknown) => ({
  '@odata.type': '#microsoft.graph.identitySet',
  user: { '@odata.type': '#microsoft.graph.identity', displayName: 'John', id },
});
const call = (extra: JsonObject | Record<string, unknown> = {}): Record<string, unknown> => ({
  '@odata.type': '#microsoft.graph.call',
  callbackUri: 'https://bot.contoso.com/callback',
  targets: [{ '@odata.type': '#microsoft.graph.invitationParticipantInfo', identity: user('112f7296') }],
  requestedModalities: ['audio'],
  mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
  ...extra,
});
const beta = (value: unknown, type = 'call') => validateGraphValue({ version: 'beta', type, value });
const v1 = (value: unknown, type = 'call') => validateGraphValue({ version: 'v1.0', type, value });

test('every seed request is a valid beta call, except the participantInfo targets of examples 3 and 4', () => {
  const wrongTarget = [
    '$.targets[1].@odata.type: graph.participantInfo does not derive from graph.invitationParticipantInfo',
  ];
  assert.deepEqual(
    fixtures.map((f) => beta(f.request.body)),
    [[], [], wrongTarget, wrongTarget, [], [], [], [], [], [], [], []],
  );
  for (const n of [3, 4])
    assert.ok(fixtures[n - 1]!.errata.some((e) => e.includes('$.targets[1].@odata.type')));
});

test('every seed response is a valid beta call, as in the doc and after the errata corrections', () => {
  for (const f of fixtures) {
    assert.deepEqual(validateGraphResponse('beta', f.response.body), [], f.file);
    const actual = { ...f.response.body, chatInfo: { threadId: '19:meeting_x@thread.v2' } };
    assert.deepEqual(validateGraphResponse('beta', expectedSeedResponse(f, actual)), [], f.file);
  }
});

test('every seed notification is a valid beta commsNotifications body', () => {
  for (const f of fixtures) {
    for (const n of f.notifications)
      assert.deepEqual(beta(n.body, 'commsNotifications'), [], `${f.file} ${n.label}`);
  }
  // resourceData is dynamic, but its objects name their type with @odata.type and are checked as it.
  const establishing = JSON.stringify(fixtures[4]!.notifications[0]!.body);
  assert.deepEqual(
    beta(JSON.parse(establishing.replace('"establishing"', '"bogus"')), 'commsNotifications'),
    ['$.value[0].resourceData.state: "bogus" is not a member of graph.callState'],
  );
  const roster = JSON.stringify(fixtures[4]!.notifications[2]!.body);
  assert.deepEqual(
    beta(JSON.parse(roster.replace('"isMuted":true', '"isMuted":"yes"')), 'commsNotifications'),
    ['$.value[0].resourceData[0].isMuted: expected boolean'],
  );
  assert.deepEqual(v1({ value: [{ resourceUrl: '/communications/calls/x' }] }, 'commsNotifications'), []);
  assert.deepEqual(v1({ value: [{ changeType: 'moved', resourceUrl: 1 }] }, 'commsNotifications'), [
    '$.value[0].changeType: "moved" is not a member of graph.changeType',
    '$.value[0].resourceUrl: expected string',
  ]);
});

test('v1.0 names the beta-only properties of the example 1 response, even though call is open', () => {
  assert.deepEqual(validateGraphResponse('v1.0', fixtures[0]!.response.body), [
    '$.targets[0].endpointType: beta-only property of graph.invitationParticipantInfo',
    '$.activeModalities: beta-only property of graph.call',
    '$.routingPolicies: beta-only property of graph.call',
    '$.terminationReason: beta-only property of graph.call',
    '$.ringingTimeoutInSeconds: beta-only property of graph.call',
    '$.answeredBy: beta-only property of graph.call',
    '$.meetingCapability: beta-only property of graph.call',
  ]);
  assert.deepEqual(v1(call({ activeModalities: [], routingPolicies: ['noMissedCall'] })), [
    '$.activeModalities: beta-only property of graph.call',
    '$.routingPolicies: beta-only property of graph.call',
  ]);
  assert.deepEqual(beta(call({ activeModalities: [], routingPolicies: ['noMissedCall'] })), []);
  assert.deepEqual(v1(call()), []);
});

test('hand-made invalid values give exact messages', () => {
  assert.deepEqual(beta(call({ targets: [{ identity: user(42) }] })), [
    '$.targets[0].identity.user.id: expected string',
  ]);
  assert.deepEqual(beta(call({ state: 'dialling' })), [
    '$.state: "dialling" is not a member of graph.callState',
  ]);
  assert.deepEqual(beta(call({ state: 7 })), ['$.state: expected string (graph.callState member)']);
  assert.deepEqual(beta(call({ requestedModalities: 'audio' })), ['$.requestedModalities: expected array']);
  assert.deepEqual(beta(call({ requestedModalities: [null] })), [
    '$.requestedModalities[0]: null is not allowed',
  ]);
  assert.deepEqual(beta(call({ source: { identity: user('x'), nickname: 'Bot' } })), [
    '$.source.nickname: unknown property of graph.participantInfo',
  ]);
  assert.deepEqual(beta(call({ mediaConfig: { '@odata.type': '#microsoft.graph.identity' } })), [
    '$.mediaConfig.@odata.type: graph.identity does not derive from graph.mediaConfig',
  ]);
  assert.deepEqual(beta(call({ mediaConfig: { '@odata.type': '#microsoft.graph.nope' } })), [
    '$.mediaConfig.@odata.type: unknown type "#microsoft.graph.nope"',
  ]);
  assert.deepEqual(beta(call({ mediaConfig: { '@odata.type': 5 } })), [
    '$.mediaConfig.@odata.type: expected string',
  ]);
  assert.deepEqual(beta(call({ chatInfo: 'thread' })), ['$.chatInfo: expected object']);
  assert.deepEqual(beta(call({ ringingTimeoutInSeconds: 1.5 })), [
    '$.ringingTimeoutInSeconds: expected integer',
  ]);
  assert.deepEqual(beta(call({ ringingTimeoutInSeconds: 2 ** 31 })), [
    '$.ringingTimeoutInSeconds: integer out of Int32 range',
  ]);
  assert.deepEqual(beta(call({ toneInfo: { sequenceId: '1', tone: 'tone1' } })), [
    '$.toneInfo.sequenceId: expected integer',
  ]);
  assert.deepEqual(beta(call({ transcription: { state: 'active', lastModifiedDateTime: 'yesterday' } })), [
    '$.transcription.lastModifiedDateTime: expected ISO 8601 date-time string',
  ]);
  assert.deepEqual(beta(call({ targets: [{ identity: user('x'), hidden: 'no' }] })), [
    '$.targets[0].hidden: expected boolean',
  ]);
  assert.deepEqual(
    beta(
      { callChainId: 'abc', mediaLegId: 'd8217646-3110-40b1-bae6-e9ac6c3a9f74' },
      'teleconferenceDeviceQuality',
    ),
    ['$.callChainId: expected GUID string'],
  );
  assert.deepEqual(beta(null), ['$: null is not allowed']);
  assert.deepEqual(beta({}, 'nope'), ['$: unknown type "nope"']);
});

test('nullability: v1.0 enforces nullable=false, beta (which does not record it) allows null', () => {
  assert.deepEqual(v1(call({ callbackUri: null })), ['$.callbackUri: null is not allowed']);
  assert.deepEqual(beta(call({ callbackUri: null })), []);
  assert.deepEqual(v1(call({ subject: null })), []);
});

test('open types take any JSON; identity sets take extra identities, checked as identities', () => {
  assert.deepEqual(beta(call({ customData: { nested: [1, 'two', null, { deep: true }] } })), []);
  assert.deepEqual(beta(call({ customData: Number.NaN })), ['$.customData: not a JSON value']);
  assert.deepEqual(beta(call({ customData: [undefined] })), ['$.customData[0]: not a JSON value']);
  const phone = (id: unknown) => ({
    identity: { phone: { '@odata.type': '#microsoft.graph.identity', id } },
  });
  assert.deepEqual(v1(call({ targets: [phone('+12345678901')] })), []);
  assert.deepEqual(v1(call({ targets: [phone(12345678901)] })), [
    '$.targets[0].identity.phone.id: expected string',
  ]);
  assert.deepEqual(v1(call({ targets: [{ identity: { guest: 'Guest User' } }] })), [
    '$.targets[0].identity.guest: expected object',
  ]);
  assert.deepEqual(v1(call({ targets: [{ identity: { endpointType: 'voicemail' } }] })), []);
  // A dynamic object that names a known type with @odata.type is checked as that type.
  assert.deepEqual(
    beta(call({ extra: { '@odata.type': '#microsoft.graph.resultInfo', code: 'x', subcode: 0 } })),
    ['$.extra.code: expected integer'],
  );
});

test('enums: v1.0 lacks the beta members; flags take comma lists; operationStatus ignores case', () => {
  assert.deepEqual(v1(call({ state: 'ringing' })), ['$.state: "ringing" is not a member of graph.callState']);
  assert.deepEqual(beta(call({ state: 'ringing' })), []);
  const restricted = (contentSharingDisabled: string) => ({
    info: { identity: user('x') },
    isInLobby: false,
    isMuted: false,
    restrictedExperience: { contentSharingDisabled },
  });
  assert.deepEqual(v1(restricted('watermarkProtection, unknownFutureValue'), 'participant'), []);
  assert.deepEqual(v1(restricted('watermarkProtection,bogus'), 'participant'), [
    '$.restrictedExperience.contentSharingDisabled: "watermarkProtection,bogus" is not a member of graph.onlineMeetingContentSharingDisabledReason',
  ]);
  for (const status of ['running', 'Running', 'completed'])
    assert.deepEqual(v1({ status }, 'playPromptOperation'), []);
  assert.deepEqual(v1({ status: 'walking' }, 'commsOperation'), [
    '$.status: "walking" is not a member of graph.operationStatus',
  ]);
});

test('type names: short, graph., microsoft.graph., #microsoft.graph. and Collection() forms', () => {
  for (const type of ['call', 'graph.call', 'microsoft.graph.call', '#microsoft.graph.call']) {
    assert.deepEqual(validateGraphValue({ version: 'beta', type, value: call({ state: 1 }) }), [
      '$.state: expected string (graph.callState member)',
    ]);
  }
  assert.deepEqual(beta([{ isMuted: 'no' }], 'Collection(graph.participant)'), [
    '$[0].isMuted: expected boolean',
  ]);
});

test('navigation properties are allowed and checked', () => {
  assert.deepEqual(beta(call({ participants: [{ isMuted: false }] })), []);
  assert.deepEqual(v1(call({ participants: [{ isMuted: 'no' }] })), [
    '$.participants[0].isMuted: expected boolean',
  ]);
});

test('the response type comes from @odata.context', () => {
  const ctx = (fragment: string) => `https://graph.microsoft.com/v1.0/$metadata#${fragment}`;
  assert.equal(typeFromOdataContext('v1.0', ctx('app/calls/$entity')), 'graph.call');
  assert.equal(typeFromOdataContext('v1.0', ctx('communications/calls/$entity')), 'graph.call');
  assert.equal(typeFromOdataContext('beta', ctx('communications/calls')), 'Collection(graph.call)');
  assert.equal(
    typeFromOdataContext('v1.0', ctx("communications/calls('abc')/participants")),
    'Collection(graph.participant)',
  );
  assert.equal(
    typeFromOdataContext('v1.0', ctx("communications/calls('abc')/operations/$entity")),
    'graph.commsOperation',
  );
  assert.equal(
    typeFromOdataContext('v1.0', ctx('microsoft.graph.playPromptOperation')),
    'graph.playPromptOperation',
  );
  assert.equal(typeFromOdataContext('v1.0', ctx('communications/calls/participants')), null);
  assert.equal(typeFromOdataContext('v1.0', ctx('users/$entity')), null);

  const roster = {
    '@odata.context': ctx("communications/calls('abc')/participants"),
    value: [{ info: { identity: user('x') }, isMuted: 'no', isInLobby: false }],
  };
  assert.deepEqual(validateGraphResponse('v1.0', roster), ['$.value[0].isMuted: expected boolean']);
  assert.deepEqual(validateGraphResponse('v1.0', { ...roster, count: 1 }).slice(0, 1), [
    '$.count: unknown property of a collection response',
  ]);
  assert.deepEqual(validateGraphResponse('v1.0', call({ state: 'nope' }), 'call'), [
    '$.state: "nope" is not a member of graph.callState',
  ]);
  assert.deepEqual(validateGraphResponse('v1.0', call()), [
    '$.@odata.context: missing; pass the type instead',
  ]);
  assert.deepEqual(validateGraphResponse('v1.0', { '@odata.context': ctx('users/$entity') }), [
    `$.@odata.context: cannot tell the resource type from "${ctx('users/$entity')}"`,
  ]);
});
