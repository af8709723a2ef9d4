import { createHash, randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import type { SigningKeys } from './signing-keys.js';

/** Microsoft Graph's resource URI and its well-known application id: both are valid `aud` values. */
export const GRAPH_RESOURCE = 'https://graph.microsoft.com';
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
export type GraphAudience = typeof GRAPH_RESOURCE | typeof GRAPH_APP_ID;

/** What the token endpoint answers in `expires_in` and `ext_expires_in`. */
export const APP_TOKEN_LIFETIME_SECONDS = 3599;

/** The v1 issuer (and `idp`) of app tokens for a tenant. */
export function stsIssuer(tenantId: string): string {
  return `https://sts.windows.net/${tenantId}/`;
}

/**
 * The object id of an app's service principal in a tenant. Switchboard has no directory, so it
 * is derived from the two ids (a name-based UUID, version 5 layout): stable across restarts.
 */
export function servicePrincipalId(appId: string, tenantId: string): string {
  const hash = createHash('sha1').update(
    `switchboard:service-principal:${tenantId.toLowerCase()}:${appId.toLowerCase()}`,
  );
  const bytes = hash.digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Claims of an app-only Graph access token (v1 format), as the identity platform issues them. */
export interface AppTokenClaims {
  aud: string;
  iss: string;
  iat: number;
  nbf: number;
  exp: number;
  aio: string;
  app_displayname?: string;
  appid: string;
  appidacr: '1';
  idp: string;
  idtyp: 'app';
  oid: string;
  rh: string;
  roles: string[];
  sub: string;
  tid: string;
  uti: string;
  ver: '1.0';
}

/**
 * Signs an RS256 v1 Graph app token for the client credentials grant. `now` is in ms;
 * iat = nbf = now, exp = now + lifetime. aio, rh and uti are opaque random values.
 */
export async function issueAppToken(opts: {
  keys: SigningKeys;
  appId: string;
  tenantId: string;
  roles: string[];
  now: number;
  lifetimeSeconds?: number;
  appDisplayName?: string;
  audience?: GraphAudience;
}): Promise<string> {
  const iat = Math.floor(opts.now / 1000);
  const oid = servicePrincipalId(opts.appId, opts.tenantId);
  const claims: AppTokenClaims = {
    aud: opts.audience ?? GRAPH_RESOURCE,
    iss: stsIssuer(opts.tenantId),
    iat,
    nbf: iat,
    exp: iat + (opts.lifetimeSeconds ?? APP_TOKEN_LIFETIME_SECONDS),
    aio: opaque(48),
    ...(opts.appDisplayName !== undefined ? { app_displayname: opts.appDisplayName } : {}),
    appid: opts.appId,
    appidacr: '1',
    idp: stsIssuer(opts.tenantId),
    idtyp: 'app',
    oid,
    rh: `0.${opaque(60)}.`,
    roles: [...opts.roles],
    sub: oid,
    tid: opts.tenantId,
    uti: opaque(16),
    ver: '1.0',
  };
  return new SignJWT({ ...claims })
    .setProtectedHeader({ typ: 'JWT', alg: 'RS256', kid: opts.keys.kid, x5t: opts.keys.x5t })
    .sign(opts.keys.privateKey);
}

function opaque(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}
