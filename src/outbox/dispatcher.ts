import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Agent, Dispatcher } from 'undici';
import type { Clock } from '../domain/clock.js';
import type { OutboxRow, Store } from '../storage/store.js';
import { resolveBackoff } from './backoff.js';
import { CALLBACK_USER_AGENT, CallbackTokenCache } from './callback-auth.js';
import { deliverRow, type DeliveryContext } from './deliver-row.js';
import { positiveInteger, type OutboxDispatcherOptions } from './dispatcher-options.js';
import { safeEmit, type OutboxEvent } from './events.js';
import { sendNotification, type SendResult } from './send-notification.js';
import { senderAgent } from './sender-agent.js';
import type { SendRequest, SenderThreadSettings } from './sender-protocol.js';
import { SenderThread } from './sender-thread.js';

export type { OutboxDispatcherOptions } from './dispatcher-options.js';

/** Idle keep-alive connections to a bot are closed after this long. */
const KEEP_ALIVE_MS = 4_000;

/**
 * Delivers outbox rows: takes each due row from the store at its COMMIT (the outbox handoff) or
 * claims it later (at most one row per call either way, so each call's notifications arrive in
 * seq order), POSTs it to its url with a signed token from the sender thread and records the
 * result. While started it claims at start() and kick(), when the store says a row was left for
 * a claim, again after a claim that filled every free slot, and on a timer set for the next due
 * row (at most maxIdleMs away, so a manual clock moved without a kick() is still noticed).
 */
export class OutboxDispatcher {
  readonly owner: string;
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #concurrency: number;
  readonly #staleLockMs: number;
  readonly #maxIdleMs: number;
  /** Everything a delivery needs but `send`, which #launch adds per delivery. */
  readonly #context: Omit<DeliveryContext, 'send'>;
  readonly #senderSettings: SenderThreadSettings;
  readonly #givenDispatcher: Dispatcher | undefined;
  readonly #sendFrom: 'thread' | 'main';
  #agent: Agent | undefined;
  #thread: SenderThread | undefined;
  readonly #inFlight = new Map<string, Promise<void>>();
  /**
   * Slots taken: a delivery holds one from its launch until its POST has been answered (not
   * while its result is recorded). A store with a handoff counts the rows a batch hands over and
   * claims for this owner against available(), so the two never add up to more than the free slots.
   */
  #busy = 0;
  /** The store hands committed rows over (setOutboxHandoff), so only leftovers need a claim. */
  #handoff = false;
  /**
   * Something may be claimable that no COMMIT handed over: the store said so (`later()`: a row it
   * left, a result recorded for a call with pending rows), a claim filled every free slot, or
   * kick(). Cleared when a claim starts.
   */
  #claimWanted = true;
  #started = false;
  #ticking: Promise<void> | undefined;
  #again = false;
  #timer: NodeJS.Timeout | undefined;
  /** When rows this dispatcher rescheduled come due (nextOutboxRunAt can be masked by held-back rows). */
  #wakeups: number[] = [];

  constructor(opts: OutboxDispatcherOptions) {
    this.owner = opts.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.#store = opts.store;
    this.#clock = opts.clock;
    this.#concurrency = positiveInteger('concurrency', opts.concurrency ?? 256);
    this.#staleLockMs = positiveInteger('staleLockMs', opts.staleLockMs ?? 30_000);
    const requestTimeoutMs = positiveInteger('requestTimeoutMs', opts.requestTimeoutMs ?? 10_000);
    if (requestTimeoutMs >= this.#staleLockMs) {
      throw new RangeError(
        'requestTimeoutMs must be below staleLockMs, or a slow delivery could be taken over',
      );
    }
    this.#maxIdleMs = positiveInteger('maxIdleMs', opts.maxIdleMs ?? 1_000);
    this.#givenDispatcher = opts.dispatcher;
    this.#sendFrom = opts.dispatcher ? 'main' : (opts.sendFrom ?? 'thread');
    const onEvent = opts.onEvent;
    this.#context = {
      store: opts.store,
      clock: opts.clock,
      tokens: new CallbackTokenCache({ keys: opts.keys, issuer: opts.issuer }),
      lookupCall: opts.lookupCall,
      backoff: resolveBackoff(opts.backoff),
      requestTimeoutMs,
      userAgent: opts.userAgent ?? CALLBACK_USER_AGENT,
      newRequestId: () => randomUUID(),
      emit: (event: OutboxEvent) => {
        if (event.type === 'retrying') this.#wakeups.push(event.nextRunAt);
        safeEmit(onEvent, event);
      },
    };
    this.#senderSettings = {
      keepAliveTimeoutMs: KEEP_ALIVE_MS,
      connections: this.#concurrency,
      connectTimeoutMs: requestTimeoutMs,
    };
  }

  /** Deliveries currently in flight. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  get started(): boolean {
    return this.#started;
  }

  /** Starts delivering in the background. Calling it again while started does nothing. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    // Due rows come straight from each COMMIT (to the dispatcher started last on the store while
    // it runs); the claim query finds the rest (retries, rows held behind an earlier one, rows of
    // earlier runs).
    this.#handoff = this.#store.setOutboxHandoff !== undefined;
    this.#store.setOutboxHandoff?.({
      owner: this.owner,
      now: () => this.#clock.now(),
      available: () => this.#concurrency - this.#busy,
      later: () => {
        this.#claimWanted = true;
      },
      take: (rows) => {
        for (const row of rows) void this.#launch(row);
      },
    });
    this.#claimWanted = true;
    this.#requestTick();
  }

  /** Looks at the store now (after the clock moved, a replay...). No-op when stopped. */
  kick(): void {
    this.#claimWanted = true;
    this.#requestTick();
  }

  /**
   * After a commit that added rows: looks at the store unless the handoff took every row of it
   * (then there is nothing a claim would find).
   */
  rowsCommitted(): void {
    this.#tickIfClaimable();
  }

  /** Looks at the store unless the handoff brings every row and nothing was left for a claim. */
  #tickIfClaimable(): void {
    if (!this.#handoff || this.#claimWanted) this.#requestTick();
  }

  /** Stops taking and claiming rows, waits for the deliveries in flight to be recorded, then closes its sender. */
  async stop(): Promise<void> {
    if (this.#started) this.#store.clearOutboxHandoff?.(this.owner);
    this.#handoff = false;
    this.#started = false;
    this.#again = false;
    this.#clearTimer();
    if (this.#ticking) await this.#ticking;
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight.values()]);
    this.#clearTimer();
    const agent = this.#agent;
    this.#agent = undefined;
    if (agent) await agent.close();
    const thread = this.#thread;
    this.#thread = undefined;
    if (thread) await thread.close();
  }

  /** Claims one batch of due rows (up to the free slots), delivers it and returns how many were attempted. */
  async runOnce(): Promise<number> {
    const { launched } = await this.#claimAndLaunch();
    await Promise.all(launched);
    return launched.length;
  }

  async #claimAndLaunch(): Promise<{ launched: Promise<void>[]; now: number }> {
    const now = this.#clock.now();
    const limit = this.#concurrency - this.#busy;
    if (limit <= 0) return { launched: [], now };
    // This claim sees every row committed so far; whatever is left after it says so again.
    this.#claimWanted = false;
    const rows = await this.#store.claimOutbox({
      now,
      owner: this.owner,
      limit,
      staleLockMs: this.#staleLockMs,
    });
    // A full claim may have left more: claim again once a slot frees.
    if (rows.length >= limit) this.#claimWanted = true;
    const launched = rows.map((row) => this.#launch(row));
    return { launched, now };
  }

  /** Delivers a row locked for this dispatcher, after our own earlier delivery of it if one is settling. */
  #launch(row: OutboxRow): Promise<void> {
    this.#busy += 1;
    let held = true;
    const release = (): void => {
      if (!held) return;
      held = false;
      this.#busy -= 1;
      // A row may be waiting for this slot.
      if (this.#claimWanted) this.#requestTick();
    };
    // The slot is free once the POST is answered, before the result is recorded.
    const context: DeliveryContext = {
      ...this.#context,
      send: (request) => this.#send(request).finally(release),
    };
    const previous = this.#inFlight.get(row.id);
    const run = previous
      ? previous.then(async () => {
          if (await this.#stillOurs(row)) await deliverRow(context, row);
        })
      : deliverRow(context, row);
    const delivery = run.finally(() => {
      release();
      if (this.#inFlight.get(row.id) === delivery) this.#inFlight.delete(row.id);
      this.#tickIfClaimable();
    });
    this.#inFlight.set(row.id, delivery);
    return delivery;
  }

  /**
   * A row claimed while our own earlier delivery of it was still settling: either that delivery
   * recorded its result just before this claim (the row is still locked by this claim: deliver
   * it), or the claim took over our own lock as stale and that delivery recorded afterwards,
   * clearing the lock (drop it: it was just recorded).
   */
  async #stillOurs(claimed: OutboxRow): Promise<boolean> {
    try {
      const current = await this.#store.getOutbox(claimed.id);
      return (
        current?.status === 'pending' &&
        current.lockedBy === this.owner &&
        current.lockedAt === claimed.lockedAt
      );
    } catch (error) {
      this.#context.emit({ type: 'error', during: 'claim', error, row: claimed });
      return false;
    }
  }

  /** POSTs one notification from the sender thread, or from this thread with an undici dispatcher. */
  #send(request: SendRequest): Promise<SendResult> {
    if (this.#sendFrom === 'thread') {
      return (this.#thread ??= new SenderThread(this.#senderSettings)).send(request);
    }
    const dispatcher = this.#givenDispatcher ?? (this.#agent ??= senderAgent(this.#senderSettings));
    return sendNotification({ dispatcher, ...request });
  }

  #requestTick(): void {
    if (!this.#started) return;
    if (this.#ticking) {
      this.#again = true;
      return;
    }
    this.#clearTimer();
    this.#ticking = this.#tick().finally(() => {
      this.#ticking = undefined;
      if (this.#again) {
        this.#again = false;
        this.#requestTick();
      }
    });
  }

  /** One look at the store: claim what is due, else sleep until the next row is due. */
  async #tick(): Promise<void> {
    let claimedAt: number;
    try {
      const { launched, now } = await this.#claimAndLaunch();
      // Rows keep being claimed: look again at once (free slots permitting).
      if (launched.length > 0) {
        this.#again = true;
        return;
      }
      claimedAt = now;
    } catch (error) {
      this.#context.emit({ type: 'error', during: 'claim', error });
      this.#arm(this.#maxIdleMs);
      return;
    }
    try {
      const next = await this.#store.nextOutboxRunAt();
      this.#arm(this.#idleDelay(next, claimedAt));
    } catch (error) {
      this.#context.emit({ type: 'error', during: 'schedule', error });
      this.#arm(this.#maxIdleMs);
    }
  }

  /**
   * How long to sleep after a look that claimed nothing. A row that was due at claim time yet not
   * claimed is held by a lock or by an earlier row of its call: a finishing delivery ticks again,
   * other owners' locks are polled every maxIdleMs. So only times after the claim count: the
   * store's next runAt and the retries this dispatcher scheduled (which a held-back row due
   * earlier would hide from nextOutboxRunAt).
   */
  #idleDelay(storeNext: number | null, claimedAt: number): number {
    this.#wakeups = this.#wakeups.filter((at) => at > claimedAt);
    let soonest = storeNext !== null && storeNext > claimedAt ? storeNext : Infinity;
    for (const at of this.#wakeups) soonest = Math.min(soonest, at);
    if (soonest === Infinity) return this.#maxIdleMs;
    const wait = soonest - this.#clock.now();
    return Math.min(Math.max(wait, 0), this.#maxIdleMs);
  }

  #arm(delayMs: number): void {
    if (!this.#started) return;
    this.#clearTimer();
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#requestTick();
    }, delayMs);
    this.#timer.unref();
  }

  #clearTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
