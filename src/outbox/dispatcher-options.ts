import type { Dispatcher } from 'undici';
import type { CallbackIssuer } from '../auth/callback-token.js';
import type { SigningKeys } from '../auth/signing-keys.js';
import type { Clock } from '../domain/clock.js';
import type { Store } from '../storage/store.js';
import type { BackoffOptions } from './backoff.js';
import type { CallAudience } from './deliver-row.js';
import type { OutboxListener } from './events.js';

export interface OutboxDispatcherOptions {
  store: Store;
  clock: Clock;
  /** Signs the Authorization token of every notification. */
  keys: SigningKeys;
  /** The token's `iss`. */
  issuer: CallbackIssuer;
  /** Whom a row's notification is for (aud = appId, tid = tenantId); undefined: an unknown call. */
  lookupCall: (callId: string) => Promise<CallAudience | undefined>;
  /** The lock owner written on claimed rows. Default: host:pid:random. */
  owner?: string;
  /** POSTs under way at once (each to a different call), and keep-alive connections per bot. Default 256. */
  concurrency?: number;
  /** A lock older than this (clock ms) is taken over: its owner is presumed dead. Default 30000. */
  staleLockMs?: number;
  /** Real-time limit for one POST, body included; must be below staleLockMs. Default 10000. */
  requestTimeoutMs?: number;
  backoff?: BackoffOptions;
  /** Longest real-time wait between two looks at the store while started. Default 1000. */
  maxIdleMs?: number;
  /** Default: CALLBACK_USER_AGENT. */
  userAgent?: string;
  /**
   * Where POSTs are made: 'thread' (default) from a worker thread with its own keep-alive agent,
   * so a notification leaves the moment it is committed however busy this thread is; 'main' from
   * this thread. Both are closed by stop().
   */
  sendFrom?: 'thread' | 'main';
  /** An HTTP dispatcher to POST with from this thread (implies sendFrom 'main'); left open by stop(). */
  dispatcher?: Dispatcher;
  onEvent?: OutboxListener;
}

/** Checks an integer option that must be at least 1. */
export function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be an integer >= 1`);
  return value;
}
