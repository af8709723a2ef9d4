/**
 * Graph requires an https callbackUri. A bot running on the developer's machine listens on
 * plain http, so Switchboard also accepts http on loopback hosts by default ('loopback'), and
 * any http URL with `--allow-insecure-callbacks` ('any'). Other http URLs get Graph's 400.
 */
export type CallbackPolicy = 'loopback' | 'any';

export const LOOPBACK_HOSTS: readonly string[] = ['127.0.0.1', 'localhost', '[::1]'];

/** Whether a callbackUri is acceptable: https always, http as `policy` allows. */
export function acceptsCallbackUri(uri: string, policy: CallbackPolicy): boolean {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  if (url.protocol === 'https:') return true;
  if (url.protocol !== 'http:') return false;
  return policy === 'any' || LOOPBACK_HOSTS.includes(url.hostname.toLowerCase());
}
