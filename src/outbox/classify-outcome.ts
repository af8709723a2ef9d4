import type { SendResult } from './send-notification.js';

/** What one delivery attempt means for its row. */
export type Outcome =
  | { kind: 'delivered' }
  /** 302/307 with a Location: retarget the call's pending rows, then retry at once. */
  | { kind: 'redirect'; location: string }
  /** 408, 429, 5xx, timeout, refused/reset connection: retry with backoff. */
  | { kind: 'retry' }
  /** Any other status (4xx, other 3xx, 1xx, a redirect without a usable Location): failed at once. */
  | { kind: 'reject' };

const REDIRECTS = new Set([302, 307]);
const RETRYABLE = new Set([408, 429]);

/** Classifies the answer to a POST to `url` (used to resolve a relative Location). */
export function classifyOutcome(result: SendResult, url: string): Outcome {
  if (result.kind === 'error') return { kind: 'retry' };
  const { status } = result;
  if (status >= 200 && status < 300) return { kind: 'delivered' };
  if (REDIRECTS.has(status)) {
    const location = resolveLocation(result.location, url);
    return location === undefined ? { kind: 'reject' } : { kind: 'redirect', location };
  }
  if (RETRYABLE.has(status) || (status >= 500 && status < 600)) return { kind: 'retry' };
  return { kind: 'reject' };
}

/** The absolute http(s) URL a Location header points at, relative to `base`; undefined if none. */
export function resolveLocation(location: string | undefined, base: string): string | undefined {
  if (location === undefined || location.trim() === '') return undefined;
  const target = parseHttpUrl(location.trim(), base);
  return target?.toString();
}

/** Parses an absolute http(s) URL (optionally relative to `base`); undefined if it is not one. */
export function parseHttpUrl(text: string, base?: string): URL | undefined {
  try {
    const url = new URL(text, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}
