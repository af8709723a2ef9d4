import type { CallRecord } from '../domain/call-document.js';
import type { Clock } from '../domain/clock.js';
import { isDomainError, type DomainError } from '../domain/effects.js';
import type { IdGenerator } from '../domain/ids.js';
import { ConflictError, type Store, type TimerInput } from '../storage/store.js';
import type { CallCommandType } from '../domain/call-transitions.js';
import { CallDraft, type TimerPayload } from './call-draft.js';
import type { CallRuntime } from './call-runtime.js';
import { runFarEndStep } from './far-end.js';
import { botJoinsMeeting } from './meeting-join.js';
import { notificationItems, outboxRows, type DeliveryProfile } from './notification-rows.js';
import type { WorldHolder } from './world-holder.js';

export interface CommitInfo {
  callId: string;
  /** Outbox rows the commit added. */
  rows: number;
  /** Timers the commit armed. */
  timers: number;
}

export interface CallLifecycleOptions {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  world: WorldHolder;
  /** How notifications are grouped into POSTs. Default 'ordered'. */
  profile?: DeliveryProfile;
  /** Called after every commit (kick the dispatcher and the timer runner). */
  onCommit?: (info: CommitInfo) => void;
  /** Attempts of one update when other writers keep winning. Default 5. */
  maxAttempts?: number;
}

/**
 * The one path that changes calls: load -> run transitions on a CallDraft -> save the call,
 * its outbox rows and timers in ONE store.apply. Updates of one call run one at a time in this
 * process; a ConflictError (another writer saved first) reloads and runs the update again.
 */
export class CallLifecycle {
  readonly #o: CallLifecycleOptions;
  readonly #queues = new Map<string, Promise<unknown>>();

  constructor(options: CallLifecycleOptions) {
    this.#o = options;
  }

  get store(): Store {
    return this.#o.store;
  }

  get world(): WorldHolder {
    return this.#o.world;
  }

  /** Inserts a new call: `build` runs its first transitions on a draft of `record`. */
  async create(
    record: CallRecord,
    runtime: CallRuntime,
    build: (draft: CallDraft) => void,
  ): Promise<CallRecord> {
    return this.#serialize(record.id, async () => {
      const draft = new CallDraft({ record, runtime, now: this.#o.clock.now(), ids: this.#o.ids });
      build(draft);
      return this.#commit(draft, true);
    });
  }

  /**
   * Runs `change` on the call and saves the result. Returns undefined for an unknown call.
   * `change` throws to refuse (nothing is saved).
   */
  async update<T>(
    callId: string,
    change: (draft: CallDraft) => T,
    opts: { at?: number } = {},
  ): Promise<{ value: T; record: CallRecord } | undefined> {
    return this.#serialize(callId, async () => {
      const max = this.#o.maxAttempts ?? 5;
      for (let attempt = 1; ; attempt++) {
        const record = await this.#o.store.getCall(callId);
        if (!record) return undefined;
        // A timer runs at its due time (never before the call's last change), even when a manual
        // clock jumped past it: a chain of timers then plays out as if the time had passed.
        const now = opts.at === undefined ? this.#o.clock.now() : Math.max(opts.at, record.updatedAt);
        // The record was read for this draft alone: the draft changes its runtime in place.
        const draft = new CallDraft({ record, now, ids: this.#o.ids });
        const value = change(draft);
        try {
          return { value, record: await this.#commit(draft, false) };
        } catch (error) {
          if (!(error instanceof ConflictError) || attempt >= max) throw error;
        }
      }
    });
  }

  /**
   * A due timer row (one per call, due when the call's earliest timer is): runs that timer through
   * the same path as every change. The commit moves the row to the call's next timer, so timers
   * of one call run one at a time, in due order, each at its own due time.
   */
  async handleTimer(timer: TimerInput): Promise<void> {
    const found = await this.update(
      timer.callId,
      (draft) => {
        const due = draft.dueTimer(timer.dueAt);
        // Nothing due by the row's time: the call's timers changed after the row was read (and
        // that commit moved the row), or the row is out of step with them. Write the row again
        // from the call's timers (with its revision checked, like every change), never run early.
        if (!due) return draft.rewriteTimerRow();
        draft.cancel(due.kind);
        if (!due.payload || !draft.live) return;
        const refused = this.#fire(draft, due.kind, due.payload);
        if (refused) draft.note('refused', { timer: due.kind, message: refused.error.message });
      },
      { at: Math.min(timer.dueAt, this.#o.clock.now()) },
    );
    if (!found) await this.#o.store.apply({ cancelTimers: [timer.id], now: this.#o.clock.now() });
  }

  #fire(draft: CallDraft, kind: string, payload: TimerPayload): DomainError | undefined {
    const world = this.#o.world.index;
    switch (payload.type) {
      case 'call': {
        const r = draft.call({ type: kind as CallCommandType } as Parameters<CallDraft['call']>[0]);
        return isDomainError(r) ? r : undefined;
      }
      case 'farEnd':
        return runFarEndStep(draft, payload.participantId, payload.step, { followPolicy: world });
      case 'meetingJoin':
        return botJoinsMeeting(draft, world);
    }
  }

  async #commit(draft: CallDraft, creating: boolean): Promise<CallRecord> {
    const { record, notifications } = draft.finish();
    const items = notificationItems(record.doc, notifications);
    const { rows, held } = outboxRows({
      doc: record.doc,
      items,
      held: draft.runtime.heldNotifications,
      profile: this.#o.profile ?? 'ordered',
      creating,
      ids: this.#o.ids,
      now: draft.now,
    });
    record.doc.extra.heldNotifications = held;
    if (creating) record.revision = draft.original.revision;
    const { timers, cancelTimers } = draft.timerRow();
    await this.#o.store.apply({
      calls: [{ record, expectedRevision: creating ? null : draft.original.revision }],
      outbox: rows,
      timers,
      cancelTimers,
      now: draft.now,
    });
    this.#o.onCommit?.({ callId: record.id, rows: rows.length, timers: timers.length });
    return record;
  }

  async #serialize<T>(callId: string, run: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(callId) ?? Promise.resolve();
    const next = previous.then(run, run);
    const tail = next.then(
      () => undefined,
      () => undefined,
    );
    this.#queues.set(callId, tail);
    void tail.then(() => {
      if (this.#queues.get(callId) === tail) this.#queues.delete(callId);
    });
    return next;
  }
}
