import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsonObject } from '../../../src/domain/call-document.js';
import { commsNotifications } from '../../../src/domain/notifications/envelope.js';
import { validateGraphValue } from '../../support/graph-schema.js';
import { loadSeedFixtures } from '../../support/seed-fixtures.js';
import {
  buildSeedItem,
  expectedSeedItem,
  seedItem,
  seedNotificationCorrections,
} from './seed-notifications.js';

const fixtures = loadSeedFixtures();
const seedNotifications = fixtures.flatMap((f) => f.notifications.map((n) => ({ f, n })));
const name = (f: { file: string }, label: string) => `${f.file.slice(0, 2)} ${label}`;

test('every seed notification body is one item in the commsNotifications envelope', () => {
  assert.equal(seedNotifications.length, 11);
  for (const { f, n } of seedNotifications) {
    assert.deepEqual(n.body, commsNotifications([seedItem(n)]), name(f, n.label));
  }
});

test('every seed notification is built from its example, errata corrected', () => {
  for (const { f, n } of seedNotifications) {
    const built = commsNotifications([buildSeedItem(f, n)]);
    assert.deepEqual(built, { ...n.body, value: [expectedSeedItem(f, n)] }, name(f, n.label));
  }
});

test('built seed notifications go to the callbackUri the example created the call with', () => {
  for (const { f, n } of seedNotifications) {
    assert.equal(buildSeedItem(f, n).callbackUri, 'https://bot.contoso.com/callback', name(f, n.label));
    assert.equal(f.request.body.callbackUri, 'https://bot.contoso.com/callback', f.file);
  }
});

test('each notification erratum correction applies exactly where the doc is wrong', () => {
  assert.deepEqual(
    seedNotifications.map(({ f, n }) => [name(f, n.label), seedNotificationCorrections(f, n)]),
    [
      ['01 establishing', []],
      ['01 established', ['createdCall']],
      ['01 content sharing started', ['createdCall', 'callbackUriOfTheCall']],
      ['01 content sharing updated', ['createdCall', 'callbackUriOfTheCall']],
      ['01 content sharing ended', ['createdCall', 'callbackUriOfTheCall']],
      ['05 establishing', ['meetingInfoAsRequested']],
      ['05 established', ['meetingInfoAsRequested']],
      ['05 roster: delta roster disabled (default)', []],
      ['05 roster: delta roster enabled', ['createdCall', 'callbackUriOfTheCall']],
      ['10 roster: delta roster disabled (default)', ['createdCall']],
      ['10 roster: delta roster enabled', ['createdCall', 'callbackUriOfTheCall']],
    ],
  );
});

test('every built seed notification is a valid commsNotifications body on beta and v1.0', () => {
  for (const { f, n } of seedNotifications) {
    for (const version of ['beta', 'v1.0'] as const) {
      const value = commsNotifications([buildSeedItem(f, n, version)]);
      assert.deepEqual(
        validateGraphValue({ version, type: 'graph.commsNotifications', value }),
        [],
        `${name(f, n.label)} ${version}`,
      );
    }
  }
});

test('on v1.0 the meeting join notifications leave out the beta-only allowConversationWithoutHost', () => {
  const f = fixtures[4]!;
  const established = buildSeedItem(f, f.notifications[1]!, 'v1.0');
  const { allowConversationWithoutHost, ...meetingInfo } = f.request.body.meetingInfo as JsonObject;
  assert.equal(allowConversationWithoutHost, true);
  assert.deepEqual((established.resourceData as JsonObject).meetingInfo, meetingInfo);
});
