import type { DeliveryAttempt, OutboxRow } from '../storage/store.js';

/** Why a row was marked failed. */
export type FailReason =
  /** The bot answered with a status that is not retried (4xx other than 408/429, other 3xx...). */
  | 'rejected'
  /** The last allowed attempt failed with a retryable outcome (or redirected once more). */
  | 'exhausted'
  /** `lookupCall` knows no call for the row, so no token can be signed. */
  | 'unknown-call'
  /** The row's url is not an absolute http(s) URL. */
  | 'invalid-url';

/** What the dispatcher reports while it works; `row` is the row as claimed (before the attempt). */
export type OutboxEvent =
  | { type: 'delivered'; row: OutboxRow; attempt: DeliveryAttempt }
  | { type: 'retrying'; row: OutboxRow; attempt: DeliveryAttempt; nextRunAt: number }
  | { type: 'failed'; row: OutboxRow; attempt: DeliveryAttempt; reason: FailReason }
  /** A 302/307: every pending row of the call now points at `location`; `row` retries at once. */
  | { type: 'redirected'; row: OutboxRow; attempt: DeliveryAttempt; location: string }
  /** The store (or lookupCall) threw; the dispatcher keeps going and retries later. */
  | { type: 'error'; during: 'claim' | 'record' | 'schedule'; error: unknown; row?: OutboxRow };

export type OutboxEventType = OutboxEvent['type'];

export type OutboxListener = (event: OutboxEvent) => void;

/**
 * Calls the listener and swallows whatever it throws (or rejects with, if it returns a promise):
 * a listener never breaks delivery.
 */
export function safeEmit(listener: OutboxListener | undefined, event: OutboxEvent): void {
  if (!listener) return;
  try {
    const result: unknown = listener(event);
    if (result instanceof Promise) result.catch(() => undefined);
  } catch {
    // A broken listener is the listener's problem; the outbox keeps delivering.
  }
}
