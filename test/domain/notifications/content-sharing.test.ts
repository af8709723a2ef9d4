import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GraphVersion, JsonObject } from '../../../src/domain/call-document.js';
import { contentSharingNotification } from '../../../src/domain/notifications/content-sharing.js';
import { commsNotifications } from '../../../src/domain/notifications/envelope.js';
import { validateGraphValue } from '../../support/graph-schema.js';

const CALL_ID = '2e1a0b00-2db4-4022-9570-243709c565ab';
const CALLBACK = 'https://bot.contoso.com/callback';
const SESSION_ID = 'F7D9EF30FF0A9BD3F64B274387FB8FF8E96B6CFBA8F87F8305A74DE99AF007BC';
const PRESENTER = '0d7664b6-6432-43ed-8d27-d9e7adec188c';

function assertValid(notification: JsonObject, version: GraphVersion): void {
  const value = commsNotifications([notification]);
  assert.deepEqual(validateGraphValue({ version, type: 'graph.commsNotifications', value }), []);
}

describe('contentSharingNotification', () => {
  for (const changeType of ['created', 'updated', 'deleted'] as const) {
    it(`${changeType}: the session in an array on /contentsharingsessions`, () => {
      const built = contentSharingNotification({
        callId: CALL_ID,
        callbackUri: CALLBACK,
        changeType,
        session: { id: SESSION_ID },
      });
      assert.deepEqual(built, {
        '@odata.type': '#microsoft.graph.commsNotification',
        changeType,
        resourceUrl: `/communications/calls/${CALL_ID}/contentsharingsessions`,
        callbackUri: CALLBACK,
        resourceData: [{ '@odata.type': '#microsoft.graph.contentSharingSession', id: SESSION_ID }],
      });
      assertValid(built, 'beta');
      assertValid(built, 'v1.0');
    });
  }

  it('keeps the beta presenterParticipantId on beta and leaves it out on v1.0', () => {
    const session = { id: SESSION_ID, presenterParticipantId: PRESENTER, pngOfCurrentSlide: null };
    const options = { callId: CALL_ID, callbackUri: CALLBACK, changeType: 'created' as const, session };
    const beta = contentSharingNotification({ ...options, version: 'beta' });
    assert.deepEqual(beta.resourceData, [
      {
        '@odata.type': '#microsoft.graph.contentSharingSession',
        id: SESSION_ID,
        presenterParticipantId: PRESENTER,
      },
    ]);
    assertValid(beta, 'beta');
    const v1 = contentSharingNotification({ ...options, version: 'v1.0' });
    assert.deepEqual(v1.resourceData, [
      { '@odata.type': '#microsoft.graph.contentSharingSession', id: SESSION_ID },
    ]);
    assertValid(v1, 'v1.0');
  });
});
