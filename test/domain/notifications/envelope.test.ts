import assert from 'node:assert/strict';
import { test } from 'node:test';
import { commsNotification, commsNotifications } from '../../../src/domain/notifications/envelope.js';
import { validateGraphValue } from '../../support/graph-schema.js';

test('commsNotifications wraps the items in the typed envelope, in order', () => {
  const a = commsNotification({
    changeType: 'updated',
    resourceUrl: '/communications/calls/a',
    resourceData: {},
  });
  const b = commsNotification({
    changeType: 'deleted',
    resourceUrl: '/communications/calls/b',
    callbackUri: 'https://bot.contoso.com/callback',
    resourceData: [],
  });
  const body = commsNotifications([a, b]);
  assert.deepEqual(body, { '@odata.type': '#microsoft.graph.commsNotifications', value: [a, b] });
  assert.deepEqual(commsNotifications([]), {
    '@odata.type': '#microsoft.graph.commsNotifications',
    value: [],
  });
  for (const version of ['beta', 'v1.0'] as const) {
    assert.deepEqual(validateGraphValue({ version, type: 'graph.commsNotifications', value: body }), []);
  }
});

test('commsNotification puts the keys in the order of the docs and leaves a missing callbackUri out', () => {
  const item = commsNotification({
    changeType: 'updated',
    resourceUrl: '/communications/calls/c/participants',
    resource: '/app/calls/c/participants',
    callbackUri: 'https://bot.contoso.com/callback',
    resourceData: [],
  });
  assert.deepEqual(Object.keys(item), [
    '@odata.type',
    'changeType',
    'resource',
    'resourceUrl',
    'callbackUri',
    'resourceData',
  ]);
  const bare = commsNotification({
    changeType: 'created',
    resourceUrl: '/communications/calls/c',
    callbackUri: null,
    resourceData: {},
  });
  assert.deepEqual(bare, {
    '@odata.type': '#microsoft.graph.commsNotification',
    changeType: 'created',
    resourceUrl: '/communications/calls/c',
    resourceData: {},
  });
});
