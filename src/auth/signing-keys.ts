import { X509Certificate, createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { generate } from 'selfsigned';
import type { Store } from '../storage/store.js';

/** The store meta key under which the signing key and its certificate are kept. */
export const SIGNING_KEY_META_KEY = 'auth.signing-key.v1';

/** How long a newly generated signing certificate is valid (Microsoft's rotate every few years). */
const CERT_LIFETIME_MS = 5 * 365 * 24 * 60 * 60 * 1000;

/** One entry of a JSON Web Key Set, shaped like the entries of login.microsoftonline.com's keys. */
export interface PublicJwk {
  kty: 'RSA';
  use: 'sig';
  kid: string;
  x5t: string;
  n: string;
  e: string;
  x5c: string[];
}

export interface Jwks {
  keys: PublicJwk[];
}

/**
 * The RS256 key that signs every token Switchboard issues: Graph app tokens from the token
 * endpoint and the Authorization tokens on notifications. Its certificate is self-signed;
 * `kid` and `x5t` are both the certificate's base64url SHA-1 thumbprint, as in Microsoft's keys.
 */
export interface SigningKeys {
  kid: string;
  x5t: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicJwk: PublicJwk;
  certificatePem: string;
  jwks(): Jwks;
}

interface StoredSigningKey {
  version: 1;
  createdAt: string;
  privateKeyPem: string;
  certificatePem: string;
}

/**
 * Loads the signing key from store meta, or generates one (RSA 2048 with a self-signed
 * certificate) and saves it, so tokens and the JWKS survive restarts with the same data.
 */
export async function loadOrCreateSigningKeys(opts: {
  store: Pick<Store, 'getMeta' | 'setMeta'>;
  now: number;
}): Promise<SigningKeys> {
  const saved = await opts.store.getMeta(SIGNING_KEY_META_KEY);
  if (saved !== undefined) {
    const parsed = parseStored(saved);
    if (parsed) return signingKeysFrom(parsed);
  }
  const created = await createStoredKey(opts.now);
  await opts.store.setMeta(SIGNING_KEY_META_KEY, JSON.stringify(created));
  return signingKeysFrom(created);
}

async function createStoredKey(now: number): Promise<StoredSigningKey> {
  const pems = await generate([{ name: 'commonName', value: 'Switchboard token signing' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: new Date(now),
    notAfterDate: new Date(now + CERT_LIFETIME_MS),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true },
    ],
  });
  return {
    version: 1,
    createdAt: new Date(now).toISOString(),
    privateKeyPem: pems.private,
    certificatePem: pems.cert,
  };
}

function parseStored(text: string): StoredSigningKey | undefined {
  try {
    const value = JSON.parse(text) as Partial<StoredSigningKey>;
    if (
      value.version !== 1 ||
      typeof value.privateKeyPem !== 'string' ||
      typeof value.certificatePem !== 'string'
    ) {
      return undefined;
    }
    return value as StoredSigningKey;
  } catch {
    return undefined;
  }
}

/** Builds the key set from a PKCS#8 private key and its certificate (both PEM). */
export function signingKeysFrom(stored: { privateKeyPem: string; certificatePem: string }): SigningKeys {
  const privateKey = createPrivateKey(stored.privateKeyPem);
  const publicKey = createPublicKey(privateKey);
  const certificate = new X509Certificate(stored.certificatePem);
  const x5t = createHash('sha1').update(certificate.raw).digest('base64url');
  const rsa = publicKey.export({ format: 'jwk' });
  if (typeof rsa.n !== 'string' || typeof rsa.e !== 'string')
    throw new Error('The signing key is not an RSA key.');
  const publicJwk: PublicJwk = {
    kty: 'RSA',
    use: 'sig',
    kid: x5t,
    x5t,
    n: rsa.n,
    e: rsa.e,
    x5c: [certificate.raw.toString('base64')],
  };
  return {
    kid: x5t,
    x5t,
    privateKey,
    publicKey,
    publicJwk,
    certificatePem: stored.certificatePem,
    jwks: () => ({ keys: [{ ...publicJwk, x5c: [...publicJwk.x5c] }] }),
  };
}
