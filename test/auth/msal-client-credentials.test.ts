import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfidentialClientApplication, ServerError, type Configuration } from '@azure/msal-node';
import { jwtVerify } from 'jose';
import { loadOrCreateTlsCertificate, type TlsCertificate } from '../../src/auth/tls.js';
import { BOT_ROLES, GRAPH_SCOPE, T, buildIdentityApp, type IdentityTestApp } from './identity-fixtures.js';

/** A real MSAL client against a listening HTTPS Switchboard with its generated certificate. */
describe('MSAL Node client credentials against Switchboard', () => {
  let dir: string;
  let tls: TlsCertificate;
  let t: IdentityTestApp;
  let origin: string;
  let host: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'switchboard-msal-'));
    tls = await loadOrCreateTlsCertificate({ dir, now: new Date() });
    t = await buildIdentityApp({ https: { cert: tls.cert, key: tls.key } });
    origin = await t.app.listen({ host: '127.0.0.1', port: 0 });
    host = new URL(origin).host;
  });
  after(async () => {
    await t.app.close();
    await rm(dir, { recursive: true, force: true });
  });

  const client = (auth: Partial<Configuration['auth']> = {}) =>
    new ConfidentialClientApplication({
      auth: {
        clientId: T.botApp,
        clientSecret: T.secret,
        authority: `${origin}/${T.contoso}`,
        knownAuthorities: [host],
        ...auth,
      },
      system: { customAgentOptions: { ca: tls.cert } },
    });

  it('gets a Graph token with knownAuthorities and the certificate as the agent CA', async () => {
    const result = await client().acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE] });
    assert.ok(result);
    assert.equal(result.tokenType, 'Bearer');
    const { payload } = await jwtVerify(result.accessToken, t.keys.publicKey, {
      currentDate: new Date(T.start),
    });
    assert.equal(payload.appid, T.botApp);
    assert.equal(payload.tid, T.contoso);
    assert.deepEqual(payload.roles, BOT_ROLES);
  });

  it('also works without knownAuthorities, given the instance discovery answer Switchboard serves', async () => {
    const authorize = encodeURIComponent(`${origin}/${T.fabrikam}/oauth2/v2.0/authorize`);
    const discovery = await t.app.inject({
      method: 'GET',
      url: `/common/discovery/instance?api-version=1.1&authorization_endpoint=${authorize}`,
      headers: { host },
    });
    const result = await client({
      authority: `${origin}/${T.fabrikam}`,
      knownAuthorities: [],
      cloudDiscoveryMetadata: discovery.body,
    }).acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE] });
    assert.ok(result);
    const { payload } = await jwtVerify(result.accessToken, t.keys.publicKey, {
      currentDate: new Date(T.start),
    });
    assert.equal(payload.tid, T.fabrikam);
  });

  it('surfaces the AADSTS error of a wrong secret', async () => {
    await assert.rejects(
      client({ clientSecret: 'wrong' }).acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE] }),
      (e: unknown) => {
        assert.ok(e instanceof ServerError);
        assert.equal(e.errorCode, 'invalid_client');
        assert.match(e.errorMessage, /AADSTS7000215: Invalid client secret provided/);
        return true;
      },
    );
  });
});
