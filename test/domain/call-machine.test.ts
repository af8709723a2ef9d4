import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CallState } from '../../src/domain/call-document.js';
import {
  projectCallState,
  receiveIncomingCall,
  ringTimeoutMs,
  startOutgoingCall,
  transitionCall,
  type CallCommand,
  type CallMachineState,
} from '../../src/domain/call-machine.js';
import {
  CALL_COMMAND_TYPES,
  CALL_STATES,
  COMMAND_LABEL,
  type CallCommandType,
} from '../../src/domain/call-transitions.js';
import { isDomainError, type CallEffect, type CallTimerKind } from '../../src/domain/effects.js';
import { GraphError } from '../../src/domain/graph-error.js';
import { resultInfo, type ResultCodeName, type ResultInfo } from '../../src/domain/result-codes.js';
import { deepFreeze, ok } from './machine-test-helpers.js';

const NOW = 1_000;
const KEEP = 45 * 60_000;
const RING = 60_000;
const TERM = 250;

const N = (state: CallState, name?: ResultCodeName): CallEffect =>
  name ? { type: 'notifyState', state, resultInfo: resultInfo(name) } : { type: 'notifyState', state };
const S = (timer: CallTimerKind, inMs: number): CallEffect => ({
  type: 'schedule',
  timer,
  inMs,
  dueAt: NOW + inMs,
});
const C = (timer: CallTimerKind): CallEffect => ({ type: 'cancel', timer });
const T = (name?: ResultCodeName, terminationReason?: string): CallEffect => ({
  type: 'terminated',
  ...(name ? { resultInfo: resultInfo(name) } : {}),
  ...(terminationReason ? { terminationReason } : {}),
});

function at(state: CallState, overrides: Partial<CallMachineState> = {}): CallMachineState {
  return {
    id: 'call-1',
    state,
    version: 'beta',
    ringingTimeoutInSeconds: null,
    stateSince: 0,
    resultInfo: null,
    terminationReason: null,
    pendingResultInfo: state === 'terminating' ? resultInfo('botHangUp') : null,
    ...overrides,
  };
}

type Expected =
  { to: CallState; effects: CallEffect[]; next?: Partial<CallMachineState> } | 'ignored' | 'notFound';

const stay = (state: CallState): Expected => ({ to: state, effects: [S('keepAliveExpired', KEEP)] });
const hangUps = (
  state: CallState,
  extraCancels: CallEffect[] = [],
): Partial<Record<CallCommandType, Expected>> => ({
  hangUpByBot: {
    to: 'terminating',
    effects: [N('terminating'), C('keepAliveExpired'), ...extraCancels, S('terminationCompleted', TERM)],
    next: { pendingResultInfo: resultInfo('botHangUp') },
  },
  hangUpByFarEnd: {
    to: 'terminating',
    effects: [N('terminating'), C('keepAliveExpired'), ...extraCancels, S('terminationCompleted', TERM)],
    next: { pendingResultInfo: resultInfo('farEndHangUp') },
  },
  keepAliveExpired: {
    to: 'terminating',
    effects: [N('terminating'), ...extraCancels, S('terminationCompleted', TERM)],
    next: { pendingResultInfo: resultInfo('keepAliveExpired') },
  },
  keepAlive: stay(state),
});

const farEndAndTimers = CALL_COMMAND_TYPES.filter(
  (c) => !['hangUpByBot', 'transfer', 'redirect', 'answerByBot', 'rejectByBot', 'keepAlive'].includes(c),
);
const allIgnored = (types: readonly CallCommandType[]) =>
  Object.fromEntries(types.map((t) => [t, 'ignored' as const])) as Partial<Record<CallCommandType, Expected>>;

/** Every pair not listed here must be refused with 400 BadRequest. */
const EXPECTED: Record<CallState, Partial<Record<CallCommandType, Expected>>> = {
  incoming: {
    answerByBot: {
      to: 'establishing',
      effects: [N('establishing'), C('incomingTimeout'), S('keepAliveExpired', KEEP)],
    },
    rejectByBot: { to: 'terminated', effects: [T(), C('incomingTimeout')] },
    redirect: { to: 'redirecting', effects: [C('incomingTimeout'), S('terminationCompleted', TERM)] },
    incomingTimeout: {
      to: 'terminated',
      effects: [T('incomingTimeout')],
      next: { resultInfo: resultInfo('incomingTimeout') },
    },
    hangUpByFarEnd: { to: 'terminated', effects: [T('farEndHangUp'), C('incomingTimeout')] },
  },
  establishing: {
    farEndRinging: { to: 'ringing', effects: [N('ringing'), S('ringTimeout', RING)] },
    farEndAnswered: { to: 'established', effects: [N('established')] },
    mediaEstablished: { to: 'established', effects: [N('established')] },
    farEndDeclined: {
      to: 'terminated',
      effects: [T('busy'), C('keepAliveExpired')],
      next: { resultInfo: resultInfo('busy') },
    },
    farEndUnreachable: { to: 'terminated', effects: [T('unreachable'), C('keepAliveExpired')] },
    ...hangUps('establishing'),
  },
  ringing: {
    farEndRinging: 'ignored',
    farEndAnswered: { to: 'established', effects: [N('established'), C('ringTimeout')] },
    farEndDeclined: { to: 'terminated', effects: [T('busy'), C('keepAliveExpired'), C('ringTimeout')] },
    farEndUnreachable: {
      to: 'terminated',
      effects: [T('unreachable'), C('keepAliveExpired'), C('ringTimeout')],
    },
    ringTimeout: {
      to: 'terminated',
      effects: [T('noAnswer'), C('keepAliveExpired')],
      next: { resultInfo: resultInfo('noAnswer') },
    },
    hangUpByBot: hangUps('ringing', [C('ringTimeout')]).hangUpByBot,
    keepAliveExpired: hangUps('ringing', [C('ringTimeout')]).keepAliveExpired,
    keepAlive: stay('ringing'),
  },
  established: {
    hold: { to: 'hold', effects: [N('hold')] },
    transfer: { to: 'transferring', effects: [N('transferring')] },
    ...hangUps('established'),
  },
  hold: {
    resume: { to: 'established', effects: [N('established')] },
    transfer: { to: 'transferring', effects: [N('transferring')] },
    ...hangUps('hold'),
  },
  transferring: {
    transferAccepted: { to: 'transferAccepted', effects: [N('transferAccepted')] },
    transferFailed: {
      to: 'established',
      effects: [N('established', 'transferFailed')],
      next: { resultInfo: resultInfo('transferFailed') },
    },
    ...hangUps('transferring'),
  },
  transferAccepted: {
    transferCompleted: {
      to: 'terminated',
      effects: [T('transferCompleted', 'AppTransferred'), C('keepAliveExpired')],
      next: { resultInfo: resultInfo('transferCompleted'), terminationReason: 'AppTransferred' },
    },
    transferFailed: { to: 'established', effects: [N('established', 'transferFailed')] },
    ...hangUps('transferAccepted'),
  },
  redirecting: {
    terminationCompleted: { to: 'terminated', effects: [T()], next: { resultInfo: null } },
    hangUpByFarEnd: { to: 'terminated', effects: [T('farEndHangUp'), C('terminationCompleted')] },
    hangUpByBot: 'ignored',
    keepAlive: 'ignored',
  },
  terminating: {
    ...allIgnored(farEndAndTimers),
    terminationCompleted: {
      to: 'terminated',
      effects: [T('botHangUp')],
      next: { resultInfo: resultInfo('botHangUp'), pendingResultInfo: null },
    },
    hangUpByBot: 'ignored',
    keepAlive: 'ignored',
  },
  terminated: {
    ...allIgnored(farEndAndTimers),
    hangUpByBot: 'notFound',
    transfer: 'notFound',
    redirect: 'notFound',
    answerByBot: 'notFound',
    rejectByBot: 'notFound',
    keepAlive: 'notFound',
  },
};

describe('call machine: every (state x command) pair', () => {
  for (const state of CALL_STATES) {
    for (const type of CALL_COMMAND_TYPES) {
      const expected = EXPECTED[state][type];
      it(`${state} x ${type}`, () => {
        const before = deepFreeze(at(state));
        const result = transitionCall(before, { type } as CallCommand, NOW);
        if (expected === undefined) {
          assert.ok(isDomainError(result), 'expected a DomainError');
          assert.ok(result.error instanceof GraphError);
          assert.equal(result.error.status, 400);
          assert.equal(result.error.code, 'BadRequest');
          assert.equal(result.error.message, `Call is in state ${state}; cannot ${COMMAND_LABEL[type]}.`);
        } else if (expected === 'notFound') {
          assert.ok(isDomainError(result), 'expected a DomainError');
          assert.equal(result.error.status, 404);
          assert.equal(result.error.code, '8522');
          assert.equal(result.error.message, 'Call not found: call-1');
        } else if (expected === 'ignored') {
          const r = ok(result);
          assert.equal(r.ignored, true);
          assert.deepEqual(r.effects, []);
          assert.equal(r.next, before);
        } else {
          const r = ok(result);
          assert.equal(r.ignored, false);
          assert.deepEqual(r.effects, expected.effects);
          assert.equal(r.next.state, expected.to);
          assert.equal(r.next.stateSince, expected.to === state ? 0 : NOW);
          for (const [key, value] of Object.entries(expected.next ?? {})) {
            assert.deepEqual(r.next[key as keyof CallMachineState], value, key);
          }
        }
      });
    }
  }
});

describe('call machine: versions and timeouts', () => {
  it('v1.0 enters ringing without notifying it (v1.0 has no ringing state)', () => {
    const r = ok(transitionCall(at('establishing', { version: 'v1.0' }), { type: 'farEndRinging' }, NOW));
    assert.equal(r.next.state, 'ringing');
    assert.deepEqual(r.effects, [S('ringTimeout', RING)]);
    assert.equal(projectCallState('ringing', 'v1.0'), 'establishing');
    assert.equal(projectCallState('ringing', 'beta'), 'ringing');
    assert.equal(projectCallState('established', 'v1.0'), 'established');
  });

  it('honours ringingTimeoutInSeconds on beta, capped at 115 s', () => {
    const r = ok(
      transitionCall(at('establishing', { ringingTimeoutInSeconds: 30 }), { type: 'farEndRinging' }, NOW),
    );
    assert.deepEqual(r.effects, [N('ringing'), S('ringTimeout', 30_000)]);
    assert.equal(ringTimeoutMs({ version: 'beta', ringingTimeoutInSeconds: 500 }), 115_000);
    assert.equal(ringTimeoutMs({ version: 'beta', ringingTimeoutInSeconds: 115 }), 115_000);
  });

  it('uses the 60 s default on v1.0 and for absent or invalid values', () => {
    assert.equal(ringTimeoutMs({ version: 'v1.0', ringingTimeoutInSeconds: 30 }), RING);
    assert.equal(ringTimeoutMs({ version: 'beta', ringingTimeoutInSeconds: null }), RING);
    assert.equal(ringTimeoutMs({ version: 'beta', ringingTimeoutInSeconds: 0 }), RING);
    assert.equal(ringTimeoutMs({ version: 'beta', ringingTimeoutInSeconds: -5 }), RING);
    assert.equal(ringTimeoutMs({ version: 'beta', ringingTimeoutInSeconds: 1.5 }), RING);
  });

  it('a completed transfer on v1.0 carries resultInfo 0/7015 and no terminationReason', () => {
    const r = ok(
      transitionCall(at('transferAccepted', { version: 'v1.0' }), { type: 'transferCompleted' }, NOW),
    );
    assert.deepEqual(r.effects, [
      { type: 'terminated', resultInfo: { code: 0, subcode: 7015, message: 'GracefulTransferCompleted' } },
      C('keepAliveExpired'),
    ]);
    assert.equal(r.next.terminationReason, null);
  });
});

describe('call machine: far-end result overrides', () => {
  const custom: ResultInfo = { code: 200, subcode: 4521, message: 'x' };

  it('hangUpByFarEnd keeps the given resultInfo until terminated', () => {
    const hung = ok(transitionCall(at('established'), { type: 'hangUpByFarEnd', resultInfo: custom }, NOW));
    assert.deepEqual(hung.next.pendingResultInfo, custom);
    const done = ok(transitionCall(hung.next, { type: 'terminationCompleted' }, NOW + TERM));
    assert.deepEqual(done.effects, [{ type: 'terminated', resultInfo: custom }]);
  });

  it('farEndDeclined, farEndUnreachable and transferFailed use the given resultInfo', () => {
    const declined = ok(transitionCall(at('ringing'), { type: 'farEndDeclined', resultInfo: custom }, NOW));
    assert.deepEqual(declined.effects[0], { type: 'terminated', resultInfo: custom });
    const unreachable = ok(
      transitionCall(at('establishing'), { type: 'farEndUnreachable', resultInfo: custom }, NOW),
    );
    assert.deepEqual(unreachable.effects[0], { type: 'terminated', resultInfo: custom });
    const failed = ok(
      transitionCall(
        at('transferring'),
        { type: 'transferFailed', resultInfo: resultInfo('consultativeTransferFailed') },
        NOW,
      ),
    );
    assert.deepEqual(failed.effects, [
      {
        type: 'notifyState',
        state: 'established',
        resultInfo: { code: 500, subcode: 7700, message: 'The consultative transfer failed.' },
      },
    ]);
  });
});

describe('call machine: lifecycles', () => {
  it('outgoing call: establishing, ringing, established, bot hang-up, terminated 200/5001', () => {
    const start = startOutgoingCall({ id: 'c', version: 'beta', now: 0, ringingTimeoutInSeconds: 20 });
    assert.deepEqual(start.effects, [
      { type: 'notifyState', state: 'establishing' },
      { type: 'schedule', timer: 'keepAliveExpired', inMs: KEEP, dueAt: KEEP },
    ]);
    assert.deepEqual(start.next, {
      id: 'c',
      state: 'establishing',
      version: 'beta',
      ringingTimeoutInSeconds: 20,
      stateSince: 0,
      resultInfo: null,
      terminationReason: null,
      pendingResultInfo: null,
    });
    const ringing = ok(transitionCall(start.next, { type: 'farEndRinging' }, 100));
    assert.deepEqual(ringing.effects[1], {
      type: 'schedule',
      timer: 'ringTimeout',
      inMs: 20_000,
      dueAt: 20_100,
    });
    const up = ok(transitionCall(ringing.next, { type: 'farEndAnswered' }, 200));
    const ending = ok(transitionCall(up.next, { type: 'hangUpByBot' }, 300));
    const over = ok(transitionCall(ending.next, { type: 'terminationCompleted' }, 550));
    assert.deepEqual(over.effects, [
      {
        type: 'terminated',
        resultInfo: { code: 200, subcode: 5001, message: 'The conversation has ended.' },
      },
    ]);
    assert.equal(over.next.state, 'terminated');
    assert.equal(over.next.stateSince, 550);
  });

  it('keepAlive expiry ends the call with 408/8537', () => {
    const ending = ok(transitionCall(at('established'), { type: 'keepAliveExpired' }, NOW));
    const over = ok(transitionCall(ending.next, { type: 'terminationCompleted' }, NOW));
    assert.deepEqual(over.effects, [
      {
        type: 'terminated',
        resultInfo: { code: 408, subcode: 8537, message: 'Keep Alive timeout, cleaned up inactive call.' },
      },
    ]);
  });

  it('unreachable target ends the call with 480/10037', () => {
    const r = ok(transitionCall(at('establishing'), { type: 'farEndUnreachable' }, NOW));
    assert.deepEqual(r.effects[0], {
      type: 'terminated',
      resultInfo: { code: 480, subcode: 10037, message: 'No callee endpoints were found.' },
    });
  });

  it('incoming call: 15 s answer window, 5 s for policy-based recording', () => {
    const normal = receiveIncomingCall({ id: 'i', version: 'v1.0', now: 10 });
    assert.equal(normal.next.state, 'incoming');
    assert.deepEqual(normal.effects, [
      { type: 'schedule', timer: 'incomingTimeout', inMs: 15_000, dueAt: 15_010 },
    ]);
    const recording = receiveIncomingCall({ id: 'i', version: 'v1.0', now: 10, policyRecording: true });
    assert.deepEqual(recording.effects, [
      { type: 'schedule', timer: 'incomingTimeout', inMs: 5_000, dueAt: 5_010 },
    ]);
  });

  it('keepAlive re-arms the 45 minute window from now without changing state', () => {
    const r = ok(transitionCall(at('hold', { stateSince: 5 }), { type: 'keepAlive' }, 9_000));
    assert.deepEqual(r.effects, [
      { type: 'schedule', timer: 'keepAliveExpired', inMs: KEEP, dueAt: 9_000 + KEEP },
    ]);
    assert.equal(r.next.state, 'hold');
    assert.equal(r.next.stateSince, 5);
  });

  it('isDomainError tells errors from transitions', () => {
    assert.equal(isDomainError(transitionCall(at('incoming'), { type: 'hold' }, NOW)), true);
    assert.equal(isDomainError(transitionCall(at('established'), { type: 'hold' }, NOW)), false);
    assert.equal(isDomainError(null), false);
    assert.equal(isDomainError({ type: 'domainError', error: 'no' }), false);
  });
});
