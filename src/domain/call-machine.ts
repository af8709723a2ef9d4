import type { CallState, GraphVersion } from './call-document.js';
import {
  ARMED_TIMERS,
  CALL_TIMINGS,
  COMMAND_LABEL,
  COMMAND_ORIGIN,
  NOT_NOTIFIED,
  resolveCallMove,
  type CallCommandType,
  type CallMove,
} from './call-transitions.js';
import {
  domainError,
  type CallEffect,
  type CallTimerKind,
  type DomainError,
  type Transition,
} from './effects.js';
import { graphErrors } from './graph-error.js';
import { resultInfo, type ResultCodeName, type ResultInfo } from './result-codes.js';

/**
 * The pure call state machine: transitionCall(state, command, now) -> { next, effects } | DomainError.
 * The allowed moves live in call-transitions.ts; this file only interprets them.
 */

/** Commands whose default resultInfo the far end (a scripted world) may override. */
export type CallCommandWithResult =
  'farEndDeclined' | 'farEndUnreachable' | 'hangUpByFarEnd' | 'transferFailed';

export type CallCommand = {
  [K in CallCommandType]: K extends CallCommandWithResult
    ? { type: K; resultInfo?: ResultInfo }
    : { type: K };
}[CallCommandType];

/** What the machine knows about one call. JSON-safe: services store it with the call. */
export interface CallMachineState {
  id: string;
  state: CallState;
  /** The Graph version the call was created through: `ringing` is notified on beta only. */
  version: GraphVersion;
  /** As requested on create (beta). Honoured on beta only, capped at 115. */
  ringingTimeoutInSeconds: number | null;
  /** When (ms) the call entered `state`. */
  stateSince: number;
  /** The call resource's resultInfo (set on transfer failure and on termination). */
  resultInfo: ResultInfo | null;
  /** Beta-only terminationReason of the call resource. */
  terminationReason: string | null;
  /** While terminating: the resultInfo the terminated notification will carry. */
  pendingResultInfo: ResultInfo | null;
}

export type CallTransition = Transition<CallMachineState, CallEffect>;

/** The ring timeout the machine schedules for this call, in ms. */
export function ringTimeoutMs(call: Pick<CallMachineState, 'version' | 'ringingTimeoutInSeconds'>): number {
  const requested = call.ringingTimeoutInSeconds;
  if (call.version !== 'beta' || requested === null || !Number.isInteger(requested) || requested <= 0) {
    return CALL_TIMINGS.defaultRingTimeoutMs;
  }
  return Math.min(requested, CALL_TIMINGS.maxRingingTimeoutInSeconds) * 1000;
}

/** The state a client of `version` sees: v1.0 has no `ringing` and shows `establishing`. */
export function projectCallState(state: CallState, version: GraphVersion): CallState {
  return state === 'ringing' && version === 'v1.0' ? 'establishing' : state;
}

export interface StartOutgoingCallOptions {
  id: string;
  version: GraphVersion;
  now: number;
  ringingTimeoutInSeconds?: number | null;
}

/** POST /calls accepted: the call starts `establishing` and its keepAlive window opens. */
export function startOutgoingCall(options: StartOutgoingCallOptions): CallTransition {
  const next = initial(options, 'establishing', options.ringingTimeoutInSeconds ?? null);
  return {
    next,
    effects: [
      { type: 'notifyState', state: 'establishing' },
      schedule(next, 'keepAliveExpired', options.now),
    ],
    ignored: false,
  };
}

export interface ReceiveIncomingCallOptions {
  id: string;
  version: GraphVersion;
  now: number;
  /** Policy-based recording invites must be answered within 5 s instead of 15 s. */
  policyRecording?: boolean;
}

/**
 * An incoming call reaches the bot. The `created` notification carries the whole call
 * resource, so the service sends it; the machine only opens the answer window.
 */
export function receiveIncomingCall(options: ReceiveIncomingCallOptions): CallTransition {
  const inMs = options.policyRecording
    ? CALL_TIMINGS.policyRecordingAnswerWindowMs
    : CALL_TIMINGS.incomingAnswerWindowMs;
  return {
    next: initial(options, 'incoming', null),
    effects: [{ type: 'schedule', timer: 'incomingTimeout', inMs, dueAt: options.now + inMs }],
    ignored: false,
  };
}

export function transitionCall(
  call: CallMachineState,
  command: CallCommand,
  now: number,
): CallTransition | DomainError {
  const move: CallMove = resolveCallMove(call.state, command.type);
  const override = 'resultInfo' in command ? command.resultInfo : undefined;
  const pick = (name: ResultCodeName | null | undefined): ResultInfo | null =>
    override ?? (name ? resultInfo(name) : null);

  switch (move.kind) {
    case 'badRequest':
      return domainError(
        graphErrors.badRequest(`Call is in state ${call.state}; cannot ${COMMAND_LABEL[command.type]}.`),
      );
    case 'callNotFound':
      return domainError(graphErrors.callNotFound(call.id));
    case 'ignore':
      return { next: call, effects: [], ignored: true };
    case 'refresh':
      return { next: call, effects: [schedule(call, 'keepAliveExpired', now)], ignored: false };
    case 'go': {
      const info = move.result ? pick(move.result) : null;
      const next: CallMachineState = { ...call, state: move.to, stateSince: now };
      if (info) next.resultInfo = info;
      const notify: CallEffect[] = notifies(next)
        ? [
            info
              ? { type: 'notifyState', state: move.to, resultInfo: info }
              : { type: 'notifyState', state: move.to },
          ]
        : [];
      return moved(call, next, notify, command.type, now);
    }
    case 'hangUp': {
      const next: CallMachineState = {
        ...call,
        state: 'terminating',
        stateSince: now,
        pendingResultInfo: pick(move.result),
      };
      return moved(call, next, [{ type: 'notifyState', state: 'terminating' }], command.type, now);
    }
    case 'end':
      return terminate(call, pick(move.result), move.betaTerminationReason ?? null, command.type, now);
    case 'finish':
      return terminate(call, call.pendingResultInfo, null, command.type, now);
  }
}

function initial(
  options: { id: string; version: GraphVersion; now: number },
  state: CallState,
  ringingTimeoutInSeconds: number | null,
): CallMachineState {
  return {
    id: options.id,
    state,
    version: options.version,
    ringingTimeoutInSeconds,
    stateSince: options.now,
    resultInfo: null,
    terminationReason: null,
    pendingResultInfo: null,
  };
}

function notifies(next: CallMachineState): boolean {
  if (NOT_NOTIFIED.includes(next.state)) return false;
  return projectCallState(next.state, next.version) === next.state;
}

function terminate(
  call: CallMachineState,
  info: ResultInfo | null,
  betaTerminationReason: string | null,
  fired: CallCommandType,
  now: number,
): CallTransition {
  const reason = call.version === 'beta' ? betaTerminationReason : null;
  const next: CallMachineState = {
    ...call,
    state: 'terminated',
    stateSince: now,
    resultInfo: info,
    terminationReason: reason,
    pendingResultInfo: null,
  };
  const effect: CallEffect = { type: 'terminated' };
  if (info) effect.resultInfo = info;
  if (reason) effect.terminationReason = reason;
  return moved(call, next, [effect], fired, now);
}

/**
 * Notifications first, then timers: disarm what the old state had and the new one lacks
 * (except the timer that just fired), arm what the new state adds.
 */
function moved(
  from: CallMachineState,
  next: CallMachineState,
  notifications: CallEffect[],
  fired: CallCommandType,
  now: number,
): CallTransition {
  const before = ARMED_TIMERS[from.state];
  const after = ARMED_TIMERS[next.state];
  const firedTimer = COMMAND_ORIGIN[fired] === 'timer' ? fired : null;
  const cancels: CallEffect[] = before
    .filter((t) => !after.includes(t) && t !== firedTimer)
    .map((timer) => ({ type: 'cancel', timer }));
  const schedules: CallEffect[] = after.filter((t) => !before.includes(t)).map((t) => schedule(next, t, now));
  return { next, effects: [...notifications, ...cancels, ...schedules], ignored: false };
}

function schedule(call: CallMachineState, timer: CallTimerKind, now: number): CallEffect {
  const inMs = timerDuration(call, timer);
  return { type: 'schedule', timer, inMs, dueAt: now + inMs };
}

function timerDuration(call: CallMachineState, timer: CallTimerKind): number {
  switch (timer) {
    case 'ringTimeout':
      return ringTimeoutMs(call);
    case 'incomingTimeout':
      return CALL_TIMINGS.incomingAnswerWindowMs;
    case 'keepAliveExpired':
      return CALL_TIMINGS.keepAliveWindowMs;
    case 'terminationCompleted':
      return CALL_TIMINGS.terminationDelayMs;
  }
}
