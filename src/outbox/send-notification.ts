import { performance } from 'node:perf_hooks';
import { request, type Dispatcher } from 'undici';

/** How many characters of a response body (or an error message) an attempt keeps. */
export const EXCERPT_CHARS = 200;
/** Bytes of a response body kept for the excerpt (200 chars of UTF-8 fit in 800). */
const KEEP_BYTES = 1_024;
/** A response body larger than this is cut off (the connection is then not reused). */
const DRAIN_LIMIT_BYTES = 64 * 1_024;

export type SendResult =
  | { kind: 'response'; status: number; location: string | undefined; excerpt: string; latencyMs: number }
  | { kind: 'error'; excerpt: string; latencyMs: number };

/**
 * POSTs one notification and reads the answer. Never throws: a network error, a timeout (the
 * whole exchange, body included, must finish within `timeoutMs`) or an unreadable body comes
 * back as `{ kind: 'error' }` with the error message as excerpt.
 */
export async function sendNotification(opts: {
  dispatcher: Dispatcher;
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
}): Promise<SendResult> {
  const started = performance.now();
  const latency = (): number => Math.round(performance.now() - started);
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(new TimeoutError(opts.timeoutMs)), opts.timeoutMs);
  try {
    const res = await request(opts.url, {
      method: 'POST',
      dispatcher: opts.dispatcher,
      headers: opts.headers,
      body: opts.body,
      signal: abort.signal,
    });
    const text = await readExcerpt(res.body);
    return {
      kind: 'response',
      status: res.statusCode,
      location: firstHeader(res.headers['location']),
      excerpt: text,
      latencyMs: latency(),
    };
  } catch (err) {
    const reason: unknown = abort.signal.aborted ? abort.signal.reason : err;
    return { kind: 'error', excerpt: errorExcerpt(reason), latencyMs: latency() };
  } finally {
    clearTimeout(timer);
  }
}

class TimeoutError extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms (request timed out)`);
    this.name = 'TimeoutError';
  }
}

/** Reads the body to the end (so the connection can be reused) and keeps its first characters. */
async function readExcerpt(body: Dispatcher.ResponseData['body']): Promise<string> {
  const kept: Buffer[] = [];
  let keptBytes = 0;
  let total = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (keptBytes < KEEP_BYTES) {
      const part = chunk.subarray(0, KEEP_BYTES - keptBytes);
      kept.push(part);
      keptBytes += part.length;
    }
    if (total > DRAIN_LIMIT_BYTES) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(kept).toString('utf8').slice(0, EXCERPT_CHARS);
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The error's message, prefixed by its code when the message does not already name it. */
export function errorExcerpt(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: unknown } | null)?.code;
  const text = typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
  return text.slice(0, EXCERPT_CHARS);
}
