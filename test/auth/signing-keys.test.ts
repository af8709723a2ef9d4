import assert from 'node:assert/strict';
import { X509Certificate, createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { SIGNING_KEY_META_KEY, loadOrCreateSigningKeys } from '../../src/auth/signing-keys.js';
import { T, memoryMeta } from './identity-fixtures.js';

describe('loadOrCreateSigningKeys', () => {
  it('generates an RS256 key with a certificate, saves it, and loads the same key later', async () => {
    const meta = memoryMeta();
    const first = await loadOrCreateSigningKeys({ store: meta, now: T.start });
    assert.ok(meta.data.has(SIGNING_KEY_META_KEY));
    const stored = JSON.parse(meta.data.get(SIGNING_KEY_META_KEY) ?? '{}');
    assert.equal(stored.version, 1);
    assert.equal(stored.createdAt, '2025-01-15T09:30:00.000Z');

    const again = await loadOrCreateSigningKeys({ store: meta, now: T.start + 86_400_000 });
    assert.equal(again.kid, first.kid);
    assert.deepEqual(again.jwks(), first.jwks());
    assert.equal(meta.data.get(SIGNING_KEY_META_KEY), JSON.stringify(stored));
  });

  it('publishes a Microsoft-shaped JWKS entry whose kid and x5t are the certificate thumbprint', async () => {
    const keys = await loadOrCreateSigningKeys({ store: memoryMeta(), now: T.start });
    const { keys: entries } = keys.jwks();
    assert.equal(entries.length, 1);
    const [jwk] = entries;
    assert.ok(jwk);
    assert.equal(jwk.kty, 'RSA');
    assert.equal(jwk.use, 'sig');
    assert.equal(jwk.e, 'AQAB');
    const der = Buffer.from(jwk.x5c[0] ?? '', 'base64');
    const thumbprint = createHash('sha1').update(der).digest('base64url');
    assert.equal(jwk.x5t, thumbprint);
    assert.equal(jwk.kid, thumbprint);
    assert.equal(keys.kid, thumbprint);
    const cert = new X509Certificate(der);
    assert.equal(cert.publicKey.export({ format: 'jwk' }).n, jwk.n);
    assert.equal(new Date(cert.validFrom).getTime(), T.start);
  });

  it('replaces unreadable stored data with a new key', async () => {
    const meta = memoryMeta();
    meta.data.set(SIGNING_KEY_META_KEY, '{"version":7}');
    const keys = await loadOrCreateSigningKeys({ store: meta, now: T.start });
    assert.equal(JSON.parse(meta.data.get(SIGNING_KEY_META_KEY) ?? '{}').version, 1);
    assert.equal(typeof keys.kid, 'string');
  });
});
