import { SignJWT } from 'jose';
import type { SigningKeys } from './signing-keys.js';

/** The issuers a bot accepts on notification tokens (the samples' ValidIssuers). */
export const CALLBACK_ISSUERS = ['https://graph.microsoft.com', 'https://api.botframework.com'] as const;
export type CallbackIssuer = (typeof CALLBACK_ISSUERS)[number];

/** Lifetime of a notification token: one hour, like the calling service's. */
export const CALLBACK_TOKEN_LIFETIME_SECONDS = 3600;

/** Claims of the `Authorization: Bearer` token on a notification POST. */
export interface CallbackTokenClaims {
  aud: string;
  iss: CallbackIssuer;
  iat: number;
  nbf: number;
  exp: number;
  tid: string;
}

/**
 * Signs the token the calling service puts on each notification: audience = the bot's app
 * id, tenant in `tid`, RS256 with the key published at /v1/.well-known/OpenIdConfiguration.
 */
export async function signCallbackToken(opts: {
  keys: SigningKeys;
  appId: string;
  tenantId: string;
  issuer: CallbackIssuer;
  now: number;
  lifetimeSeconds?: number;
}): Promise<string> {
  const iat = Math.floor(opts.now / 1000);
  const claims: CallbackTokenClaims = {
    aud: opts.appId,
    iss: opts.issuer,
    iat,
    nbf: iat,
    exp: iat + (opts.lifetimeSeconds ?? CALLBACK_TOKEN_LIFETIME_SECONDS),
    tid: opts.tenantId,
  };
  return new SignJWT({ ...claims })
    .setProtectedHeader({ typ: 'JWT', alg: 'RS256', kid: opts.keys.kid, x5t: opts.keys.x5t })
    .sign(opts.keys.privateKey);
}
