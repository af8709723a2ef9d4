import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CallDocument, CallState, GraphVersion, JsonObject } from '../../../src/domain/call-document.js';
import { callStateNotification } from '../../../src/domain/notifications/call-state.js';
import { commsNotifications } from '../../../src/domain/notifications/envelope.js';
import { resultInfo } from '../../../src/domain/result-codes.js';
import { validateGraphValue } from '../../support/graph-schema.js';

const CALL_ID = '2e1a0b00-2db4-4022-9570-243709c565ab';
const TENANT = 'aa67bd4c-8475-432d-bd41-39f255720e0a';
const CALLBACK = 'https://bot.contoso.com/callback';
const ALL_STATES: CallState[] = [
  'incoming',
  'establishing',
  'ringing',
  'established',
  'hold',
  'transferring',
  'transferAccepted',
  'redirecting',
  'terminating',
  'terminated',
];

/** A stored peer-to-peer call resource (beta shape, nulls as stored). */
function p2pCall(overrides: JsonObject & { state: CallState }): CallDocument['resource'] {
  return {
    '@odata.type': '#microsoft.graph.call',
    id: CALL_ID,
    direction: 'outgoing',
    callbackUri: CALLBACK,
    tenantId: TENANT,
    requestedModalities: ['audio'],
    chatInfo: null,
    meetingInfo: null,
    resultInfo: null,
    terminationReason: null,
    ringingTimeoutInSeconds: null,
    ...overrides,
  };
}

/** A stored meeting join resource. */
function meetingCall(state: CallState): CallDocument['resource'] {
  return p2pCall({
    state,
    chatInfo: {
      '@odata.type': '#microsoft.graph.chatInfo',
      threadId: '19:m@thread.v2',
      messageId: '0',
      replyChainMessageId: null,
    },
    meetingInfo: {
      '@odata.type': '#microsoft.graph.organizerMeetingInfo',
      organizer: { '@odata.type': '#microsoft.graph.identitySet', user: { id: 'u-1', displayName: 'Bob' } },
      allowConversationWithoutHost: true,
    },
  });
}

function item(resourceData: JsonObject, changeType: 'updated' | 'deleted' = 'updated'): JsonObject {
  return {
    '@odata.type': '#microsoft.graph.commsNotification',
    changeType,
    resourceUrl: `/communications/calls/${CALL_ID}`,
    callbackUri: CALLBACK,
    resourceData: { '@odata.type': '#microsoft.graph.call', ...resourceData, id: CALL_ID },
  };
}

function assertValid(notification: JsonObject, version: GraphVersion): void {
  const value = commsNotifications([notification]);
  assert.deepEqual(validateGraphValue({ version, type: 'graph.commsNotifications', value }), []);
}

describe('callStateNotification: call ended (deleted)', () => {
  it('carries state terminated and resultInfo 200/5001 after the bot hangs up', () => {
    const resource = p2pCall({ state: 'terminated', resultInfo: { ...resultInfo('botHangUp') } });
    for (const version of ['beta', 'v1.0'] as const) {
      const built = callStateNotification({ resource, version, changeType: 'deleted' });
      assert.deepEqual(
        built,
        item(
          {
            state: 'terminated',
            resultInfo: {
              '@odata.type': '#microsoft.graph.resultInfo',
              code: 200,
              subcode: 5001,
              message: 'The conversation has ended.',
            },
          },
          'deleted',
        ),
      );
      assertValid(built, version);
    }
  });

  it('carries resultInfo 480/10037 when no callee endpoint was found', () => {
    const resource = p2pCall({ state: 'terminated', resultInfo: { ...resultInfo('unreachable') } });
    const built = callStateNotification({ resource, version: 'v1.0', changeType: 'deleted' });
    assert.deepEqual(
      built,
      item(
        {
          state: 'terminated',
          resultInfo: {
            '@odata.type': '#microsoft.graph.resultInfo',
            code: 480,
            subcode: 10037,
            message: 'No callee endpoints were found.',
          },
        },
        'deleted',
      ),
    );
    assertValid(built, 'v1.0');
  });

  it('carries terminationReason on beta only', () => {
    const resource = p2pCall({ state: 'terminated', terminationReason: 'AppTransferred' });
    const beta = callStateNotification({ resource, version: 'beta', changeType: 'deleted' });
    assert.deepEqual(beta, item({ state: 'terminated', terminationReason: 'AppTransferred' }, 'deleted'));
    assertValid(beta, 'beta');
    const v1 = callStateNotification({ resource, version: 'v1.0', changeType: 'deleted' });
    assert.deepEqual(v1, item({ state: 'terminated' }, 'deleted'));
    assertValid(v1, 'v1.0');
  });

  it('has no resultInfo when the call has none (rejected, redirected)', () => {
    const resource = p2pCall({ state: 'terminated', direction: 'incoming' });
    assert.deepEqual(
      callStateNotification({ resource, version: 'beta', changeType: 'deleted' }),
      item({ state: 'terminated' }, 'deleted'),
    );
  });

  it('leaves a meeting context out', () => {
    const resource = { ...meetingCall('terminated'), resultInfo: { ...resultInfo('endedByBot') } };
    assert.deepEqual(
      callStateNotification({ resource, version: 'beta', changeType: 'deleted' }),
      item(
        {
          state: 'terminated',
          resultInfo: { '@odata.type': '#microsoft.graph.resultInfo', ...resultInfo('endedByBot') },
        },
        'deleted',
      ),
    );
  });

  it('always says terminated, whatever state the resource was saved with', () => {
    const built = callStateNotification({
      resource: p2pCall({ state: 'terminating' }),
      version: 'beta',
      changeType: 'deleted',
    });
    assert.equal((built.resourceData as JsonObject).state, 'terminated');
  });
});

describe('callStateNotification: state updates', () => {
  it('establishing of a peer-to-peer call carries only state and id', () => {
    const built = callStateNotification({
      resource: p2pCall({ state: 'establishing' }),
      version: 'beta',
      changeType: 'updated',
    });
    assert.deepEqual(built, item({ state: 'establishing' }));
  });

  it('established of a peer-to-peer call adds direction and tenantId', () => {
    for (const direction of ['outgoing', 'incoming']) {
      const resource = p2pCall({ state: 'established', direction });
      assert.deepEqual(
        callStateNotification({ resource, version: 'v1.0', changeType: 'updated' }),
        item({ state: 'established', direction, tenantId: TENANT }),
      );
    }
  });

  it('establishing and established of a meeting join add chatInfo and meetingInfo without nulls', () => {
    for (const state of ['establishing', 'established'] as const) {
      const built = callStateNotification({
        resource: meetingCall(state),
        version: 'beta',
        changeType: 'updated',
      });
      assert.deepEqual(
        built,
        item({
          state,
          chatInfo: {
            '@odata.type': '#microsoft.graph.chatInfo',
            threadId: '19:m@thread.v2',
            messageId: '0',
          },
          meetingInfo: {
            '@odata.type': '#microsoft.graph.organizerMeetingInfo',
            organizer: {
              '@odata.type': '#microsoft.graph.identitySet',
              user: { id: 'u-1', displayName: 'Bob' },
            },
            allowConversationWithoutHost: true,
          },
        }),
      );
      assertValid(built, 'beta');
      assertValid(
        callStateNotification({ resource: meetingCall(state), version: 'v1.0', changeType: 'updated' }),
        'v1.0',
      );
    }
  });

  it('a failed transfer is established with its resultInfo', () => {
    const resource = p2pCall({ state: 'established', resultInfo: { ...resultInfo('transferFailed') } });
    const built = callStateNotification({ resource, version: 'beta', changeType: 'updated' });
    assert.deepEqual(
      built,
      item({
        state: 'established',
        direction: 'outgoing',
        tenantId: TENANT,
        resultInfo: {
          '@odata.type': '#microsoft.graph.resultInfo',
          code: 500,
          subcode: 7000,
          message: 'The transfer failed.',
        },
      }),
    );
    assertValid(built, 'beta');
  });

  it('hold, transferring, transferAccepted, redirecting and terminating carry only state and id', () => {
    for (const state of ['hold', 'transferring', 'transferAccepted', 'redirecting', 'terminating'] as const) {
      const built = callStateNotification({
        resource: meetingCall(state),
        version: 'beta',
        changeType: 'updated',
      });
      assert.deepEqual(built, item({ state }), state);
    }
  });

  it('ringing is sent on beta and becomes establishing on v1.0', () => {
    const resource = p2pCall({ state: 'ringing' });
    assert.deepEqual(
      callStateNotification({ resource, version: 'beta', changeType: 'updated' }),
      item({ state: 'ringing' }),
    );
    assert.deepEqual(
      callStateNotification({ resource, version: 'v1.0', changeType: 'updated' }),
      item({ state: 'establishing' }),
    );
  });

  it('v1.0 never gets ringing, and every state notification validates on both versions', () => {
    for (const state of ALL_STATES) {
      for (const resource of [p2pCall({ state }), meetingCall(state)]) {
        for (const version of ['beta', 'v1.0'] as const) {
          for (const changeType of ['updated', 'deleted'] as const) {
            const built = callStateNotification({ resource, version, changeType });
            if (version === 'v1.0') assert.notEqual((built.resourceData as JsonObject).state, 'ringing');
            assertValid(built, version);
          }
        }
      }
    }
  });

  it('leaves callbackUri out when the call has none', () => {
    const resource = p2pCall({ state: 'establishing', callbackUri: null });
    const { callbackUri: _cb, ...expected } = item({ state: 'establishing' });
    assert.deepEqual(callStateNotification({ resource, version: 'beta', changeType: 'updated' }), expected);
  });
});
