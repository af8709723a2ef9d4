import type { CallRecord, CallState, JsonObject } from '../domain/call-document.js';
import { transitionCall, type CallCommand, type CallTransition } from '../domain/call-machine.js';
import { ARMED_TIMERS } from '../domain/call-transitions.js';
import { isDomainError, type ContentSharingSession, type DomainError } from '../domain/effects.js';
import type { IdGenerator } from '../domain/ids.js';
import {
  transitionParticipant,
  type GraphParticipant,
  type ParticipantCommand,
  type ParticipantTransition,
} from '../domain/participant-machine.js';
import type { ResultInfo } from '../domain/result-codes.js';
import { graphErrors } from '../domain/graph-error.js';
import type { TimerInput } from '../storage/store.js';
import {
  callOptionsOf,
  readRuntime,
  type TimerPayload,
  rosterOf,
  withRuntime,
  type CallRuntime,
  type ParticipantEntry,
} from './call-runtime.js';

/** A notification decided during a draft, turned into JSON when the draft is committed. */
export type PendingNotification =
  | {
      kind: 'state';
      changeType: 'updated' | 'deleted';
      state: CallState;
      resultInfo?: ResultInfo;
      terminationReason?: string;
    }
  /** The roster changed here; resolved at commit time (full or delta, or dropped while gated). */
  | { kind: 'rosterSlot' }
  | { kind: 'roster'; participants: GraphParticipant[]; delta?: { sequenceNumber: number } }
  | { kind: 'contentSharing'; changeType: 'created' | 'updated' | 'deleted'; session: ContentSharingSession };

export type { FarEndStep, TimerPayload } from './call-runtime.js';

/** The kind of a call's timer row (its id is the call id). */
export const CALL_TIMER_KIND = 'call';

/** A timer the draft found due: its kind, due time and payload (missing: it cannot run). */
export interface DueTimer {
  kind: string;
  dueAt: number;
  payload: TimerPayload | undefined;
}

/** States in which the bot is in the call and gets roster updates. */
const UP_STATES: readonly CallState[] = ['established', 'hold', 'transferring', 'transferAccepted'];

/**
 * One change to one call, built in memory: transitions run here, their effects become pending
 * notifications and timers, and `finish()` produces the record and rows to save atomically.
 */
export class CallDraft {
  readonly now: number;
  readonly ids: IdGenerator;
  readonly original: CallRecord;
  readonly runtime: CallRuntime;
  readonly notifications: PendingNotification[] = [];
  /** When the call's earliest timer was due as the draft began (what its timer row says). */
  readonly #timerRowDueAt: number | null;
  #rewriteTimerRow = false;

  constructor(opts: { record: CallRecord; now: number; ids: IdGenerator; runtime?: CallRuntime }) {
    this.original = opts.record;
    this.now = opts.now;
    this.ids = opts.ids;
    this.runtime = opts.runtime ?? readRuntime(opts.record.doc);
    this.#timerRowDueAt = this.nextTimerDueAt();
  }

  get callId(): string {
    return this.original.id;
  }
  get doc(): CallRecord['doc'] {
    return this.original.doc;
  }
  get state(): CallState {
    return this.runtime.machine.state;
  }
  get live(): boolean {
    return this.state !== 'terminated';
  }

  note(event: string, detail?: JsonObject): void {
    const entry = { at: new Date(this.now).toISOString(), event, ...(detail ? { detail } : {}) };
    this.runtime.timeline.push(entry);
  }

  /** Runs a call command; on success its effects are recorded, a refusal is returned as is. */
  call(command: CallCommand, detail?: JsonObject): CallTransition | DomainError {
    const result = transitionCall(this.runtime.machine, command, this.now);
    if (isDomainError(result)) return result;
    this.runtime.machine = result.next;
    if (result.ignored) return result;
    this.note(command.type, detail);
    this.applyCallEffects(result);
    return result;
  }

  /** Records the effects of a call transition (also used for the initial one). */
  applyCallEffects(result: CallTransition): void {
    for (const effect of result.effects) {
      switch (effect.type) {
        case 'notifyState':
          this.notifications.push({
            kind: 'state',
            changeType: 'updated',
            state: effect.state,
            ...(effect.resultInfo ? { resultInfo: effect.resultInfo } : {}),
          });
          break;
        case 'terminated':
          this.notifications.push({
            kind: 'state',
            changeType: 'deleted',
            state: 'terminated',
            ...(effect.resultInfo ? { resultInfo: effect.resultInfo } : {}),
            ...(effect.terminationReason ? { terminationReason: effect.terminationReason } : {}),
          });
          break;
        case 'schedule':
          this.schedule(effect.timer, effect.inMs, { type: 'call' });
          break;
        case 'cancel':
          this.cancel(effect.timer);
          break;
      }
    }
    const state = result.next.state;
    if (state === 'terminating' || state === 'terminated') {
      // The far end and the meeting stop acting once the call is going away.
      for (const kind of Object.keys(this.runtime.timers)) {
        if (!(ARMED_TIMERS[state] as readonly string[]).includes(kind)) this.cancel(kind);
      }
      if (state === 'terminated') this.runtime.rosterPending = [];
    }
  }

  participant(id: string, command: ParticipantCommand): ParticipantTransition | DomainError {
    const entry = this.findParticipant(id);
    if (!entry) return { type: 'domainError', error: graphErrors.notFound(`Participant not found: ${id}`) };
    const result = transitionParticipant(entry.machine, command, this.ids);
    if (isDomainError(result)) return result;
    entry.machine = result.next;
    if (result.ignored) return result;
    this.note(`participant.${command.type}`, { participantId: id });
    for (const effect of result.effects) {
      if (effect.type === 'rosterChanged') this.touchRoster(id);
      else if (callOptionsOf(this.doc).contentSharing) {
        this.notifications.push({
          kind: 'contentSharing',
          changeType: effect.changeType,
          session: effect.session,
        });
      }
    }
    return result;
  }

  addParticipant(entry: ParticipantEntry): ParticipantEntry {
    this.runtime.participants.push(entry);
    return entry;
  }

  findParticipant(id: string): ParticipantEntry | undefined {
    return this.runtime.participants.find((p) => p.machine.participant.id === id);
  }

  get bot(): ParticipantEntry | undefined {
    return this.runtime.participants.find((p) => p.role === 'bot');
  }

  /**
   * Arms the call's timer of this kind. Re-arming it keeps its place among timers due at the same
   * time; one cancelled and armed again goes after them.
   */
  schedule(kind: string, inMs: number, payload: TimerPayload): void {
    this.runtime.timers[kind] = this.now + inMs;
    this.runtime.timerPayloads[kind] = payload;
  }

  cancel(kind: string): void {
    delete this.runtime.timers[kind];
    delete this.runtime.timerPayloads[kind];
  }

  /** When the earliest armed timer is due; null when none is armed. */
  nextTimerDueAt(): number | null {
    let next: number | null = null;
    for (const dueAt of Object.values(this.runtime.timers)) if (next === null || dueAt < next) next = dueAt;
    return next;
  }

  /**
   * The timer to run for a timer row due at `dueAt`: the earliest armed timer due by then (the
   * first armed among those due at the same time); undefined when none is (re-armed meanwhile).
   */
  dueTimer(dueAt: number): DueTimer | undefined {
    let found: DueTimer | undefined;
    for (const [kind, at] of Object.entries(this.runtime.timers)) {
      if (at > dueAt || (found && found.dueAt <= at)) continue;
      found = { kind, dueAt: at, payload: this.runtime.timerPayloads[kind] };
    }
    return found;
  }

  /** Writes the call's timer row on commit even if the earliest due time did not change. */
  rewriteTimerRow(): void {
    this.#rewriteTimerRow = true;
  }

  /**
   * The store's side of the call's timers: one row per call (id = call id), due when its earliest
   * timer is, written only when that time changed; removed when no timer is left.
   */
  timerRow(): { timers: TimerInput[]; cancelTimers: string[] } {
    const next = this.nextTimerDueAt();
    if (next === this.#timerRowDueAt && !this.#rewriteTimerRow) return { timers: [], cancelTimers: [] };
    if (next === null) return { timers: [], cancelTimers: [this.callId] };
    return {
      timers: [{ id: this.callId, callId: this.callId, kind: CALL_TIMER_KIND, dueAt: next, payload: '{}' }],
      cancelTimers: [],
    };
  }

  touchRoster(participantId: string): void {
    if (!this.runtime.rosterPending.includes(participantId)) this.runtime.rosterPending.push(participantId);
    if (!this.notifications.some((n) => n.kind === 'rosterSlot'))
      this.notifications.push({ kind: 'rosterSlot' });
  }

  /** The bot is in the call and the scenario has a roster: roster notifications flow. */
  rosterOpen(): boolean {
    if (this.doc.scenario !== 'group' && this.doc.scenario !== 'meeting') return false;
    if (!UP_STATES.includes(this.state)) return false;
    return this.bot?.machine.state === 'inCall';
  }

  /** The record to save and the notifications to send, in order. */
  finish(): { record: CallRecord; notifications: PendingNotification[] } {
    const notifications: PendingNotification[] = [];
    for (const n of this.notifications) {
      if (n.kind !== 'rosterSlot') notifications.push(n);
      else if (this.rosterOpen() && this.runtime.rosterPending.length > 0)
        notifications.push(this.resolveRoster());
    }
    return { record: withRuntime(this.original, this.runtime, this.now), notifications };
  }

  get isTwoParty(): boolean {
    return this.doc.scenario === 'peerToPeer' || this.doc.scenario === 'pstn';
  }

  private resolveRoster(): PendingNotification {
    const pending = this.runtime.rosterPending;
    this.runtime.rosterPending = [];
    if (!callOptionsOf(this.doc).deltaRoster) {
      return { kind: 'roster', participants: rosterOf(this.runtime).map((p) => p.machine.participant) };
    }
    const sequenceNumber = ++this.runtime.rosterSequenceNumber;
    const participants: GraphParticipant[] = [];
    for (const id of pending) {
      const entry = this.findParticipant(id);
      if (!entry || entry.machine.state === 'joining') continue;
      entry.machine.participant = { ...entry.machine.participant, rosterSequenceNumber: sequenceNumber };
      participants.push(entry.machine.participant);
    }
    return { kind: 'roster', participants, delta: { sequenceNumber } };
  }
}
