import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EXTRA_IDS as X, SEED_IDS as S } from '../../src/world/seed-ids.js';
import { startTestServer, type TestServer } from '../support/in-process.js';
import { p2pBody } from './call-requests.js';

type Call = Record<string, unknown> & { id: string; state: string };

describe('calls: GET, DELETE, versions and aliases', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('Location is absolute, on the same version and collection, and GETs the same call', async () => {
    for (const version of ['v1.0', 'beta']) {
      for (const collection of ['communications/calls', 'app/calls']) {
        const res = await server.graph('POST', `/${version}/${collection}`, { body: p2pBody() });
        assert.equal(res.status, 201);
        const call = res.body as Call;
        assert.equal(res.headers.get('location'), `${server.url}/${version}/${collection}/${call.id}`);
        const got = await server.graph('GET', new URL(res.headers.get('location')!).pathname);
        assert.equal(got.status, 200);
        assert.deepEqual(got.body, res.body);
        assert.equal(call['@odata.context'], `${server.url}/${version}/$metadata#app/calls/$entity`);
      }
    }
  });

  it('v1.0 omits beta-only properties; beta has them', async () => {
    const v1 = (await server.graph('POST', '/v1.0/communications/calls', { body: p2pBody() })).body as Call;
    const beta = (await server.graph('POST', '/beta/communications/calls', { body: p2pBody() })).body as Call;
    const betaOnly = [
      'activeModalities',
      'answeredBy',
      'meetingCapability',
      'ringingTimeoutInSeconds',
      'routingPolicies',
      'terminationReason',
    ];
    for (const key of betaOnly) {
      assert.equal(key in v1, false, key);
      assert.equal(key in beta, true, key);
    }
    assert.equal('endpointType' in (v1.targets as object[])[0]!, false);
    assert.equal((beta.targets as Record<string, unknown>[])[0]!.endpointType, null);
  });

  it('a call created on v1.0 is readable on beta and the other way round', async () => {
    const created = (await server.graph('POST', '/v1.0/communications/calls', { body: p2pBody() }))
      .body as Call;
    const beta = await server.graph('GET', `/beta/app/calls/${created.id}`);
    assert.equal(beta.status, 200);
    assert.deepEqual((beta.body as Call).activeModalities, []);
  });

  it('DELETE answers 204 and the call is gone for Graph', async () => {
    const created = (await server.graph('POST', '/beta/communications/calls', { body: p2pBody() }))
      .body as Call;
    const del = await server.graph('DELETE', `/beta/communications/calls/${created.id}`);
    assert.equal(del.status, 204);
    assert.equal(del.body, undefined);
    const got = await server.graph('GET', `/beta/communications/calls/${created.id}`);
    assert.equal(got.status, 404);
    assert.equal((got.body as { error: { code: string } }).error.code, '8522');
    const again = await server.graph('DELETE', `/beta/communications/calls/${created.id}`);
    assert.equal(again.status, 404);
    assert.equal((again.body as { error: { code: string } }).error.code, '8522');
  });

  it('unknown and foreign calls are 404 8522', async () => {
    const unknown = await server.graph(
      'GET',
      '/beta/communications/calls/2e1a0b00-2db4-4022-9570-243709c565ab',
    );
    assert.equal(unknown.status, 404);
    assert.equal((unknown.body as { error: { code: string } }).error.code, '8522');
    const created = (await server.graph('POST', '/beta/communications/calls', { body: p2pBody() }))
      .body as Call;
    const other = await server.token({ appId: S.testBotAppId });
    const foreign = await server.graph('GET', `/beta/communications/calls/${created.id}`, { token: other });
    assert.equal(foreign.status, 404);
    assert.equal((foreign.body as { error: { code: string } }).error.code, '8522');
  });

  it('every response carries request-id and echoes client-request-id; errors carry them in innerError', async () => {
    const res = await server.graph('GET', '/beta/communications/calls/nope', {
      headers: { 'client-request-id': 'c1d2e3f4-0000-4000-8000-000000000001' },
    });
    const requestId = res.headers.get('request-id');
    assert.match(requestId ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(res.headers.get('client-request-id'), 'c1d2e3f4-0000-4000-8000-000000000001');
    const inner = (res.body as { error: { innerError: Record<string, string> } }).error.innerError;
    assert.equal(inner['request-id'], requestId);
    assert.equal(inner['client-request-id'], 'c1d2e3f4-0000-4000-8000-000000000001');
    assert.match(inner.date!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    const health = await server.graph('GET', '/_switchboard/health', { token: null });
    assert.equal(health.headers.get('client-request-id'), health.headers.get('request-id'));
  });

  it('unknown segments under a version are 400, unknown roots 404, wrong methods 405', async () => {
    const seg = await server.graph('GET', '/beta/communications/meetings');
    assert.equal(seg.status, 400);
    assert.deepEqual((seg.body as { error: { code: string; message: string } }).error.code, 'BadRequest');
    assert.match((seg.body as { error: { message: string } }).error.message, /segment 'meetings'/);
    const root = await server.graph('GET', '/v2.0/communications/calls');
    assert.equal(root.status, 404);
    assert.equal((root.body as { error: { code: string } }).error.code, 'NotFound');
    const put = await server.graph('PUT', '/beta/communications/calls/abc', { body: {} });
    assert.equal(put.status, 405);
    const patch = await server.graph('PATCH', '/v1.0/communications/calls', { body: {} });
    assert.equal(patch.status, 405);
  });

  it('requests without a valid token are 401 InvalidAuthenticationToken', async () => {
    for (const token of [null, 'not-a-jwt']) {
      const res = await server.graph('POST', '/beta/communications/calls', { body: p2pBody(), token });
      assert.equal(res.status, 401);
      assert.equal((res.body as { error: { code: string } }).error.code, 'InvalidAuthenticationToken');
    }
  });

  it('authentication comes before body checks: no token and a bad body is 401', async () => {
    for (const body of ['{"callbackUri":', { colour: 'blue' }]) {
      const res = await server.graph('POST', '/beta/communications/calls', { body, token: null });
      assert.equal(res.status, 401);
      assert.equal((res.body as { error: { code: string } }).error.code, 'InvalidAuthenticationToken');
    }
  });

  it('an app with no permissions is refused with 7504', async () => {
    const token = await server.token({ appId: X.noPermissionsAppId });
    const res = await server.graph('POST', '/beta/communications/calls', { body: p2pBody(), token });
    assert.equal(res.status, 403);
    assert.equal((res.body as { error: { code: string } }).error.code, '7504');
  });

  it('reset forgets every call', async () => {
    const created = (await server.graph('POST', '/beta/communications/calls', { body: p2pBody() }))
      .body as Call;
    const reset = await server.graph('POST', '/_switchboard/reset', { token: null });
    assert.equal(reset.status, 200);
    assert.deepEqual(reset.body, { reset: true });
    const got = await server.graph('GET', `/beta/communications/calls/${created.id}`);
    assert.equal(got.status, 404);
  });

  it('health and world describe the emulator', async () => {
    const health = await server.graph('GET', '/_switchboard/health', { token: null });
    assert.equal(health.status, 200);
    const h = health.body as Record<string, unknown>;
    assert.equal(h.status, 'ok');
    assert.equal(h.storage, 'sqlite-memory');
    const world = await server.graph('GET', '/_switchboard/world', { token: null });
    assert.equal(world.status, 200);
    assert.deepEqual(world.body, server.world);
  });
});

describe('calls: keepAlive', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  const MINUTE = 60_000;
  // Tokens live an hour of the (manual) clock: ask for a fresh one after every jump.
  const advance = async (ms: number) => {
    await server.graph('POST', '/_switchboard/clock/advance', { body: { ms }, token: null });
    await server.token({ fresh: true });
  };

  it('keeps an answered call up past 45 minutes; without it the call ends; then 404 8522', async () => {
    const created = (await server.graph('POST', '/v1.0/communications/calls', { body: p2pBody() }))
      .body as Call;
    const keep = `/v1.0/communications/calls/${created.id}/keepAlive`;
    await advance(5_000);
    assert.equal(
      ((await server.graph('GET', `/v1.0/communications/calls/${created.id}`)).body as Call).state,
      'established',
    );

    await advance(40 * MINUTE);
    const first = await server.graph('POST', keep);
    assert.equal(first.status, 200);
    assert.equal(first.body, undefined);
    await advance(40 * MINUTE);
    const alive = await server.graph('GET', `/v1.0/communications/calls/${created.id}`);
    assert.equal(alive.status, 200, 'alive 80 minutes after creation thanks to keepAlive');

    await advance(46 * MINUTE);
    const gone = await server.graph('GET', `/v1.0/communications/calls/${created.id}`);
    assert.equal(gone.status, 404);
    const late = await server.graph('POST', keep);
    assert.equal(late.status, 404);
    assert.equal((late.body as { error: { code: string } }).error.code, '8522');
  });

  it('keepAlive on an unknown call is 404 8522', async () => {
    const res = await server.graph('POST', '/beta/app/calls/2e1a0b00-2db4-4022-9570-243709c565ab/keepAlive');
    assert.equal(res.status, 404);
    assert.equal((res.body as { error: { code: string } }).error.code, '8522');
  });
});
