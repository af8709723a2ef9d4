import type { CallState } from './call-document.js';
import type { CallTimerKind } from './effects.js';
import type { ResultCodeName } from './result-codes.js';

/**
 * THE table of allowed call moves. `call-machine.ts` interprets it; docs/call-states.md
 * draws it. Anything not listed falls back to `fallbackMove` (bottom of this file).
 */

export const CALL_STATES = [
  'incoming',
  'establishing',
  'ringing',
  'established',
  'hold',
  'transferring',
  'transferAccepted',
  'redirecting',
  'terminating',
  'terminated',
] as const satisfies readonly CallState[];

export const CALL_COMMAND_TYPES = [
  'farEndRinging',
  'farEndAnswered',
  'farEndDeclined',
  'farEndUnreachable',
  'ringTimeout',
  'mediaEstablished',
  'hangUpByBot',
  'hangUpByFarEnd',
  'hold',
  'resume',
  'transfer',
  'transferAccepted',
  'transferCompleted',
  'transferFailed',
  'redirect',
  'answerByBot',
  'rejectByBot',
  'incomingTimeout',
  'keepAliveExpired',
  'terminationCompleted',
  'keepAlive',
] as const;

export type CallCommandType = (typeof CALL_COMMAND_TYPES)[number];

/**
 * Who sends a command: the bot (a Graph request), the far end (the simulated world), or a
 * timer armed by an earlier `schedule` effect.
 */
export type CommandOrigin = 'bot' | 'farEnd' | 'timer';

export const COMMAND_ORIGIN: Readonly<Record<CallCommandType, CommandOrigin>> = {
  farEndRinging: 'farEnd',
  farEndAnswered: 'farEnd',
  farEndDeclined: 'farEnd',
  farEndUnreachable: 'farEnd',
  ringTimeout: 'timer',
  mediaEstablished: 'farEnd',
  hangUpByBot: 'bot',
  hangUpByFarEnd: 'farEnd',
  hold: 'farEnd',
  resume: 'farEnd',
  transfer: 'bot',
  transferAccepted: 'farEnd',
  transferCompleted: 'farEnd',
  transferFailed: 'farEnd',
  redirect: 'bot',
  answerByBot: 'bot',
  rejectByBot: 'bot',
  incomingTimeout: 'timer',
  keepAliveExpired: 'timer',
  terminationCompleted: 'timer',
  keepAlive: 'bot',
};

/** How a refused bot command reads in an error message ("cannot hang up"). */
export const COMMAND_LABEL: Readonly<Record<CallCommandType, string>> = {
  farEndRinging: 'ring',
  farEndAnswered: 'be answered',
  farEndDeclined: 'be declined',
  farEndUnreachable: 'fail as unreachable',
  ringTimeout: 'time out ringing',
  mediaEstablished: 'establish media',
  hangUpByBot: 'hang up',
  hangUpByFarEnd: 'be hung up by the far end',
  hold: 'be put on hold',
  resume: 'resume',
  transfer: 'transfer',
  transferAccepted: 'accept a transfer',
  transferCompleted: 'complete a transfer',
  transferFailed: 'fail a transfer',
  redirect: 'redirect',
  answerByBot: 'answer',
  rejectByBot: 'reject',
  incomingTimeout: 'time out unanswered',
  keepAliveExpired: 'expire keepAlive',
  terminationCompleted: 'complete termination',
  keepAlive: 'keep alive',
};

/** Live states a plain `go` move may enter (ending goes through `hangUp`/`end`/`finish`). */
export type LiveCallState = Exclude<CallState, 'terminating' | 'terminated'>;

export type CallMove =
  /** Enter `to`; notify it (see NOT_NOTIFIED); `result` goes on that notification. */
  | { kind: 'go'; to: LiveCallState; result?: ResultCodeName }
  /** Enter `terminating` (notified); `result` is kept for the terminated notification. */
  | { kind: 'hangUp'; result: ResultCodeName }
  /** Enter `terminated` now; null: no resultInfo (what Graph sends for reject and redirect). */
  | { kind: 'end'; result: ResultCodeName | null; betaTerminationReason?: string }
  /** Enter `terminated` with the result kept by `hangUp` (none after a redirect). */
  | { kind: 'finish' }
  /** Stay; re-arm the keepAlive timer. */
  | { kind: 'refresh' }
  /** Stay; no effects (late or duplicate event). */
  | { kind: 'ignore' }
  /** Refuse with 400 BadRequest "Call is in state X; cannot Y." */
  | { kind: 'badRequest' }
  /** Refuse with 404 8522 "Call not found." (the call is gone). */
  | { kind: 'callNotFound' };

const go = (to: LiveCallState, result?: ResultCodeName): CallMove =>
  result ? { kind: 'go', to, result } : { kind: 'go', to };
const hangUp = (result: ResultCodeName): CallMove => ({ kind: 'hangUp', result });
const end = (result: ResultCodeName | null): CallMove => ({ kind: 'end', result });
const refresh: CallMove = { kind: 'refresh' };
const ignore: CallMove = { kind: 'ignore' };
const finish: CallMove = { kind: 'finish' };

/** Hang-ups and keepAlive that every connected state shares. */
const connected = {
  hangUpByBot: hangUp('botHangUp'),
  hangUpByFarEnd: hangUp('farEndHangUp'),
  keepAliveExpired: hangUp('keepAliveExpired'),
  keepAlive: refresh,
} as const;

export const CALL_TRANSITIONS: Readonly<Record<CallState, Partial<Record<CallCommandType, CallMove>>>> = {
  incoming: {
    answerByBot: go('establishing'),
    rejectByBot: end(null),
    redirect: go('redirecting'),
    incomingTimeout: end('incomingTimeout'),
    hangUpByFarEnd: end('farEndHangUp'),
  },
  establishing: {
    farEndRinging: go('ringing'),
    farEndAnswered: go('established'),
    mediaEstablished: go('established'),
    farEndDeclined: end('busy'),
    farEndUnreachable: end('unreachable'),
    ...connected,
  },
  ringing: {
    farEndRinging: ignore,
    farEndAnswered: go('established'),
    farEndDeclined: end('busy'),
    farEndUnreachable: end('unreachable'),
    ringTimeout: end('noAnswer'),
    hangUpByBot: connected.hangUpByBot,
    keepAliveExpired: connected.keepAliveExpired,
    keepAlive: refresh,
  },
  established: {
    hold: go('hold'),
    transfer: go('transferring'),
    ...connected,
  },
  hold: {
    resume: go('established'),
    transfer: go('transferring'),
    ...connected,
  },
  transferring: {
    transferAccepted: go('transferAccepted'),
    transferFailed: go('established', 'transferFailed'),
    ...connected,
  },
  transferAccepted: {
    transferCompleted: { kind: 'end', result: 'transferCompleted', betaTerminationReason: 'AppTransferred' },
    transferFailed: go('established', 'transferFailed'),
    ...connected,
  },
  redirecting: {
    terminationCompleted: finish,
    hangUpByFarEnd: end('farEndHangUp'),
    hangUpByBot: ignore,
    keepAlive: ignore,
  },
  terminating: {
    terminationCompleted: finish,
    hangUpByBot: ignore,
    keepAlive: ignore,
  },
  terminated: {},
};

/**
 * Pairs the table does not list:
 * - terminated: bot requests get 404 8522 (Graph forgets an ended call); far-end and timer
 *   events are dropped silently (they are late).
 * - terminating: far-end and timer events are dropped silently; other bot requests get 400.
 * - any other state: 400 BadRequest.
 */
export function fallbackMove(state: CallState, command: CallCommandType): CallMove {
  const origin = COMMAND_ORIGIN[command];
  if (state === 'terminated') return origin === 'bot' ? { kind: 'callNotFound' } : ignore;
  if (state === 'terminating' && origin !== 'bot') return ignore;
  return { kind: 'badRequest' };
}

export function resolveCallMove(state: CallState, command: CallCommandType): CallMove {
  return CALL_TRANSITIONS[state][command] ?? fallbackMove(state, command);
}

/** Timers that are pending while a call rests in each state. Moves arm/disarm the difference. */
export const ARMED_TIMERS: Readonly<Record<CallState, readonly CallTimerKind[]>> = {
  incoming: ['incomingTimeout'],
  establishing: ['keepAliveExpired'],
  ringing: ['keepAliveExpired', 'ringTimeout'],
  established: ['keepAliveExpired'],
  hold: ['keepAliveExpired'],
  transferring: ['keepAliveExpired'],
  transferAccepted: ['keepAliveExpired'],
  redirecting: ['terminationCompleted'],
  terminating: ['terminationCompleted'],
  terminated: [],
};

/** Entering these states sends no `updated` notification (Graph shows none for them). */
export const NOT_NOTIFIED: readonly CallState[] = ['redirecting'];

export const CALL_TIMINGS = {
  /** Graph: answer, reject or redirect an incoming call within 15 s. */
  incomingAnswerWindowMs: 15_000,
  /** Graph: 5 s for policy-based recording invites. */
  policyRecordingAnswerWindowMs: 5_000,
  /** Graph: a keepAlive at least every 45 minutes, else 408/8537. */
  keepAliveWindowMs: 45 * 60_000,
  /**
   * Ring timeout when ringingTimeoutInSeconds is absent (or on v1.0, which lacks it).
   * Graph documents no default; unanswered calls are observed to end after about a minute.
   */
  defaultRingTimeoutMs: 60_000,
  /** Graph (beta call resource): ringingTimeoutInSeconds is at most 115. */
  maxRingingTimeoutInSeconds: 115,
  /** Switchboard: time between `terminating` (or `redirecting`) and `terminated`. */
  terminationDelayMs: 250,
} as const;
