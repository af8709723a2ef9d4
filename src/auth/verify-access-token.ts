import { compactVerify, decodeJwt, decodeProtectedHeader, type JWTPayload } from 'jose';
import { GraphError, graphErrors } from '../domain/graph-error.js';
import type { WorldIndex } from '../world/world-index.js';
import type { SigningKeys } from './signing-keys.js';
import { GRAPH_APP_ID, GRAPH_RESOURCE, stsIssuer } from './token-issuer.js';

/** Who is calling: the app, the tenant its token was issued for, and the roles it carries. */
export interface Principal {
  appId: string;
  tenantId: string;
  roles: string[];
}

/** The clock skew Graph tolerates on exp and nbf (Microsoft.IdentityModel's default, 5 min). */
export const CLOCK_SKEW_SECONDS = 300;

const ACCEPTED_AUDIENCES = new Set([GRAPH_RESOURCE, `${GRAPH_RESOURCE}/`, GRAPH_APP_ID]);

export const tokenMessages = {
  empty: 'Access token is empty.',
  malformed: 'CompactToken parsing failed with error code: 80049217',
  signature: 'Access token validation failure. Invalid signature.',
  lifetime: 'Access token has expired or is not yet valid.',
  audience: 'Access token validation failure. Invalid audience.',
  issuer: 'Access token validation failure. Invalid issuer.',
  identity: 'The identity of the calling application could not be established.',
} as const;

/** 401 when the token names an app or tenant the world does not have. */
export function identityNotFound(): GraphError {
  return new GraphError(401, 'Authorization_IdentityNotFound', tokenMessages.identity);
}

/**
 * Checks the `Authorization` header of a Graph request.
 * strict: RS256 signature by Switchboard's key, lifetime against `now` (5 min skew), aud is
 * Graph, iss is the tenant's sts.windows.net issuer, appid and tid exist in the world; roles
 * are the token's own (as on Graph, a permission change needs a new token).
 * loose (unsafe, for quick experiments): any Bearer value; a decodable JWT gives its unverified
 * appid/tid/roles, anything else is the world's first app with its roles and home tenant.
 */
export async function verifyAccessToken(opts: {
  authorization: string | undefined;
  keys: SigningKeys;
  mode: 'strict' | 'loose';
  now: number;
  world: WorldIndex;
}): Promise<Principal> {
  const token = bearerToken(opts.authorization);
  if (token === undefined) throw graphErrors.unauthenticated(tokenMessages.empty);
  if (opts.mode === 'loose') return loosePrincipal(token, opts.world);

  const claims = await verifiedClaims(token, opts.keys);
  const nowSeconds = Math.floor(opts.now / 1000);
  if (
    typeof claims.exp !== 'number' ||
    nowSeconds >= claims.exp + CLOCK_SKEW_SECONDS ||
    (typeof claims.nbf === 'number' && nowSeconds < claims.nbf - CLOCK_SKEW_SECONDS)
  ) {
    throw graphErrors.unauthenticated(tokenMessages.lifetime);
  }
  if (typeof claims.aud !== 'string' || !ACCEPTED_AUDIENCES.has(claims.aud)) {
    throw graphErrors.unauthenticated(tokenMessages.audience);
  }
  const appId = stringClaim(claims, 'appid');
  const tenantId = stringClaim(claims, 'tid');
  if (tenantId === undefined || claims.iss !== stsIssuer(tenantId)) {
    throw graphErrors.unauthenticated(tokenMessages.issuer);
  }
  const app = appId === undefined ? undefined : opts.world.app(appId);
  const tenant = opts.world.tenant(tenantId);
  if (!app || !tenant) throw identityNotFound();
  return { appId: app.appId, tenantId: tenant.id, roles: rolesOf(claims) ?? [] };
}

function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^\s*Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1];
}

/**
 * The claims of a token whose RS256 signature verifies, remembered per key: a bot sends the same
 * token for up to an hour, and an RSA verification costs more than the rest of a create call.
 * Lifetime, audience, issuer and identity are still checked on every request. Bounded: the
 * oldest entry goes first.
 */
const verified = new WeakMap<SigningKeys, Map<string, JWTPayload>>();
const MAX_VERIFIED_TOKENS = 1024;

async function verifiedClaims(token: string, keys: SigningKeys): Promise<JWTPayload> {
  let seen = verified.get(keys);
  const known = seen?.get(token);
  if (known) return known;
  let claims: JWTPayload;
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
    claims = decodeJwt(token);
  } catch {
    throw graphErrors.unauthenticated(tokenMessages.malformed);
  }
  if (header.alg !== 'RS256' || (header.kid !== undefined && header.kid !== keys.kid)) {
    throw graphErrors.unauthenticated(tokenMessages.signature);
  }
  try {
    await compactVerify(token, keys.publicKey, { algorithms: ['RS256'] });
  } catch {
    throw graphErrors.unauthenticated(tokenMessages.signature);
  }
  if (!seen) verified.set(keys, (seen = new Map()));
  if (seen.size >= MAX_VERIFIED_TOKENS) seen.delete(seen.keys().next().value as string);
  seen.set(token, claims);
  return claims;
}

function loosePrincipal(token: string, world: WorldIndex): Principal {
  const first = world.world.apps[0];
  let claims: JWTPayload | undefined;
  try {
    claims = decodeJwt(token);
  } catch {
    claims = undefined;
  }
  const appId = (claims && stringClaim(claims, 'appid')) ?? first?.appId;
  if (appId === undefined) throw identityNotFound();
  const app = world.app(appId);
  const tenantId = (claims && stringClaim(claims, 'tid')) ?? app?.tenantId ?? world.world.tenants[0]?.id;
  if (tenantId === undefined) throw identityNotFound();
  const roles = (claims && rolesOf(claims)) ?? app?.roles ?? [];
  return { appId, tenantId, roles: [...roles] };
}

function stringClaim(claims: JWTPayload, name: string): string | undefined {
  const value = claims[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function rolesOf(claims: JWTPayload): string[] | undefined {
  const roles = claims.roles;
  return Array.isArray(roles) && roles.every((r) => typeof r === 'string') ? (roles as string[]) : undefined;
}
