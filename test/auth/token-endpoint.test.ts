import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { servicePrincipalId } from '../../src/auth/token-issuer.js';
import {
  BOT_ROLES,
  FORM,
  GRAPH_SCOPE,
  T,
  buildIdentityApp,
  form,
  type IdentityTestApp,
} from './identity-fixtures.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('POST /{tenant}/oauth2/v2.0/token', () => {
  let t: IdentityTestApp;
  let origin: string;
  before(async () => {
    t = await buildIdentityApp();
    origin = await t.app.listen({ host: '127.0.0.1', port: 0 });
  });
  after(() => t.app.close());

  const request = (
    fields: Record<string, string>,
    tenant: string = T.contoso,
    headers: Record<string, string> = {},
  ) =>
    t.app.inject({
      method: 'POST',
      url: `/${tenant}/oauth2/v2.0/token`,
      headers: { ...FORM, ...headers },
      payload: form(fields),
    });
  const valid = {
    grant_type: 'client_credentials',
    client_id: T.botApp,
    client_secret: T.secret,
    scope: GRAPH_SCOPE,
  };

  it('issues a Graph app token that verifies against the JWKS served over HTTP', async () => {
    const res = await request(valid);
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['cache-control'], 'no-store, no-cache');
    const body = res.json();
    assert.deepEqual(Object.keys(body).sort(), [
      'access_token',
      'expires_in',
      'ext_expires_in',
      'token_type',
    ]);
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.expires_in, 3599);
    assert.equal(body.ext_expires_in, 3599);

    const config = (await (
      await fetch(`${origin}/${T.contoso}/v2.0/.well-known/openid-configuration`)
    ).json()) as {
      jwks_uri: string;
    };
    assert.equal(config.jwks_uri, `${origin}/${T.contoso}/discovery/v2.0/keys`);
    const jwks = createRemoteJWKSet(new URL(config.jwks_uri));
    const verified = await jwtVerify(body.access_token, jwks, {
      currentDate: new Date(T.start),
      issuer: `https://sts.windows.net/${T.contoso}/`,
      audience: 'https://graph.microsoft.com',
      algorithms: ['RS256'],
    });
    assert.deepEqual(decodeProtectedHeader(body.access_token), {
      typ: 'JWT',
      alg: 'RS256',
      kid: t.keys.kid,
      x5t: t.keys.x5t,
    });
    const { aio, rh, uti, ...claims } = verified.payload;
    const iat = T.start / 1000;
    const oid = servicePrincipalId(T.botApp, T.contoso);
    assert.deepEqual(claims, {
      aud: 'https://graph.microsoft.com',
      iss: `https://sts.windows.net/${T.contoso}/`,
      iat,
      nbf: iat,
      exp: iat + 3599,
      app_displayname: 'Calling Bot',
      appid: T.botApp,
      appidacr: '1',
      idp: `https://sts.windows.net/${T.contoso}/`,
      idtyp: 'app',
      oid,
      roles: BOT_ROLES,
      sub: oid,
      tid: T.contoso,
      ver: '1.0',
    });
    assert.match(oid, GUID);
    for (const opaque of [aio, rh, uti]) assert.equal(typeof opaque, 'string');
  });

  it('issues tokens for another tenant of the world (multi-tenant consent), with that tid and issuer', async () => {
    const res = await request(valid, T.fabrikam);
    assert.equal(res.statusCode, 200);
    const { payload } = await jwtVerify(res.json().access_token, t.keys.publicKey, {
      currentDate: new Date(T.start),
    });
    assert.equal(payload.tid, T.fabrikam);
    assert.equal(payload.iss, `https://sts.windows.net/${T.fabrikam}/`);
    assert.equal(payload.oid, servicePrincipalId(T.botApp, T.fabrikam));
    assert.notEqual(payload.oid, servicePrincipalId(T.botApp, T.contoso));
  });

  it('uses the clock: a later request gets later iat/exp', async () => {
    t.clock.advance(60_000);
    const res = await request(valid);
    const { payload } = await jwtVerify(res.json().access_token, t.keys.publicKey, {
      currentDate: new Date(t.clock.now()),
    });
    assert.equal(payload.iat, T.start / 1000 + 60);
    assert.equal(payload.exp, T.start / 1000 + 60 + 3599);
    t.clock.set(T.start);
  });

  it('accepts the Graph app id as resource and makes it the audience', async () => {
    const res = await request({ ...valid, scope: '00000003-0000-0000-c000-000000000000/.default' });
    assert.equal(res.statusCode, 200);
    const { payload } = await jwtVerify(res.json().access_token, t.keys.publicKey, {
      currentDate: new Date(T.start),
    });
    assert.equal(payload.aud, '00000003-0000-0000-c000-000000000000');
  });

  it('accepts client_secret_basic', async () => {
    const basic = Buffer.from(`${encodeURIComponent(T.botApp)}:${encodeURIComponent(T.secret)}`).toString(
      'base64',
    );
    const res = await request({ grant_type: 'client_credentials', scope: GRAPH_SCOPE }, T.contoso, {
      authorization: `Basic ${basic}`,
    });
    assert.equal(res.statusCode, 200);
  });

  it('gives an app without roles a token with an empty roles claim', async () => {
    const res = await request({ ...valid, client_id: T.bareApp });
    const { payload } = await jwtVerify(res.json().access_token, t.keys.publicKey, {
      currentDate: new Date(T.start),
    });
    assert.deepEqual(payload.roles, []);
  });

  it('serves the v1 endpoint (/oauth2/token) with resource instead of scope', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/${T.contoso}/oauth2/token`,
      headers: FORM,
      payload: form({
        grant_type: 'client_credentials',
        client_id: T.botApp,
        client_secret: T.secret,
        resource: 'https://graph.microsoft.com',
      }),
    });
    assert.equal(res.statusCode, 200);
    const { access_token: token, ...rest } = res.json();
    const iat = T.start / 1000;
    assert.deepEqual(rest, {
      token_type: 'Bearer',
      expires_in: '3599',
      ext_expires_in: '3599',
      expires_on: String(iat + 3599),
      not_before: String(iat),
      resource: 'https://graph.microsoft.com',
    });
    const { payload } = await jwtVerify(token, t.keys.publicKey, { currentDate: new Date(T.start) });
    assert.equal(payload.aud, 'https://graph.microsoft.com');

    const missing = await t.app.inject({
      method: 'POST',
      url: `/${T.contoso}/oauth2/token`,
      headers: FORM,
      payload: form({
        grant_type: 'client_credentials',
        client_id: T.botApp,
        client_secret: T.secret,
        scope: GRAPH_SCOPE,
      }),
    });
    assert.equal(missing.statusCode, 400);
    assert.deepEqual(missing.json().error_codes, [900144]);
    assert.match(missing.json().error_description, /parameter: 'resource'/);
  });

  const cases: {
    name: string;
    fields: Record<string, string>;
    tenant?: string;
    headers?: Record<string, string>;
    status: number;
    error: string;
    code: number;
    message: string;
  }[] = [
    {
      name: 'unknown tenant',
      fields: valid,
      tenant: '99999999-9999-4999-8999-999999999999',
      status: 400,
      error: 'invalid_tenant',
      code: 90002,
      message: "AADSTS90002: Tenant '99999999-9999-4999-8999-999999999999' not found.",
    },
    {
      name: 'common tenant',
      fields: valid,
      tenant: 'common',
      status: 400,
      error: 'invalid_request',
      code: 50059,
      message: 'AADSTS50059: No tenant-identifying information found',
    },
    {
      name: 'organizations tenant',
      fields: valid,
      tenant: 'organizations',
      status: 400,
      error: 'invalid_request',
      code: 50059,
      message: 'AADSTS50059: No tenant-identifying information found',
    },
    {
      name: 'missing grant_type',
      fields: { client_id: T.botApp, client_secret: T.secret, scope: GRAPH_SCOPE },
      status: 400,
      error: 'invalid_request',
      code: 900144,
      message: "AADSTS900144: The request body must contain the following parameter: 'grant_type'.",
    },
    {
      name: 'a JSON body (not a form)',
      fields: {},
      headers: { 'content-type': 'application/json' },
      status: 400,
      error: 'invalid_request',
      code: 900144,
      message: "AADSTS900144: The request body must contain the following parameter: 'grant_type'.",
    },
    {
      name: 'a text/plain body',
      fields: {},
      headers: { 'content-type': 'text/plain' },
      status: 400,
      error: 'invalid_request',
      code: 900144,
      message: "AADSTS900144: The request body must contain the following parameter: 'grant_type'.",
    },
    {
      name: 'unsupported grant type',
      fields: { ...valid, grant_type: 'password' },
      status: 400,
      error: 'unsupported_grant_type',
      code: 70003,
      message: "AADSTS70003: The app requested an unsupported grant type 'password'.",
    },
    {
      name: 'missing client_id',
      fields: { grant_type: 'client_credentials', client_secret: T.secret, scope: GRAPH_SCOPE },
      status: 400,
      error: 'invalid_request',
      code: 900144,
      message: "AADSTS900144: The request body must contain the following parameter: 'client_id'.",
    },
    {
      name: 'missing scope',
      fields: { grant_type: 'client_credentials', client_id: T.botApp, client_secret: T.secret },
      status: 400,
      error: 'invalid_request',
      code: 900144,
      message: "AADSTS900144: The request body must contain the following parameter: 'scope'.",
    },
    {
      name: 'a permission instead of /.default',
      fields: { ...valid, scope: 'https://graph.microsoft.com/Calls.Initiate.All' },
      status: 400,
      error: 'invalid_scope',
      code: 1002012,
      message:
        'AADSTS1002012: The provided value for scope https://graph.microsoft.com/Calls.Initiate.All is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).',
    },
    {
      name: 'openid next to /.default',
      fields: { ...valid, scope: `${GRAPH_SCOPE} openid` },
      status: 400,
      error: 'invalid_scope',
      code: 1002012,
      message: 'AADSTS1002012: The provided value for scope openid is not valid.',
    },
    {
      name: 'two resources',
      fields: { ...valid, scope: `${GRAPH_SCOPE} https://api.example.com/.default` },
      status: 400,
      error: 'invalid_scope',
      code: 70011,
      message: "AADSTS70011: The provided request must include a 'scope' input parameter.",
    },
    {
      name: 'unknown client',
      fields: { ...valid, client_id: 'bbbbbbbb-0000-4000-8000-000000000009' },
      status: 400,
      error: 'unauthorized_client',
      code: 700016,
      message:
        "AADSTS700016: Application with identifier 'bbbbbbbb-0000-4000-8000-000000000009' was not found in the directory 'Contoso'.",
    },
    {
      name: 'wrong secret',
      fields: { ...valid, client_secret: 'nope' },
      status: 401,
      error: 'invalid_client',
      code: 7000215,
      message: `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${T.botApp}'.`,
    },
    {
      name: 'no secret',
      fields: { grant_type: 'client_credentials', client_id: T.botApp, scope: GRAPH_SCOPE },
      status: 401,
      error: 'invalid_client',
      code: 7000216,
      message: "AADSTS7000216: 'client_assertion', 'client_secret' or 'request' is required",
    },
    {
      name: 'a client assertion (no certificates in worlds)',
      fields: {
        grant_type: 'client_credentials',
        client_id: T.botApp,
        scope: GRAPH_SCOPE,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: 'eyJ.x.y',
      },
      status: 401,
      error: 'invalid_client',
      code: 700027,
      message: 'AADSTS700027: Client assertion contains an invalid signature.',
    },
    {
      name: 'a resource other than Graph',
      fields: { ...valid, scope: 'https://api.example.com/.default' },
      status: 400,
      error: 'invalid_resource',
      code: 500011,
      message:
        'AADSTS500011: The resource principal named https://api.example.com was not found in the tenant named Contoso.',
    },
  ];

  for (const c of cases) {
    it(`rejects ${c.name} with ${c.status} ${c.error} AADSTS${c.code}`, async () => {
      const headers = { 'client-request-id': '5d3e1f6a-1111-4222-8333-944444444444', ...(c.headers ?? {}) };
      const res =
        c.headers?.['content-type'] !== undefined
          ? await t.app.inject({
              method: 'POST',
              url: `/${c.tenant ?? T.contoso}/oauth2/v2.0/token`,
              headers,
              payload: c.headers['content-type'] === 'application/json' ? JSON.stringify(valid) : form(valid),
            })
          : await request(c.fields, c.tenant, headers);
      assert.equal(res.statusCode, c.status);
      const body = res.json();
      assert.deepEqual(Object.keys(body).sort(), [
        'correlation_id',
        'error',
        'error_codes',
        'error_description',
        'error_uri',
        'timestamp',
        'trace_id',
      ]);
      assert.equal(body.error, c.error);
      assert.deepEqual(body.error_codes, [c.code]);
      assert.ok(body.error_description.startsWith(c.message), body.error_description);
      assert.equal(body.timestamp, '2025-01-15 09:30:00Z');
      assert.equal(body.correlation_id, '5d3e1f6a-1111-4222-8333-944444444444');
      assert.match(body.trace_id, GUID);
      assert.equal(res.headers['x-ms-request-id'], body.trace_id);
      assert.ok(
        body.error_description.endsWith(
          `\r\nTrace ID: ${body.trace_id}\r\nCorrelation ID: ${body.correlation_id}\r\nTimestamp: 2025-01-15 09:30:00Z`,
        ),
      );
      assert.equal(body.error_uri, `https://login.microsoftonline.com/error?code=${c.code}`);
    });
  }
});
