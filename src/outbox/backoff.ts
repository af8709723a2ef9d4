/**
 * The one retry formula of the outbox. After the failed attempt number `attempt` (1, 2, 3...)
 * the row waits
 *
 *     nextDelayMs(attempt) = min(baseMs * 2^(attempt - 1), maxMs)
 *
 * before it is tried again. A row whose attempt number `maxAttempts` (or later) fails is marked
 * failed instead: it stays visible with its attempts log and can be replayed.
 * Defaults: baseMs 1000, maxMs 60000, maxAttempts 8 (see docs/outbox.md for the schedule).
 */
export interface BackoffOptions {
  /** Delay after the first failed attempt, in ms. Default 1000. */
  baseMs?: number;
  /** Upper bound of any delay, in ms. Default 60000. */
  maxMs?: number;
  /** Attempts before a row is marked failed. Default 8. */
  maxAttempts?: number;
}

export type Backoff = Required<BackoffOptions>;

export const DEFAULT_BACKOFF: Backoff = Object.freeze({ baseMs: 1_000, maxMs: 60_000, maxAttempts: 8 });

/** Fills in the defaults and rejects values the formula cannot use. */
export function resolveBackoff(opts: BackoffOptions = {}): Backoff {
  const backoff: Backoff = {
    baseMs: opts.baseMs ?? DEFAULT_BACKOFF.baseMs,
    maxMs: opts.maxMs ?? DEFAULT_BACKOFF.maxMs,
    maxAttempts: opts.maxAttempts ?? DEFAULT_BACKOFF.maxAttempts,
  };
  if (!Number.isFinite(backoff.baseMs) || backoff.baseMs < 0) {
    throw new RangeError('backoff.baseMs must be a non-negative number of ms');
  }
  if (!Number.isFinite(backoff.maxMs) || backoff.maxMs < backoff.baseMs) {
    throw new RangeError('backoff.maxMs must be a number of ms no smaller than backoff.baseMs');
  }
  if (!Number.isInteger(backoff.maxAttempts) || backoff.maxAttempts < 1) {
    throw new RangeError('backoff.maxAttempts must be an integer >= 1');
  }
  return backoff;
}

/** How long to wait after the failed attempt number `attempt` (1-based). */
export function nextDelayMs(attempt: number, opts: BackoffOptions = {}): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError('attempt must be an integer >= 1');
  const { baseMs, maxMs } = resolveBackoff(opts);
  return Math.min(baseMs * 2 ** (attempt - 1), maxMs);
}

/**
 * When a row whose attempt number `attempt` just failed (with a retryable outcome) runs again,
 * or null when that was its last allowed attempt and the row is to be marked failed.
 */
export function nextRunAt(opts: { attempt: number; now: number; backoff?: BackoffOptions }): number | null {
  const backoff = resolveBackoff(opts.backoff);
  if (opts.attempt >= backoff.maxAttempts) return null;
  return opts.now + nextDelayMs(opts.attempt, backoff);
}

/** The delays between consecutive attempts of a row that never succeeds (maxAttempts - 1 entries). */
export function backoffSchedule(opts: BackoffOptions = {}): number[] {
  const backoff = resolveBackoff(opts);
  return Array.from({ length: backoff.maxAttempts - 1 }, (_, i) => nextDelayMs(i + 1, backoff));
}
