import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';

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
 * back as `{ kind: 'error' }` with the error message as excerpt. It drives undici's dispatcher
 * directly (no response stream): the answer's first bytes are kept, the rest is drained.
 */
export function sendNotification(opts: {
  dispatcher: Dispatcher;
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
}): Promise<SendResult> {
  const started = performance.now();
  const latency = (): number => Math.round(performance.now() - started);
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    let controller: Dispatcher.DispatchController | undefined;
    let timedOut: TimeoutError | undefined;
    const finish = (result: SendResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const fail = (error: unknown): void =>
      finish({ kind: 'error', excerpt: errorExcerpt(timedOut ?? error), latencyMs: latency() });
    const timer = setTimeout(() => {
      timedOut = new TimeoutError(opts.timeoutMs);
      controller?.abort(timedOut);
      fail(timedOut);
    }, opts.timeoutMs);

    let status = 0;
    let location: string | undefined;
    const kept: Buffer[] = [];
    let keptBytes = 0;
    let total = 0;
    let url: URL;
    try {
      url = new URL(opts.url);
    } catch (error) {
      fail(error);
      return;
    }
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(ctrl) {
        controller = ctrl;
        if (timedOut) ctrl.abort(timedOut);
      },
      onResponseStart(_ctrl, statusCode, headers) {
        status = statusCode;
        location = firstHeader(headers['location']);
      },
      onResponseData(ctrl, chunk) {
        total += chunk.length;
        if (keptBytes < KEEP_BYTES) {
          const part = chunk.subarray(0, KEEP_BYTES - keptBytes);
          kept.push(part);
          keptBytes += part.length;
        }
        // A body this large is cut off: the connection is not reused.
        if (total > DRAIN_LIMIT_BYTES) {
          // Settled first: aborting reports an error to onResponseError at once.
          finish(response());
          ctrl.abort(new Error('response body too large'));
        }
      },
      onResponseEnd() {
        finish(response());
      },
      onResponseError(_ctrl, error) {
        fail(error);
      },
    };
    const response = (): SendResult => ({
      kind: 'response',
      status,
      location,
      excerpt: Buffer.concat(kept).toString('utf8').slice(0, EXCERPT_CHARS),
      latencyMs: latency(),
    });
    try {
      opts.dispatcher.dispatch(
        {
          origin: url.origin,
          path: `${url.pathname}${url.search}`,
          method: 'POST',
          headers: opts.headers,
          body: opts.body,
        },
        handler,
      );
    } catch (error) {
      fail(error);
    }
  });
}

class TimeoutError extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms (request timed out)`);
    this.name = 'TimeoutError';
  }
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
