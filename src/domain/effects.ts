import type { CallState } from './call-document.js';
import { GraphError } from './graph-error.js';
import type { GraphParticipant } from './participant-machine.js';
import type { ResultInfo } from './result-codes.js';

/**
 * What a pure transition asks the service to do. Transitions never perform them:
 * the service turns each one into outbox rows and timers inside the same transaction
 * that saves the new state.
 */

/**
 * The timers a call can have. Each name is also the command the service feeds back into
 * `transitionCall` when that timer fires.
 */
export type CallTimerKind = 'ringTimeout' | 'incomingTimeout' | 'keepAliveExpired' | 'terminationCompleted';

/** An `updated` notification on the call: `resourceData: { state, resultInfo? }`. */
export interface NotifyStateEffect {
  type: 'notifyState';
  state: CallState;
  resultInfo?: ResultInfo;
}

/**
 * Arm a timer: it fires `inMs` after the transition, at `dueAt` (= now + inMs).
 * At most one timer of each kind exists per call: scheduling a kind replaces any
 * pending timer of the same kind.
 */
export interface ScheduleEffect {
  type: 'schedule';
  timer: CallTimerKind;
  inMs: number;
  dueAt: number;
}

/** Disarm a pending timer (a no-op when none of that kind is pending). */
export interface CancelEffect {
  type: 'cancel';
  timer: CallTimerKind;
}

/**
 * The call has ended: a `deleted` notification with `state: "terminated"`.
 * resultInfo is absent where Graph sends none (reject, redirect);
 * terminationReason is the beta-only property (e.g. "AppTransferred").
 */
export interface TerminatedEffect {
  type: 'terminated';
  resultInfo?: ResultInfo;
  terminationReason?: string;
}

export type CallEffect = NotifyStateEffect | ScheduleEffect | CancelEffect | TerminatedEffect;

/**
 * A roster change (`updated` on /participants). `participant` is the participant as it is
 * now; `removed: true` when it has left the roster.
 */
export interface RosterChangedEffect {
  type: 'rosterChanged';
  participant: GraphParticipant;
  removed?: true;
}

/** Graph's contentSharingSession (v1.0 has only id; beta adds presenterParticipantId). */
export interface ContentSharingSession {
  id: string;
  presenterParticipantId: string;
}

/** created / updated / deleted on /contentSharingSessions. */
export interface ContentSharingEffect {
  type: 'contentSharing';
  changeType: 'created' | 'updated' | 'deleted';
  session: ContentSharingSession;
}

export type ParticipantEffect = RosterChangedEffect | ContentSharingEffect;

/** A successful transition: the next state, what to do, and whether the command was a no-op. */
export interface Transition<S, E> {
  next: S;
  effects: E[];
  /** true when the command was accepted but changed nothing (late or duplicate event). */
  ignored: boolean;
}

/** A refused command, returned (never thrown); `error` is the wire error for the bot. */
export interface DomainError {
  readonly type: 'domainError';
  readonly error: GraphError;
}

export function domainError(error: GraphError): DomainError {
  return { type: 'domainError', error };
}

export function isDomainError(value: unknown): value is DomainError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { type?: unknown }).type === 'domainError' &&
    (value as { error?: unknown }).error instanceof GraphError
  );
}
