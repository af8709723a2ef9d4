/**
 * Graph requires an https callbackUri. A bot running on the developer's machine listens on
 * plain http, so Switchboard also accepts http on loopback hosts by default ('loopback'), and
 * any http URL with `--allow-insecure-callbacks` ('any'). Other http URLs get Graph's 400.
 */
export type CallbackPolicy = 'loopback' | 'any';

export const LOOPBACK_HOSTS: readonly string[] = ['127.0.0.1', 'localhost', '[::1]'];

/** Whether an http callbackUri is accepted under `policy`. */
export function acceptsHttpCallback(uri: string, policy: CallbackPolicy): boolean {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:') return false;
  return policy === 'any' || LOOPBACK_HOSTS.includes(url.hostname.toLowerCase());
}

/**
 * The callbackUri the create-call rules check: an accepted http URL is checked as its https
 * twin (the rules then see a valid URL); anything else is checked as sent.
 */
export function callbackCheckUri(uri: string, policy: CallbackPolicy): string {
  return acceptsHttpCallback(uri, policy) ? 'https:' + uri.slice('http:'.length) : uri;
}
