import type { Clock } from '../domain/clock.js';
import type { Store, TimerInput } from '../storage/store.js';

export interface TimerRunnerOptions {
  store: Store;
  clock: Clock;
  /** Runs one due timer (CallLifecycle.handleTimer); it removes or re-arms the row. */
  handle: (timer: TimerInput) => Promise<void>;
  /**
   * Sleep with a real setTimeout until the next timer is due. true for the system clock; false
   * for a manual clock, which only moves through the control API (that calls runDue()).
   */
  realTime: boolean;
  /** Timers taken per look at the store. Default 100. */
  batch?: number;
  /** A handler that throws is reported here; the timer is left for a later look. */
  onError?: (error: unknown, timer: TimerInput) => void;
}

/** Longest real sleep between two looks at the store (a timer may be added by another process). */
const MAX_SLEEP_MS = 60_000;
/** Real wait before a timer whose handler failed is tried again. */
const RETRY_MS = 1_000;

/**
 * Runs call timers: takes the due ones (store.dueTimers) and feeds each to `handle`. Driven by
 * a real setTimeout to the next due time (store.nextTimerDueAt), by kick() after each commit, and
 * by runDue() after a manual clock moved.
 */
export class TimerRunner {
  readonly #o: TimerRunnerOptions;
  #started = false;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<number> | undefined;
  #again = false;

  constructor(options: TimerRunnerOptions) {
    this.#o = options;
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.kick();
  }

  /** Stops arming; waits for the timers being handled. */
  async stop(): Promise<void> {
    this.#started = false;
    this.#clear();
    while (this.#running) await this.#running;
  }

  /** Looks at the store soon (a commit may have added a due timer). No-op when stopped. */
  kick(): void {
    if (!this.#started) return;
    void this.runDue().catch(() => undefined);
  }

  /** Runs every timer due now, including those that become due while running; returns how many. */
  async runDue(): Promise<number> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = this.#drain().finally(() => {
      this.#running = undefined;
    });
    const count = await this.#running;
    if (this.#again) {
      this.#again = false;
      return count + (await this.runDue());
    }
    await this.#arm();
    return count;
  }

  async #drain(): Promise<number> {
    let count = 0;
    const failed = new Set<string>();
    for (;;) {
      const due = (await this.#o.store.dueTimers(this.#o.clock.now(), this.#o.batch ?? 100)).filter(
        (t) => !failed.has(t.id + '@' + t.dueAt),
      );
      if (due.length === 0) return count;
      // Calls run side by side, so their writes share a group commit and its fsync; the
      // timers of one call still run one after the other, in due order.
      const byCall = new Map<string, TimerInput[]>();
      for (const timer of due) {
        const list = byCall.get(timer.callId);
        if (list) list.push(timer);
        else byCall.set(timer.callId, [timer]);
      }
      await Promise.all(
        [...byCall.values()].map(async (timers) => {
          for (const timer of timers) {
            try {
              await this.#o.handle(timer);
              count++;
            } catch (error) {
              failed.add(timer.id + '@' + timer.dueAt);
              this.#o.onError?.(error, timer);
            }
          }
        }),
      );
    }
  }

  async #arm(): Promise<void> {
    this.#clear();
    if (!this.#started || !this.#o.realTime) return;
    const next = await this.#o.store.nextTimerDueAt();
    if (!this.#started) return;
    const now = this.#o.clock.now();
    // A timer still due after a pass failed in its handler: look again a little later.
    const delay = next === null ? MAX_SLEEP_MS : next <= now ? RETRY_MS : Math.min(next - now, MAX_SLEEP_MS);
    this.#clear();
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.kick();
    }, delay);
    this.#timer.unref();
  }

  #clear(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
