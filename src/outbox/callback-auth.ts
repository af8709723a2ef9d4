import { signCallbackToken, type CallbackIssuer } from '../auth/callback-token.js';
import type { SigningKeys } from '../auth/signing-keys.js';

/**
 * The User-Agent on every notification POST: the calling service's (as seen in the Graph
 * communications SDK logs) followed by a Switchboard marker, so a bot can tell the emulator apart.
 */
export const CALLBACK_USER_AGENT = 'Microsoft-Skype/3.0,(Calling/1.0) Switchboard';

/** A token is re-signed once it is this old (it lives one hour), or when the clock went back. */
const REUSE_MS = 5 * 60 * 1_000;
const MAX_ENTRIES = 1_000;

/** Signs callback tokens and reuses each (appId, tenantId) token for a few minutes. */
export class CallbackTokenCache {
  readonly #keys: SigningKeys;
  readonly #issuer: CallbackIssuer;
  readonly #tokens = new Map<string, { token: string; signedAt: number }>();

  constructor(opts: { keys: SigningKeys; issuer: CallbackIssuer }) {
    this.#keys = opts.keys;
    this.#issuer = opts.issuer;
  }

  async get(opts: { appId: string; tenantId: string; now: number }): Promise<string> {
    const key = `${opts.appId}\n${opts.tenantId}`;
    const cached = this.#tokens.get(key);
    if (cached && opts.now >= cached.signedAt && opts.now - cached.signedAt < REUSE_MS) return cached.token;
    const token = await signCallbackToken({
      keys: this.#keys,
      appId: opts.appId,
      tenantId: opts.tenantId,
      issuer: this.#issuer,
      now: opts.now,
    });
    if (this.#tokens.size >= MAX_ENTRIES) this.#tokens.clear();
    this.#tokens.set(key, { token, signedAt: opts.now });
    return token;
  }
}

/** The headers of one notification POST. */
export function notificationHeaders(opts: {
  token: string;
  /** Fresh per attempt; sent as both client-request-id and request-id. */
  requestId: string;
  /** The outbox row id: the same on every attempt of a notification. */
  messageId: string;
  callChainId?: string;
  userAgent: string;
}): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    authorization: `Bearer ${opts.token}`,
    'user-agent': opts.userAgent,
    'client-request-id': opts.requestId,
    'request-id': opts.requestId,
    'x-microsoft-skype-message-id': opts.messageId,
  };
  if (opts.callChainId) headers['x-microsoft-skype-chain-id'] = opts.callChainId;
  return headers;
}
