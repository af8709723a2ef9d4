import type { CallRecord, CallState } from '../domain/call-document.js';

/**
 * The one storage interface. Every backend (sqlite/ now, postgres/ next) passes the
 * shared contract suite in test/storage/store-contract.ts unchanged.
 *
 * Writes go through `apply(changes)`, which commits all of its parts atomically:
 * call saves (optimistic revision check), outbox rows and timers. Services load,
 * run a pure transition, then hand the resulting change set to `apply`.
 */

export interface OutboxRowInput {
  id: string;
  callId: string;
  /** Where to POST. */
  url: string;
  /** The JSON body, already serialised. */
  body: string;
  /** Earliest time (ms) to deliver. */
  runAt: number;
}

export type OutboxStatus = 'pending' | 'delivered' | 'failed';

export interface OutboxRow extends OutboxRowInput {
  /** Per-call sequence, assigned by the store on insert: 1, 2, 3... for each call. */
  seq: number;
  status: OutboxStatus;
  attempts: number;
  lockedBy: string | null;
  lockedAt: number | null;
  createdAt: number;
  lastError: string | null;
}

/**
 * A dispatcher that takes due outbox rows the moment they are committed, instead of finding them
 * with claimOutbox: a row inserted by apply() that is due (runAt <= handoff.now()) and is its
 * call's only pending row is written already locked by `owner`, and handed to `take` right
 * after the COMMIT that holds it. Rows that do not qualify (an earlier row of the call is still
 * pending, not due yet, or `available()` is 0) stay for claimOutbox.
 */
export interface OutboxHandoff {
  owner: string;
  /** The dispatcher's clock: a row is due when runAt <= now(), and is locked at now(). */
  now(): number;
  /** How many more rows the dispatcher takes now (checked per row while a batch is written). */
  available(): number;
  /**
   * Called when a committed row was left for claimOutbox (not due, held behind an earlier row
   * of its call, or no slot left), when this owner's claim was cut to the free slots, and when a
   * delivery result was recorded for a call that has pending rows: the dispatcher should claim
   * again (once a slot frees), not rely on its idle timer.
   */
  later(): void;
  /** The rows locked for `owner` by one committed batch, in commit order. */
  take(rows: OutboxRow[]): void;
}

export interface DeliveryAttempt {
  outboxId: string;
  attempt: number;
  at: number;
  /** HTTP status, or null when no response came (refused, timeout). */
  status: number | null;
  latencyMs: number;
  /** First bytes of the response body or the error message. */
  excerpt: string;
}

export interface TimerInput {
  id: string;
  callId: string;
  kind: string;
  dueAt: number;
  payload: string;
}

export interface CallSave {
  record: CallRecord;
  /**
   * null: insert a new call (fails with ConflictError if the id exists). Else: the revision loaded;
   * an update keeps the appId, tenantId and createdAt the call was inserted with.
   */
  expectedRevision: number | null;
}

export interface ChangeSet {
  calls?: CallSave[];
  outbox?: OutboxRowInput[];
  timers?: TimerInput[];
  cancelTimers?: string[];
  /** Now, in ms, used for createdAt stamps. */
  now: number;
}

/** A call's app and tenant, and its `resource.callChainId` when it is a string. */
export interface CallOwner {
  appId: string;
  tenantId: string;
  callChainId: string | null;
}

export interface ListCallsQuery {
  appId?: string;
  state?: CallState;
  limit?: number;
}

export class ConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConflictError';
  }
}

export interface Store {
  /** Creates or upgrades the schema. Idempotent. */
  migrate(): Promise<void>;
  /** Atomically applies every part of the change set, or none of it. */
  apply(changes: ChangeSet): Promise<void>;
  getCall(id: string): Promise<CallRecord | undefined>;
  /** Who the call belongs to, without loading its document (undefined for an unknown id). */
  getCallOwner(id: string): Promise<CallOwner | undefined>;
  /** Newest first. */
  listCalls(query?: ListCallsQuery): Promise<CallRecord[]>;

  /**
   * Atomically claims up to `limit` due pending rows (runAt <= now, not locked or lock older than
   * staleLockMs), at most ONE per call and only the lowest pending seq of that call, so per-call
   * order is kept. Sets lockedBy/lockedAt and returns them.
   */
  claimOutbox(opts: { now: number; owner: string; limit: number; staleLockMs: number }): Promise<OutboxRow[]>;
  /**
   * Clears the lock of every row locked by an owner other than `exceptOwner`, at once, whatever
   * the lock's age, and returns how many rows it freed. A process that owns its data directory
   * calls it at start-up, before its first claim: the other owners are earlier runs that died
   * mid-delivery, and their rows need not wait `staleLockMs`. Attempts, runAt and status are
   * kept, so a freed row is claimable as soon as it is due (its interrupted POST may have reached
   * the bot: delivery is at least once). Never call it while another live owner shares the store.
   */
  releaseOutboxLocks(opts: { exceptOwner: string }): Promise<number>;
  /**
   * Hands rows committed from now on to `handoff` (see OutboxHandoff): to the one registered last
   * while it stays registered, then again to the one before it. Registering an owner again
   * replaces its earlier registration. A backend without it leaves every row to claimOutbox.
   */
  setOutboxHandoff?(handoff: OutboxHandoff): void;
  /** Unregisters the owner's handoff (its rows go to the one registered before it, or to claims). */
  clearOutboxHandoff?(owner: string): void;
  /** Records an attempt and marks the row delivered. */
  completeOutbox(id: string, attempt: DeliveryAttempt): Promise<void>;
  /** Records an attempt; reschedules the row (runAt = nextRunAt) or, if nextRunAt is null, marks it failed. */
  failOutbox(id: string, attempt: DeliveryAttempt, nextRunAt: number | null): Promise<void>;
  /** Puts a failed row back to pending, due at `now`. Returns false if no failed row has that id. */
  replayOutbox(id: string, now: number): Promise<boolean>;
  /** Changes the url of every pending row of a call (302/307 follow). */
  retargetOutbox(callId: string, url: string): Promise<void>;
  getOutbox(id: string): Promise<OutboxRow | undefined>;
  listOutbox(query: { callId?: string; status?: OutboxStatus; limit?: number }): Promise<OutboxRow[]>;
  listAttempts(outboxId: string): Promise<DeliveryAttempt[]>;
  /** Earliest runAt among pending rows, or null. */
  nextOutboxRunAt(): Promise<number | null>;

  /** Timers due at or before now, oldest first. */
  dueTimers(now: number, limit: number): Promise<TimerInput[]>;
  /** Earliest dueAt, or null. */
  nextTimerDueAt(): Promise<number | null>;

  /** Small persistent key/value settings (signing keys, ...). */
  getMeta(key: string): Promise<string | undefined>;
  setMeta(key: string, value: string): Promise<void>;

  /** Deletes all calls, outbox rows, attempts and timers (keeps meta). */
  reset(): Promise<void>;
  close(): Promise<void>;
}
