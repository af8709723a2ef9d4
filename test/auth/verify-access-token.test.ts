import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { SignJWT, UnsecuredJWT } from 'jose';
import type { SigningKeys } from '../../src/auth/signing-keys.js';
import { issueAppToken } from '../../src/auth/token-issuer.js';
import { verifyAccessToken, type Principal } from '../../src/auth/verify-access-token.js';
import { GraphError } from '../../src/domain/graph-error.js';
import { WorldIndex } from '../../src/world/world-index.js';
import { BOT_ROLES, T, testKeys, testWorld } from './identity-fixtures.js';

const world = new WorldIndex(testWorld());
const now = T.start;
const sec = now / 1000;

describe('verifyAccessToken', () => {
  let keys: SigningKeys;
  let good: string;
  before(async () => {
    keys = await testKeys();
    good = await issueAppToken({ keys, appId: T.botApp, tenantId: T.contoso, roles: BOT_ROLES, now });
  });

  const verify = (authorization: string | undefined, opts: { mode?: 'strict' | 'loose'; at?: number } = {}) =>
    verifyAccessToken({ authorization, keys, mode: opts.mode ?? 'strict', now: opts.at ?? now, world });

  const rejects = async (promise: Promise<Principal>, status: number, code: string, message: string) => {
    await assert.rejects(promise, (e: unknown) => {
      assert.ok(e instanceof GraphError);
      assert.equal(e.status, status);
      assert.equal(e.code, code);
      assert.equal(e.message, message);
      return true;
    });
  };
  const unauthenticated = (p: Promise<Principal>, message: string) =>
    rejects(p, 401, 'InvalidAuthenticationToken', message);

  /** Signs arbitrary claims with Switchboard's key, like a token it issued. */
  const signed = (claims: Record<string, unknown>, key = keys.privateKey, kid = keys.kid) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid }).sign(key);
  const baseClaims = {
    aud: 'https://graph.microsoft.com',
    iss: `https://sts.windows.net/${T.contoso}/`,
    iat: sec,
    nbf: sec,
    exp: sec + 3599,
    appid: T.botApp,
    tid: T.contoso,
    roles: ['Calls.Initiate.All'],
  };

  it('returns the principal of a valid token, with the roles the token carries', async () => {
    assert.deepEqual(await verify(`Bearer ${good}`), {
      appId: T.botApp,
      tenantId: T.contoso,
      roles: BOT_ROLES,
    });
    assert.deepEqual(await verify(`bearer ${await signed(baseClaims)}`), {
      appId: T.botApp,
      tenantId: T.contoso,
      roles: ['Calls.Initiate.All'],
    });
  });

  it('accepts the Graph app id as audience', async () => {
    const token = await signed({ ...baseClaims, aud: '00000003-0000-0000-c000-000000000000' });
    assert.equal((await verify(`Bearer ${token}`)).appId, T.botApp);
  });

  it('rejects a missing header, a non-Bearer scheme and an empty token as empty', async () => {
    await unauthenticated(verify(undefined), 'Access token is empty.');
    await unauthenticated(verify(''), 'Access token is empty.');
    await unauthenticated(verify('Bearer '), 'Access token is empty.');
    await unauthenticated(verify(`Basic ${good}`), 'Access token is empty.');
  });

  it('rejects a value that is not a JWT', async () => {
    await unauthenticated(
      verify('Bearer not-a-jwt'),
      'CompactToken parsing failed with error code: 80049217',
    );
    await unauthenticated(verify('Bearer a.b.c'), 'CompactToken parsing failed with error code: 80049217');
  });

  it('rejects a token signed by another key, a tampered token and an unsigned token', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    await unauthenticated(
      verify(`Bearer ${await signed(baseClaims, other)}`),
      'Access token validation failure. Invalid signature.',
    );
    await unauthenticated(
      verify(`Bearer ${await signed(baseClaims, other, 'other-kid')}`),
      'Access token validation failure. Invalid signature.',
    );
    const [h, , s] = good.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...baseClaims, roles: ['Calls.InitiateGroupCall.All'] }),
    ).toString('base64url');
    await unauthenticated(
      verify(`Bearer ${h}.${forged}.${s}`),
      'Access token validation failure. Invalid signature.',
    );
    const unsigned = new UnsecuredJWT(baseClaims).encode();
    await unauthenticated(
      verify(`Bearer ${unsigned}`),
      'Access token validation failure. Invalid signature.',
    );
  });

  it('checks exp and nbf against the given now, with 5 minutes of skew', async () => {
    const lifetime = 'Access token has expired or is not yet valid.';
    assert.equal((await verify(`Bearer ${good}`, { at: now + 3599_000 + 299_000 })).appId, T.botApp);
    await unauthenticated(verify(`Bearer ${good}`, { at: now + 3599_000 + 300_000 }), lifetime);
    assert.equal((await verify(`Bearer ${good}`, { at: now - 300_000 })).appId, T.botApp);
    await unauthenticated(verify(`Bearer ${good}`, { at: now - 301_000 }), lifetime);
    const { exp: _exp, ...noExp } = baseClaims;
    await unauthenticated(verify(`Bearer ${await signed(noExp)}`), lifetime);
  });

  it('rejects another audience', async () => {
    const token = await signed({ ...baseClaims, aud: 'api://something-else' });
    await unauthenticated(verify(`Bearer ${token}`), 'Access token validation failure. Invalid audience.');
  });

  it('rejects an issuer that does not match the tid', async () => {
    const token = await signed({ ...baseClaims, iss: `https://sts.windows.net/${T.fabrikam}/` });
    await unauthenticated(verify(`Bearer ${token}`), 'Access token validation failure. Invalid issuer.');
    const v2 = await signed({ ...baseClaims, iss: `https://login.microsoftonline.com/${T.contoso}/v2.0` });
    await unauthenticated(verify(`Bearer ${v2}`), 'Access token validation failure. Invalid issuer.');
  });

  it('rejects an app or tenant the world does not know', async () => {
    const message = 'The identity of the calling application could not be established.';
    const app = await signed({ ...baseClaims, appid: 'bbbbbbbb-0000-4000-8000-000000000009' });
    await rejects(verify(`Bearer ${app}`), 401, 'Authorization_IdentityNotFound', message);
    const tenant = '99999999-9999-4999-8999-999999999999';
    const other = await signed({ ...baseClaims, tid: tenant, iss: `https://sts.windows.net/${tenant}/` });
    await rejects(verify(`Bearer ${other}`), 401, 'Authorization_IdentityNotFound', message);
  });

  describe('loose mode', () => {
    it('takes appid, tid and roles from any decodable JWT without checking it', async () => {
      const unsigned = new UnsecuredJWT({
        appid: T.rscApp,
        tid: T.fabrikam,
        roles: ['X.Y'],
        exp: 1,
      }).encode();
      assert.deepEqual(await verify(`Bearer ${unsigned}`, { mode: 'loose' }), {
        appId: T.rscApp,
        tenantId: T.fabrikam,
        roles: ['X.Y'],
      });
    });

    it("fills in the app's home tenant and roles when the JWT lacks them", async () => {
      const unsigned = new UnsecuredJWT({ appid: T.botApp }).encode();
      assert.deepEqual(await verify(`Bearer ${unsigned}`, { mode: 'loose' }), {
        appId: T.botApp,
        tenantId: T.contoso,
        roles: BOT_ROLES,
      });
    });

    it("treats any other bearer value as the world's first app", async () => {
      assert.deepEqual(await verify('Bearer whatever', { mode: 'loose' }), {
        appId: T.botApp,
        tenantId: T.contoso,
        roles: BOT_ROLES,
      });
    });

    it('still needs a bearer token', async () => {
      await unauthenticated(verify(undefined, { mode: 'loose' }), 'Access token is empty.');
    });
  });
});
