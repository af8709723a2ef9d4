import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { T, buildIdentityApp, type IdentityTestApp } from './identity-fixtures.js';

describe('identity discovery routes', () => {
  let t: IdentityTestApp;
  before(async () => {
    t = await buildIdentityApp();
  });
  after(() => t.app.close());

  const get = (url: string, host = '127.0.0.1:4000') =>
    t.app.inject({ method: 'GET', url, headers: { host } });

  it('serves the v2.0 OpenID configuration with URLs on the request host', async () => {
    const res = await get(`/${T.contoso}/v2.0/.well-known/openid-configuration`);
    assert.equal(res.statusCode, 200);
    const doc = res.json();
    const base = `http://127.0.0.1:4000/${T.contoso}`;
    assert.equal(doc.issuer, `${base}/v2.0`);
    assert.equal(doc.token_endpoint, `${base}/oauth2/v2.0/token`);
    assert.equal(doc.authorization_endpoint, `${base}/oauth2/v2.0/authorize`);
    assert.equal(doc.jwks_uri, `${base}/discovery/v2.0/keys`);
    assert.deepEqual(doc.token_endpoint_auth_methods_supported, [
      'client_secret_post',
      'client_secret_basic',
    ]);
    assert.deepEqual(doc.id_token_signing_alg_values_supported, ['RS256']);
    assert.equal(doc.msgraph_host, 'graph.microsoft.com');
  });

  it('uses whatever host the client used', async () => {
    const doc = (await get(`/${T.contoso}/v2.0/.well-known/openid-configuration`, 'localhost:9443')).json();
    assert.equal(doc.token_endpoint, `http://localhost:9443/${T.contoso}/oauth2/v2.0/token`);
  });

  it('serves the v1 configuration whose issuer is the sts.windows.net issuer of app tokens', async () => {
    const doc = (await get(`/${T.fabrikam}/.well-known/openid-configuration`)).json();
    assert.equal(doc.issuer, `https://sts.windows.net/${T.fabrikam}/`);
    assert.equal(doc.token_endpoint, `http://127.0.0.1:4000/${T.fabrikam}/oauth2/token`);
    assert.equal(doc.jwks_uri, 'http://127.0.0.1:4000/common/discovery/keys');
  });

  it('keeps {tenantid} in the issuer for common and organizations', async () => {
    const common = (await get('/common/v2.0/.well-known/openid-configuration')).json();
    assert.equal(common.issuer, 'http://127.0.0.1:4000/{tenantid}/v2.0');
    assert.equal(common.token_endpoint, 'http://127.0.0.1:4000/common/oauth2/v2.0/token');
    assert.equal(common.tenant_region_scope, null);
    const orgs = (await get('/organizations/.well-known/openid-configuration')).json();
    assert.equal(orgs.issuer, 'https://sts.windows.net/{tenantid}/');
  });

  it('answers an unknown tenant with AADSTS90002', async () => {
    const res = await get('/99999999-9999-4999-8999-999999999999/v2.0/.well-known/openid-configuration');
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error, 'invalid_tenant');
    assert.deepEqual(res.json().error_codes, [90002]);
    const keys = await get('/not-a-tenant/discovery/v2.0/keys');
    assert.equal(keys.statusCode, 400);
    assert.deepEqual(keys.json().error_codes, [90002]);
  });

  it('serves the same JWKS at every keys URL', async () => {
    for (const url of [
      `/${T.contoso}/discovery/v2.0/keys`,
      `/${T.contoso}/discovery/keys`,
      '/common/discovery/keys',
    ]) {
      const res = await get(url);
      assert.equal(res.statusCode, 200, url);
      assert.deepEqual(res.json(), t.keys.jwks());
    }
    const [key] = t.keys.jwks().keys;
    assert.deepEqual(Object.keys(key ?? {}).sort(), ['e', 'kid', 'kty', 'n', 'use', 'x5c', 'x5t']);
  });

  it('answers MSAL instance discovery with this host as its own cloud', async () => {
    const authorize = encodeURIComponent(`https://127.0.0.1:4000/${T.contoso}/oauth2/v2.0/authorize`);
    const res = await get(`/common/discovery/instance?api-version=1.1&authorization_endpoint=${authorize}`);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), {
      tenant_discovery_endpoint: `http://127.0.0.1:4000/${T.contoso}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [
        {
          preferred_network: '127.0.0.1:4000',
          preferred_cache: '127.0.0.1:4000',
          aliases: ['127.0.0.1:4000'],
        },
      ],
    });
    const bare = (await get('/common/discovery/instance')).json();
    assert.equal(
      bare.tenant_discovery_endpoint,
      'http://127.0.0.1:4000/common/v2.0/.well-known/openid-configuration',
    );
  });

  it("serves the calling service's notification-signing discovery document and keys", async () => {
    const res = await get('/v1/.well-known/OpenIdConfiguration');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), {
      issuer: 'https://graph.microsoft.com',
      authorization_endpoint: 'https://invalid.botframework.com',
      jwks_uri: 'http://127.0.0.1:4000/v1/.well-known/keys',
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
    });
    assert.deepEqual((await get('/v1/.well-known/keys')).json(), t.keys.jwks());
  });
});
