import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SEED_IDS as S } from '../../src/world/seed-ids.js';
import { startTestServer, type TestServer } from '../support/in-process.js';
import {
  appMedia,
  guestSource,
  instanceSource,
  joinByIdBody,
  organizerMeetingBody,
  p2pBody,
  phoneTarget,
  userTarget,
} from './call-requests.js';

const CALLS = '/beta/communications/calls';

function errorOf(body: unknown): { code: string; message: string } {
  return (body as { error: { code: string; message: string } }).error;
}

describe('create call: request rules', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  const cases: Array<{ name: string; body: unknown; status: number; code: string; message?: RegExp }> = [
    {
      name: 'callbackUri is required',
      body: p2pBody({ callbackUri: undefined }),
      status: 400,
      code: 'BadRequest',
      message: /callbackUri/,
    },
    {
      name: 'mediaConfig is required',
      body: p2pBody({ mediaConfig: undefined }),
      status: 400,
      code: 'BadRequest',
      message: /mediaConfig/,
    },
    {
      name: 'callbackUri must be https',
      body: p2pBody({ callbackUri: 'http://bot.contoso.com/cb' }),
      status: 400,
      code: 'BadRequest',
      message: /https/,
    },
    {
      name: 'callbackUri must be a URL',
      body: p2pBody({ callbackUri: 'not a url' }),
      status: 400,
      code: 'BadRequest',
      message: /https/,
    },
    {
      name: 'mediaConfig type must be known',
      body: p2pBody({ mediaConfig: { '@odata.type': '#microsoft.graph.mediaConfig' } }),
      status: 400,
      code: 'BadRequest',
      message: /mediaConfig @odata.type/,
    },
    {
      name: 'app-hosted media needs a blob',
      body: p2pBody({ mediaConfig: { '@odata.type': '#microsoft.graph.appHostedMediaConfig' } }),
      status: 400,
      code: 'BadRequest',
      message: /blob/,
    },
    {
      name: 'targets or meetingInfo is required',
      body: p2pBody({ targets: undefined }),
      status: 400,
      code: 'BadRequest',
      message: /targets or meetingInfo/,
    },
    {
      name: 'empty targets without meetingInfo',
      body: p2pBody({ targets: [] }),
      status: 400,
      code: 'BadRequest',
      message: /targets or meetingInfo/,
    },
    {
      name: 'targets and meetingInfo together',
      body: organizerMeetingBody({ targets: [userTarget()] }),
      status: 400,
      code: 'BadRequest',
      message: /either targets or meetingInfo/,
    },
    {
      name: 'at most 5 group targets',
      body: p2pBody({
        targets: Array.from({ length: 6 }, (_, i) =>
          userTarget(`00000000-0000-4000-8000-00000000000${i}`, `u${i}`),
        ),
      }),
      status: 400,
      code: 'BadRequest',
      message: /at most 5 targets; got 6/,
    },
    {
      name: 'phone ids are E.164',
      body: p2pBody({ source: instanceSource(), targets: [phoneTarget('12345')] }),
      status: 400,
      code: 'BadRequest',
      message: /E\.164/,
    },
    {
      name: 'PSTN needs an applicationInstance source',
      body: p2pBody({ targets: [phoneTarget()] }),
      status: 400,
      code: 'BadRequest',
      message: /applicationInstance/,
    },
    {
      name: 'PSTN source must be a known application instance',
      body: p2pBody({
        source: instanceSource('00000000-0000-4000-8000-0000000000aa'),
        targets: [phoneTarget()],
      }),
      status: 400,
      code: 'BadRequest',
      message: /applicationInstance/,
    },
    {
      name: 'a target holds exactly one identity',
      body: p2pBody({ targets: [{ identity: {} }] }),
      status: 400,
      code: 'BadRequest',
      message: /exactly one identity/,
    },
    {
      name: 'guest source only for meeting joins',
      body: p2pBody({ source: guestSource() }),
      status: 400,
      code: 'BadRequest',
      message: /guest source/,
    },
    {
      name: 'organizer join needs chatInfo',
      body: organizerMeetingBody({ chatInfo: undefined }),
      status: 400,
      code: 'BadRequest',
      message: /chatInfo/,
    },
    {
      name: 'unknown meeting chat',
      body: organizerMeetingBody({ chatInfo: { threadId: '19:meeting_nope@thread.v2', messageId: '0' } }),
      status: 404,
      code: 'NotFound',
      message: /19:meeting_nope@thread.v2/,
    },
    {
      name: 'organizer must match the meeting',
      body: organizerMeetingBody({
        meetingInfo: {
          '@odata.type': '#microsoft.graph.organizerMeetingInfo',
          organizer: { user: { id: S.johnUserId } },
        },
      }),
      status: 404,
      code: 'NotFound',
      message: /not organized by/,
    },
    {
      name: 'unknown joinMeetingId',
      body: joinByIdBody('999999', null),
      status: 404,
      code: 'NotFound',
      message: /999999/,
    },
    {
      name: 'wrong passcode',
      body: joinByIdBody(S.joinMeetingId, 'wrong'),
      status: 403,
      code: 'Forbidden',
      message: /passcode/,
    },
    {
      name: 'unknown meetingInfo type',
      body: organizerMeetingBody({ meetingInfo: { '@odata.type': '#microsoft.graph.meetingInfo' } }),
      status: 400,
      code: 'BadRequest',
      message: /meetingInfo @odata.type/,
    },
    {
      name: 'tenant mismatch',
      body: p2pBody({ tenantId: S.fabrikamTenantId }),
      status: 403,
      code: '7505',
      message: /tenant mismatch/,
    },
    {
      name: 'ringingTimeoutInSeconds at most 115',
      body: p2pBody({ ringingTimeoutInSeconds: 116 }),
      status: 400,
      code: 'BadRequest',
      message: /115/,
    },
    {
      name: 'unknown call property',
      body: p2pBody({ colour: 'blue' }),
      status: 400,
      code: 'BadRequest',
      message: /additional properties/,
    },
    {
      name: 'wrong property type',
      body: p2pBody({ targets: 'John' }),
      status: 400,
      code: 'BadRequest',
      message: /targets/,
    },
    {
      name: 'unknown modality',
      body: p2pBody({ requestedModalities: ['smell'] }),
      status: 400,
      code: 'BadRequest',
      message: /requestedModalities/,
    },
  ];

  for (const c of cases) {
    it(`${c.name}: ${c.status} ${c.code}`, async () => {
      const res = await server.graph('POST', CALLS, { body: c.body });
      assert.equal(res.status, c.status, JSON.stringify(res.body));
      const error = errorOf(res.body);
      assert.equal(error.code, c.code);
      if (c.message) assert.match(error.message, c.message);
    });
  }

  it('v1.0 refuses the beta-only ringingTimeoutInSeconds', async () => {
    const res = await server.graph('POST', '/v1.0/communications/calls', {
      body: p2pBody({ ringingTimeoutInSeconds: 30 }),
    });
    assert.equal(res.status, 400);
    assert.equal(errorOf(res.body).code, 'BadRequest');
  });

  it('a passcode-less join of a meeting that has a passcode is accepted', async () => {
    const res = await server.graph('POST', CALLS, { body: joinByIdBody(S.joinMeetingId, null) });
    assert.equal(res.status, 201);
  });

  it('a plain-http callbackUri on a loopback host is accepted (a bot on this machine)', async () => {
    for (const uri of ['http://127.0.0.1:3978/api/calls', 'http://localhost/cb', 'http://[::1]:8080/cb']) {
      const res = await server.graph('POST', CALLS, { body: p2pBody({ callbackUri: uri }) });
      assert.equal(res.status, 201, uri);
      assert.equal((res.body as { callbackUri: string }).callbackUri, uri);
    }
  });

  it('app-hosted media with a blob is accepted', async () => {
    const res = await server.graph('POST', CALLS, { body: p2pBody({ mediaConfig: appMedia }) });
    assert.equal(res.status, 201);
  });

  it('a tenantId that is not a GUID is not checked and is echoed, as the seed shows', async () => {
    const res = await server.graph('POST', CALLS, {
      body: p2pBody({ tenantId: '86dc81db-c112-4228-9222-63f3esaa1edb' }),
    });
    assert.equal(res.status, 201);
    assert.equal((res.body as { tenantId: string }).tenantId, '86dc81db-c112-4228-9222-63f3esaa1edb');
  });

  it('without a tenantId the call carries the token tenant', async () => {
    const res = await server.graph('POST', CALLS, { body: p2pBody() });
    assert.equal(res.status, 201);
    assert.equal((res.body as { tenantId: string }).tenantId, S.contosoTenantId);
  });

  it('malformed JSON is 400 BadRequest', async () => {
    const res = await server.graph('POST', CALLS, { body: '{"callbackUri":' });
    assert.equal(res.status, 400);
    assert.equal(errorOf(res.body).code, 'BadRequest');
  });

  it('a non-JSON content type is 415', async () => {
    const res = await server.graph('POST', CALLS, {
      body: 'callbackUri=x',
      headers: { 'content-type': 'text/plain' },
    });
    assert.equal(res.status, 415);
    assert.equal(errorOf(res.body).code, 'UnsupportedMediaType');
  });
});
