import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify } from 'jose';
import { signCallbackToken } from '../../src/auth/callback-token.js';
import { T, buildIdentityApp, type IdentityTestApp } from './identity-fixtures.js';

describe('signCallbackToken', () => {
  let t: IdentityTestApp;
  let jwks: ReturnType<typeof createRemoteJWKSet>;
  before(async () => {
    t = await buildIdentityApp();
    const origin = await t.app.listen({ host: '127.0.0.1', port: 0 });
    // A bot reads the calling service's OpenID document and takes its jwks_uri, as the samples do.
    const config = (await (await fetch(`${origin}/v1/.well-known/OpenIdConfiguration`)).json()) as {
      jwks_uri: string;
    };
    jwks = createRemoteJWKSet(new URL(config.jwks_uri));
  });
  after(() => t.app.close());

  const bot = (token: string, at = T.start) =>
    jwtVerify(token, jwks, {
      issuer: ['https://graph.microsoft.com', 'https://api.botframework.com'],
      audience: T.botApp,
      algorithms: ['RS256'],
      currentDate: new Date(at),
    });

  it('verifies with the keys behind /v1/.well-known/OpenIdConfiguration and carries exactly aud, iss, tid, iat, nbf, exp', async () => {
    const token = await signCallbackToken({
      keys: t.keys,
      appId: T.botApp,
      tenantId: T.contoso,
      issuer: 'https://graph.microsoft.com',
      now: T.start,
    });
    const { payload } = await bot(token);
    const iat = T.start / 1000;
    assert.deepEqual(payload, {
      aud: T.botApp,
      iss: 'https://graph.microsoft.com',
      iat,
      nbf: iat,
      exp: iat + 3600,
      tid: T.contoso,
    });
    assert.deepEqual(decodeProtectedHeader(token), {
      typ: 'JWT',
      alg: 'RS256',
      kid: t.keys.kid,
      x5t: t.keys.x5t,
    });
  });

  it('supports the older botframework issuer and a custom lifetime', async () => {
    const token = await signCallbackToken({
      keys: t.keys,
      appId: T.botApp,
      tenantId: T.fabrikam,
      issuer: 'https://api.botframework.com',
      now: T.start,
      lifetimeSeconds: 60,
    });
    const { payload } = await bot(token);
    assert.equal(payload.iss, 'https://api.botframework.com');
    assert.equal(payload.exp, T.start / 1000 + 60);
    await assert.rejects(bot(token, T.start + 61_000), errors.JWTExpired);
  });

  it('is rejected by a bot with another app id', async () => {
    const token = await signCallbackToken({
      keys: t.keys,
      appId: T.rscApp,
      tenantId: T.contoso,
      issuer: 'https://graph.microsoft.com',
      now: T.start,
    });
    await assert.rejects(bot(token), errors.JWTClaimValidationFailed);
  });
});
